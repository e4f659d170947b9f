// Canary and stable ReplicaSet sizes, as Argo Rollouts computes them.
//
// Basic canary (no traffic router): the weight is approximated by the pod ratio, and each
// reconcile moves the two ReplicaSets one bounded step toward that ratio. The step never takes the
// Rollout above specReplicas + maxSurge pods, never removes pods that would leave fewer than
// specReplicas - maxUnavailable available, and leaves canary and stable alone (except to grow
// them) while older ReplicaSets still have pods.
//
// Traffic-routed canary: the stable keeps its full size and the canary gets the pods its traffic
// share needs, set in one go (the router, not the pod count, protects availability).

import { resolveMaxSurge, resolveMaxUnavailable } from './fenceposts';
import type { CanaryScaleInput, ReplicaSetCounts } from './types';
import {
  approximateWeightedCounts,
  type CanaryStableCounts,
  DEFAULT_MAX_WEIGHT,
  trafficWeightToReplicas,
} from './weights';

/** True when a stable ReplicaSet exists and is not the new one (Argo's CheckStableRSExists). */
export function hasSeparateStable(newRS?: ReplicaSetCounts, stableRS?: ReplicaSetCounts): boolean {
  if (stableRS === undefined) return false;
  return newRS === undefined || newRS.name !== stableRS.name;
}

/**
 * The end state for the current weight, ignoring surge and availability limits.
 *
 * With no separate stable (first deploy, or fully promoted so stable == new) the new RS simply
 * goes to specReplicas and nothing else. Otherwise: the pod-ratio approximation for a basic
 * canary; for a traffic-routed one, a full-size stable and a canary of
 * canaryReplicasOverride, or else of ceil(weight × specReplicas ÷ maxWeight) raised to
 * minPodsPerReplicaSet.
 */
export function desiredCanaryStableCounts(input: CanaryScaleInput): CanaryStableCounts {
  const { specReplicas, weight } = input;
  const maxWeight = input.maxWeight ?? DEFAULT_MAX_WEIGHT;
  if (!hasSeparateStable(input.newRS, input.stableRS)) return { canary: specReplicas, stable: 0 };
  if (input.trafficRouted) return trafficRoutedCounts(input, maxWeight);
  return approximateWeightedCounts(specReplicas, weight, resolveMaxSurge(input, specReplicas), maxWeight);
}

/**
 * Argo's CalculateReplicaCountsForTrafficRoutedCanary: the canary sized for its weight (or as
 * setCanaryScale says), the stable at full size; with dynamicStableScale the stable sized for its
 * share, but never below the share it carries now, and, while aborted, the canary never below its.
 */
function trafficRoutedCounts(input: CanaryScaleInput, maxWeight: number): CanaryStableCounts {
  const { specReplicas, weight, minPodsPerReplicaSet: minPods } = input;
  const toReplicas = (w: number) => trafficWeightToReplicas(specReplicas, w, maxWeight);
  let canary = input.canaryReplicasOverride ?? withMinPods(toReplicas(weight), minPods, specReplicas);
  if (!input.dynamicStableScale) return { canary, stable: specReplicas };
  let stable = toReplicas(maxWeight - weight);
  if (input.actualWeights) {
    stable = Math.max(stable, toReplicas(input.actualWeights.stable));
    if (input.aborted) canary = Math.max(canary, toReplicas(input.actualWeights.canary));
  }
  return {
    canary: withMinPods(canary, minPods, specReplicas),
    stable: withMinPods(stable, minPods, specReplicas),
  };
}

/**
 * The sizes to set on the new and stable ReplicaSets in this reconcile (Argo's
 * CalculateReplicaCountsForBasicCanary, or the traffic-routed counts, which need no stepping).
 *
 * Basic canary, in order:
 *   1. Grow. The room left under specReplicas + maxSurge (counting older RSs too) goes first to
 *      the stable, then to the canary, each only up to its desired size.
 *   2. If older RSs still have pods, stop: they are drained first (see olderReplicaSetsScaleDown);
 *      when those cannot go (no budget), a canary above its desired size drops its pods that are
 *      not available.
 *   3. Shrink. Only the side that is above its desired size shrinks — the canary when its desired
 *      size went down (abort, lower weight), the stable otherwise — and only by as many pods as
 *      can go while keeping specReplicas - maxUnavailable. Pods of the side that is shrinking are
 *      counted as if available (so a crash-looping side can still be scaled away); the other
 *      side counts only its available pods. A side whose available pods exceed its spec counts
 *      only its spec.
 *   4. Rebalance. If the other side (grown in step 1) now pushes the total over the surge
 *      ceiling, it gives the excess back, but keeps enough of its available pods to stay above
 *      the availability floor; whatever still exceeds the ceiling is taken from the shrinking
 *      side.
 */
export function nextCanaryStableCounts(input: CanaryScaleInput): CanaryStableCounts {
  if (input.trafficRouted) return desiredCanaryStableCounts(input);

  const { specReplicas, newRS, stableRS, olderRSs } = input;
  const target = desiredCanaryStableCounts(input);
  const separate = hasSeparateStable(newRS, stableRS);
  const ceiling = specReplicas + resolveMaxSurge(input, specReplicas);

  let canary = newRS?.specReplicas ?? 0;
  let stable = separate && stableRS !== undefined ? stableRS.specReplicas : 0;

  // 1. Grow, stable first.
  const olderPods = olderRSs.reduce((sum, rs) => sum + rs.specReplicas, 0);
  let room = ceiling - (olderPods + canary + stable);
  if (separate && stable < target.stable && room > 0) {
    const added = Math.min(room, target.stable - stable);
    stable += added;
    room -= added;
  }
  if (newRS !== undefined && canary < target.canary && room > 0) {
    canary += Math.min(room, target.canary - canary);
  }

  // 2. Older ReplicaSets go away before canary or stable shrink. But when they cannot (no budget),
  //    a canary above its size drops the pods it has that are not available: they serve nothing,
  //    cost no availability, and while they hold the surge room nothing else could ever move (an
  //    abort during an interrupted update stayed short of its stable for ever; found by the chaos
  //    run: Argo's math has the same stop).
  if (olderPods > 0) {
    if (newRS !== undefined && canary > target.canary && olderScaleDownBudget(input) <= 0) {
      const notAvailable = Math.max(0, canary - newRS.availableReplicas);
      canary = Math.max(target.canary, canary - notAvailable);
    }
    return { canary, stable };
  }

  // 3. Shrink the side that is above target, within the availability budget.
  const floor = specReplicas - resolveMaxUnavailable(input, specReplicas);
  const canaryShrinking = newRS !== undefined && target.canary < newRS.specReplicas;
  // As in Argo, the stable RS is counted even when it is the new RS itself.
  const counted =
    replicasCountedForScaleDown(newRS, canaryShrinking) +
    replicasCountedForScaleDown(stableRS, !canaryShrinking);
  if (counted <= floor) return { canary, stable };
  const removable = counted - floor;

  if (canaryShrinking && newRS !== undefined) {
    canary = shrinkToward(newRS, target.canary, removable, canary);
    [canary, stable] = rebalance(newRS, stableRS, canary, stable, ceiling, floor);
  } else if (separate && stableRS !== undefined) {
    stable = shrinkToward(stableRS, target.stable, removable, stable);
    [stable, canary] = rebalance(stableRS, newRS, stable, canary, ceiling, floor);
  }
  return { canary, stable: separate ? stable : 0 };
}

/**
 * Whether the current step's sizes are reached (Argo's AtDesiredReplicaCountsForCanary), i.e. a
 * setWeight / setCanaryScale step may complete:
 *   - the new RS is at this reconcile's canary size and all those pods are available;
 *   - the stable RS is at its size and all those pods exist (available or not: Argo does not
 *     wait for stable availability here);
 *   - basic canary only: no older RS has an available pod (they would receive traffic).
 * With no separate stable, only the new RS (at specReplicas) and the older RSs are checked.
 */
export function atDesiredCounts(input: CanaryScaleInput): boolean {
  const counts = nextCanaryStableCounts(input);
  if (!allDesiredAvailable(input.newRS, counts.canary)) return false;
  // with dynamicStableScale the stable follows the traffic, so its size does not hold a step (Argo)
  const checkStable = !(input.trafficRouted && input.dynamicStableScale);
  if (
    checkStable &&
    hasSeparateStable(input.newRS, input.stableRS) &&
    !allDesiredCreated(input.stableRS, counts.stable)
  ) {
    return false;
  }
  if (!input.trafficRouted && input.olderRSs.some((rs) => rs.availableReplicas !== 0)) return false;
  return true;
}

/** The RS exists, is sized `desired`, and all `desired` pods are available. */
export function allDesiredAvailable(rs: ReplicaSetCounts | undefined, desired: number): boolean {
  return rs !== undefined && rs.specReplicas === desired && rs.availableReplicas === desired;
}

/** The RS exists, is sized `desired`, and `desired` pods exist (ready or not). */
export function allDesiredCreated(rs: ReplicaSetCounts | undefined, desired: number): boolean {
  return (
    rs !== undefined &&
    rs.specReplicas === desired &&
    (rs.currentReplicas ?? rs.availableReplicas) === desired
  );
}

/**
 * Available pods above the availability floor, over the new, stable and older RSs (the stable
 * counted once when it is the new RS). A ReplicaSet counts at most its spec: pods it reports above
 * it are on their way out (its status is behind a scale-down), and removing more on their account
 * would go below the floor (found by the chaos run). Argo sums status.availableReplicas as it is.
 */
export function olderScaleDownBudget(input: CanaryScaleInput): number {
  const { specReplicas, newRS, stableRS, olderRSs } = input;
  const serving = (rs: ReplicaSetCounts | undefined) =>
    rs ? Math.min(rs.specReplicas, rs.availableReplicas) : 0;
  let available = olderRSs.reduce((sum, rs) => sum + serving(rs), serving(newRS));
  if (stableRS !== undefined && hasSeparateStable(newRS, stableRS)) available += serving(stableRS);
  return available - (specReplicas - resolveMaxUnavailable(input, specReplicas));
}

/**
 * The pods of one RS that count toward availability when deciding how much may be removed
 * (Argo's GetReplicasForScaleDown): its available pods, or its spec when `ignoreAvailability` (the
 * RS is the one being shrunk) — and never more than its spec, since pods above spec are already
 * on their way out.
 */
export function replicasCountedForScaleDown(
  rs: ReplicaSetCounts | undefined,
  ignoreAvailability: boolean,
): number {
  if (rs === undefined) return 0;
  if (rs.specReplicas < rs.availableReplicas || ignoreAvailability) return rs.specReplicas;
  return rs.availableReplicas;
}

function withMinPods(count: number, minPods: number | undefined, specReplicas: number): number {
  if (count === 0 || minPods === undefined) return count;
  return Math.max(count, Math.min(minPods, specReplicas));
}

/** Shrinks `rs` by up to `removable` pods, not below `target`; `current` if it is not above target. */
function shrinkToward(rs: ReplicaSetCounts, target: number, removable: number, current: number): number {
  if (rs.specReplicas <= target) return current;
  return Math.max(target, rs.specReplicas - removable);
}

/**
 * Step 4 of nextCanaryStableCounts. `shrinking` is the RS just shrunk, `other` the other one.
 * Returns the two counts in that order.
 */
function rebalance(
  shrinking: ReplicaSetCounts,
  other: ReplicaSetCounts | undefined,
  shrinkingCount: number,
  otherCount: number,
  ceiling: number,
  floor: number,
): [number, number] {
  if (other === undefined) return [shrinkingCount, otherCount];
  let count = otherCount - Math.max(0, otherCount + shrinkingCount - ceiling);
  const stillAvailable =
    Math.min(shrinking.availableReplicas, shrinkingCount) + Math.min(other.availableReplicas, count);
  const availableGivenBack = Math.max(0, other.availableReplicas - count);
  const missing = Math.max(0, floor - stillAvailable);
  count += Math.min(availableGivenBack, missing);
  const over = Math.max(0, count + shrinkingCount - ceiling);
  return [shrinkingCount - over, count];
}
