// Sizing a canary's ReplicaSets for a weight: one reconcile's move of the new, stable and older
// ReplicaSets toward it, within maxSurge and maxUnavailable.
import { maxSurgeOf, maxUnavailableOf, replicasOf } from '@ramp/api';
import {
  atDesiredCounts,
  type CanaryScaleInput,
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

/** True when the ReplicaSets already are where `weight` wants them (and older ones hold no available pods). */
export function atWeight(b: PlanBuilder, weight: number, newRS: ReplicaSet | undefined): boolean {
  if (!newRS || b.plan.createReplicaSet) return false;
  return atDesiredCounts(canaryInput(b, weight, newRS));
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
