// Sizing a canary's ReplicaSets for a weight: one reconcile's move of the new, stable and older
// ReplicaSets toward it, within maxSurge and maxUnavailable.
import { maxSurgeOf, maxUnavailableOf, replicasOf } from '@ramp/api';
import {
  atDesiredCounts,
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  nextCanaryStableCounts,
  olderReplicaSetsScaleDown,
} from '../canary';
import type { ReplicaSet } from '../model/kube-objects';
import type { PlanBuilder } from './plan-builder';
import { toCounts } from './replica-sets';

export function canaryInput(b: PlanBuilder, weight: number, newRS: ReplicaSet | undefined): CanaryScaleInput {
  const { view } = b;
  const canary = view.rollout.spec.strategy?.canary ?? {};
  const newCounts = toCounts(newRS);
  const stableCounts = toCounts(view.stableRS) ?? (view.stableHash === view.hash ? newCounts : undefined);
  return {
    specReplicas: replicasOf(view.rollout.spec),
    weight,
    maxSurge: maxSurgeOf(canary),
    maxUnavailable: maxUnavailableOf(canary),
    ...(newCounts ? { newRS: newCounts } : {}),
    ...(stableCounts ? { stableRS: stableCounts } : {}),
    olderRSs: view.olderRSs.map((rs) => toCounts(rs)!),
    trafficRouted: false,
  };
}

/**
 * True when the ReplicaSets are where `weight` wants them at the end, not only for this reconcile:
 * the canary at its full size for the weight with every pod available, the stable at its size,
 * and the older ReplicaSets drained. Argo's AtDesiredReplicaCountsForCanary compares with this
 * reconcile's intermediate sizes, which, while an older ReplicaSet holds the surge room, are the
 * canary's current size: every step then passed at once, and a canary with no pods was promoted
 * (issue #19). Ramp waits until the sizes for the weight are really reached.
 */
export function atWeight(b: PlanBuilder, weight: number, newRS: ReplicaSet | undefined): boolean {
  if (!newRS || b.plan.createReplicaSet) return false;
  const input = canaryInput(b, weight, newRS);
  if (input.olderRSs.some((rs) => rs.specReplicas > 0 || rs.availableReplicas > 0)) return false;
  const end = desiredCanaryStableCounts(input);
  const next = nextCanaryStableCounts(input);
  return next.canary === end.canary && next.stable === end.stable && atDesiredCounts(input);
}

/** Plans this reconcile's scaling toward `weight`. */
export function scaleForWeight(b: PlanBuilder, weight: number, newRS: ReplicaSet): void {
  const { view } = b;
  const input = canaryInput(b, weight, b.plan.createReplicaSet ? undefined : newRS);
  const next = nextCanaryStableCounts(input);
  b.scale(newRS, next.canary);
  if (view.stableRS) b.scale(view.stableRS, next.stable);
  const older = olderReplicaSetsScaleDown(input);
  for (const resize of older.resizes) {
    const rs = view.olderRSs.find((r) => r.metadata.name === resize.name);
    if (rs) b.scale(rs, resize.to);
  }
}
