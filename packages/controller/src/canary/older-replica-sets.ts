// Draining ReplicaSets that are neither the canary nor the stable (an update interrupted by a
// newer one, or the previous stable after promotion), as Argo Rollouts does for a canary.

import { olderScaleDownBudget } from './replica-math';
import type { CanaryScaleInput } from './types';

/** A ReplicaSet resize to apply. */
export interface ReplicaSetResize {
  name: string;
  from: number;
  to: number;
}

/** What this reconcile does to the older ReplicaSets. */
export interface OlderScaleDownPlan {
  /**
   * Available pods above the floor (specReplicas - maxUnavailable), counted over every
   * ReplicaSet before anything is removed: how many available pods older RSs may lose now.
   * Zero or less means only never-available pods may go.
   */
  budget: number;
  /** Older RSs whose size changes, in input order; the others stay as they are. */
  resizes: ReplicaSetResize[];
}

/**
 * Sizes for the older ReplicaSets this reconcile (Argo's scaleDownOldReplicaSetsForCanary):
 *   1. Every older RS first drops its pods that are not available: they serve nothing, and
 *      removing them costs no availability. (If an RS reports more available pods than its spec,
 *      its status is behind a scale-down; nothing is done until it catches up.)
 *   2. Then, walking the RSs in input order (newest revision first), available pods are removed
 *      while the budget lasts. Basic canary: an RS loses as many pods as the budget allows.
 *      Traffic-routed: the router sends them no traffic, so an RS goes straight to 0 (and the
 *      walk stops once the budget is spent).
 * Canary and stable sizes are not touched; Argo only gets here in a reconcile where neither
 * changed.
 */
export function olderReplicaSetsScaleDown(input: CanaryScaleInput): OlderScaleDownPlan {
  const budget = olderScaleDownBudget(input);
  const { olderRSs } = input;
  if (olderRSs.some((rs) => rs.specReplicas > 0 && rs.availableReplicas > rs.specReplicas)) {
    return { budget, resizes: [] };
  }

  const sizes = olderRSs.map((rs) => Math.min(rs.specReplicas, rs.availableReplicas));
  let left = budget;
  for (const [index, size] of sizes.entries()) {
    if (left <= 0) break;
    if (size === 0) continue;
    const to = input.trafficRouted ? 0 : Math.max(0, size - left);
    left -= size - to;
    sizes[index] = to;
  }

  const resizes: ReplicaSetResize[] = [];
  olderRSs.forEach((rs, index) => {
    const to = sizes[index] ?? rs.specReplicas;
    if (to !== rs.specReplicas) resizes.push({ name: rs.name, from: rs.specReplicas, to });
  });
  return { budget, resizes };
}
