// Exponential backoff, capped, with "equal jitter": the n-th delay is between half and all of
// min(max, initial * 2^(n-1)), drawn from an injected random so tests are deterministic.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** The delay before attempt `failures + 1` after `failures` (>= 1) failures in a row. */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 52);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(base * (1 - random() / 2));
}
