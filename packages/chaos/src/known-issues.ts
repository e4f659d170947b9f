// Controller bugs the chaos run has found and that are still open (reported with issue #19, for the
// controller's owners to fix; this package never works around them). The e2e test keeps to seeds whose
// script cannot run into the canary deadlock, so that CI stays green; bench/chaos.js runs any seed and
// names the exposure next to a failure. Remove an entry once its bug is fixed.
//
// Also open, and not predictable from a script (it takes a ReplicaSet status that lags its scale-down):
// the older ReplicaSets' scale-down budget (canary/older-replica-sets.ts, olderScaleDownBudget) counts
// status.availableReplicas of the new and stable ReplicaSets (and of older ones at spec 0) even above
// their spec.replicas, so pods already being removed pay for removing more: an older ReplicaSet is
// scaled below replicas − maxUnavailable (an `availability` violation; seen once in ~10 minutes of
// bench chaos with heavy faults).
import { CANARIES } from './fleet';
import { isBadImage } from './script-actions';
import type { Action } from './script-plan';

/**
 * The canary deadlock: a basic canary whose update to a good image is interrupted by a crash-looping
 * one keeps the good ReplicaSet as an "older" one with available pods; the crash-looping canary then
 * holds the surge room (total = replicas + maxSurge) while the available pods are exactly at the floor
 * (replicas − maxUnavailable). nextCanaryStableCounts (canary/replica-math.ts) returns before shrinking
 * canary or stable while an older ReplicaSet has pods; olderReplicaSetsScaleDown has no budget; the
 * stable cannot grow: nothing moves again, also after an abort (Degraded with the stable below full
 * size). Argo's CalculateReplicaCountsForCanary has the same early return.
 *
 * A canary Rollout is exposed when the script gives it a good image and its last image is bad (the
 * finale then aborts it). Returns the exposed Rollouts of a plan.
 */
export function canaryDeadlockExposure(plan: readonly Action[]): string[] {
  const images = new Map<string, string[]>();
  for (const a of plan) {
    if (a.kind === 'set-image' && CANARIES.includes(a.rollout))
      images.set(a.rollout, [...(images.get(a.rollout) ?? []), a.image ?? '']);
  }
  return [...images]
    .filter(([, list]) => isBadImage(list.at(-1)!) && list.some((image) => !isBadImage(image)))
    .map(([rollout]) => rollout);
}
