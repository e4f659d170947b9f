// maxSurge / maxUnavailable turned into pod counts, the way Argo Rollouts resolves them for a
// canary: surge rounds up, unavailability rounds down, and if both come out as 0 one pod may be
// unavailable (otherwise no pod could ever be replaced).

/** An IntOrString as it appears in a Rollout spec: `3` or `"25%"`. */
export type IntOrString = number | string;

/** The two rolling-update limits of a canary strategy, after the caller applied the "25%" defaults. */
export interface RollingLimits {
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
}

/** Both limits as pod counts. */
export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * Scales an IntOrString against `total`.
 *
 * A number is taken as is. A string is always read as a percentage, with or without the `%`
 * sign (`"25%"` and `"25"` both mean 25 %): this is the legacy Kubernetes parsing that Argo
 * Rollouts still uses for maxSurge/maxUnavailable. Percentages round up or down as asked.
 * Anything else (`"oops"`, `"1.5%"`, a fractional number) throws a RangeError.
 */
export function scaleLegacyIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`invalid IntOrString ${value}: not an integer`);
    return value;
  }
  const digits = value.replaceAll('%', '');
  if (!/^[+-]?\d+$/.test(digits)) throw new RangeError(`invalid IntOrString "${value}": not a percentage`);
  const share = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(share) : Math.floor(share);
}

/**
 * Kubernetes' fencepost rule for rolling updates: an absent limit counts as 0, surge rounds up,
 * unavailability rounds down, and when both end up 0, maxUnavailable becomes 1. No capping: see
 * {@link resolveMaxSurge} and {@link resolveMaxUnavailable} for the values a canary actually uses.
 */
export function resolveFenceposts(limits: RollingLimits, replicas: number): Fenceposts {
  const maxSurge = scaleLegacyIntOrPercent(limits.maxSurge ?? 0, replicas, true);
  let maxUnavailable = scaleLegacyIntOrPercent(limits.maxUnavailable ?? 0, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Pods a canary may run above `replicas` (Argo's MaxSurge). */
export function resolveMaxSurge(limits: RollingLimits, replicas: number): number {
  return resolveFenceposts(limits, replicas).maxSurge;
}

/**
 * Pods of `replicas` that may be unavailable (Argo's MaxUnavailable): never more than `replicas`,
 * and 0 for a rollout scaled to zero.
 */
export function resolveMaxUnavailable(limits: RollingLimits, replicas: number): number {
  if (replicas === 0) return 0;
  return Math.min(resolveFenceposts(limits, replicas).maxUnavailable, replicas);
}
