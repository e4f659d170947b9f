// Turning a traffic weight into pod counts.
//
// Without a traffic router the only way to send N % of requests to the canary is to run about
// N % of the pods as canary pods, so the weight has to be approximated by whole replica counts.
// With a traffic router the weight is exact and the canary only needs enough pods to carry it.

/** Replica counts for the two sides of a canary. */
export interface CanaryStableCounts {
  canary: number;
  stable: number;
}

/** The weight that stands for "all traffic", unless trafficRouting.maxTrafficWeight says otherwise. */
export const DEFAULT_MAX_WEIGHT = 100;

/**
 * Pods needed to carry `weight` (out of `maxWeight`) of the traffic of `replicas` pods, rounded
 * up. Used by the traffic-routed canary, where the router, not the pod ratio, splits traffic.
 */
export function trafficWeightToReplicas(
  replicas: number,
  weight: number,
  maxWeight = DEFAULT_MAX_WEIGHT,
): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/**
 * The canary/stable split whose pod ratio comes closest to `weight` (basic canary, no router).
 *
 * Four splits are considered, in this order, and the first one with the smallest distance to the
 * weight wins:
 *   1. canary rounded up,   total = specReplicas
 *   2. canary rounded down, total = specReplicas
 *   3. canary rounded up,   total = specReplicas + 1   (only when maxSurge > 0)
 *   4. canary rounded down, total = specReplicas + 1   (only when maxSurge > 0)
 *
 * Guards, which together keep both sides at one pod or more for weights strictly between 0 and
 * maxWeight when two pods can be run:
 *   - a split that gives the canary every pod (1.) or none (2., 4.) is only considered when the
 *     weight is exactly 0 or maxWeight, or when a single pod and no surge leave no other choice;
 *   - when the exact canary share of a total is x.5, the round-down split for that total is
 *     dropped, so the tie goes to the bigger canary.
 *
 * The sum is therefore specReplicas, or specReplicas + 1 when surge is allowed.
 *
 * One deliberate difference from Argo: when the guards leave no split at all, we round down
 * (Argo returns no canary); see the end of the function.
 */
export function approximateWeightedCounts(
  specReplicas: number,
  weight: number,
  maxSurge: number,
  maxWeight = DEFAULT_MAX_WEIGHT,
): CanaryStableCounts {
  if (specReplicas === 0) return { canary: 0, stable: 0 };

  const roundedUp = Math.ceil((specReplicas * weight) / maxWeight);
  const roundedDown = Math.floor((specReplicas * weight) / maxWeight);
  const extremesAllowed = weight === 0 || weight === maxWeight || (specReplicas === 1 && maxSurge === 0);

  const splits: Array<{ canary: number; total: number }> = [];
  if (roundedUp < specReplicas || extremesAllowed) splits.push({ canary: roundedUp, total: specReplicas });
  const downAllowed = roundedDown !== 0 || extremesAllowed;
  if (downAllowed && !halfwayBetween(weight, maxWeight, specReplicas)) {
    splits.push({ canary: roundedDown, total: specReplicas });
  }
  if (maxSurge > 0) {
    splits.push({ canary: roundedUp, total: specReplicas + 1 });
    if (downAllowed && !halfwayBetween(weight, maxWeight, specReplicas + 1)) {
      splits.push({ canary: roundedDown, total: specReplicas + 1 });
    }
  }

  let best: { canary: number; total: number } | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const split of splits) {
    const distance = Math.abs((split.canary * maxWeight) / split.total - weight);
    if (distance < bestDistance) {
      best = split;
      bestDistance = distance;
    }
  }
  if (best === undefined) {
    // Only reached without surge, when the exact share is spec - ½ (2 replicas at 75, 5 at 90,
    // 10 at 95): rounding up would empty the stable and the tie rule dropped rounding down. Argo
    // falls back to "no canary" here (0 / spec), breaking its own promise of a pod on each side;
    // we take the other side of the tie instead, which keeps that promise.
    const canary = Math.min(Math.max(roundedDown, 0), specReplicas);
    return { canary, stable: specReplicas - canary };
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/**
 * Whether the exact canary share of `total` pods sits exactly halfway between two whole pods.
 * The float expression (total × (weight ÷ maxWeight)) is kept in this order on purpose: it is
 * the one Argo evaluates, so the same inputs are judged ties.
 */
function halfwayBetween(weight: number, maxWeight: number, total: number): boolean {
  const share = total * (weight / maxWeight);
  return share - Math.trunc(share) === 0.5;
}
