// Actions on a Rollout's revisions shared by both strategies: the new ReplicaSet (created, or
// revived with a new revision number), and old revisions beyond revisionHistoryLimit.
import { revisionHistoryLimitOf } from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { REVISION_ANNOTATION } from '../model/names';
import type { PlanBuilder } from './plan-builder';
import { buildReplicaSet, byRevisionDesc, revisionOf, specReplicasOf } from './replica-sets';

/**
 * The ReplicaSet of the current template: the existing one (its revision raised when an older
 * template comes back), or a new one to create with `initialReplicas`.
 */
export function ensureNewReplicaSet(b: PlanBuilder, initialReplicas: number): ReplicaSet {
  const { view } = b;
  if (view.newRS) {
    if (revisionOf(view.newRS) !== view.revision) {
      b.annotate(view.newRS, { [REVISION_ANNOTATION]: String(view.revision) });
    }
    return view.newRS;
  }
  const rs = buildReplicaSet(view.rollout, view.hash, view.revision, initialReplicas);
  b.createReplicaSet(rs);
  return rs;
}

/** Old ReplicaSets with no pods, beyond revisionHistoryLimit, oldest first. */
export function cleanUpHistory(b: PlanBuilder, keep: readonly (ReplicaSet | undefined)[]): void {
  const limit = revisionHistoryLimitOf(b.view.rollout.spec);
  const kept = new Set(keep.filter((rs): rs is ReplicaSet => rs !== undefined));
  const candidates = b.view.olderRSs
    .filter((rs) => !kept.has(rs))
    .filter((rs) => specReplicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort(byRevisionDesc);
  for (const rs of candidates.slice(limit)) b.plan.deleteReplicaSets.push(rs.metadata.name);
}
