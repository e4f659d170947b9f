// Sizing a canary's ReplicaSets for a weight: one reconcile's move of the new, stable and older
// ReplicaSets toward it, within maxSurge and maxUnavailable, as ReplicaSet targets.
import { maxSurgeOf, maxUnavailableOf, replicasOf } from '@ramp/api';
import {
  atDesiredCounts,
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  nextCanaryStableCounts,
  olderReplicaSetsScaleDown,
} from '../canary';
import type { ReplicaSetTarget } from './decision';
import { toCounts } from './replica-sets';
import type { RolloutView } from './view';

export function canaryInput(view: RolloutView, weight: number): CanaryScaleInput {
  const canary = view.rollout.spec.strategy?.canary ?? {};
  const newCounts = toCounts(view.newRS);
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
export function atWeight(view: RolloutView, weight: number): boolean {
  if (!view.newRS) return false;
  const input = canaryInput(view, weight);
  if (input.olderRSs.some((rs) => rs.specReplicas > 0 || rs.availableReplicas > 0)) return false;
  const end = desiredCanaryStableCounts(input);
  const next = nextCanaryStableCounts(input);
  return next.canary === end.canary && next.stable === end.stable && atDesiredCounts(input);
}

/** This reconcile's sizes toward `weight`: the new ReplicaSet (created at its size), the stable, the older ones. */
export function targetsForWeight(view: RolloutView, weight: number): ReplicaSetTarget[] {
  const input = canaryInput(view, weight);
  const next = nextCanaryStableCounts(input);
  const targets: ReplicaSetTarget[] = [{ name: view.newRSName, replicas: next.canary }];
  if (view.stableRS) targets.push({ name: view.stableRS.metadata.name, replicas: next.stable });
  for (const resize of olderReplicaSetsScaleDown(input).resizes)
    targets.push({ name: resize.name, replicas: resize.to });
  return targets;
}
