// Timestamps as Kubernetes writes them (metav1.Time).

/**
 * RFC 3339 in UTC, whole seconds, e.g. "2026-11-21T10:00:00Z". Sub-second parts are dropped, as the API
 * server would.
 */
export function kubeTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000) * 1000;
  return new Date(seconds).toISOString().replace('.000Z', 'Z');
}
