// Old revisions beyond revisionHistoryLimit (the new ReplicaSet, created or revived with a new
// revision number, is compose.ts's).
import { revisionHistoryLimitOf } from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import type { PlanDraft } from './plan-draft';
import { byRevisionDesc, specReplicasOf } from './replica-sets';

/** Old ReplicaSets with no pods, beyond revisionHistoryLimit, oldest first. */
export function cleanUpHistory(b: PlanDraft, keep: readonly (ReplicaSet | undefined)[]): void {
  const limit = revisionHistoryLimitOf(b.view.rollout.spec);
  const kept = new Set(keep.filter((rs): rs is ReplicaSet => rs !== undefined));
  const candidates = b.view.olderRSs
    .filter((rs) => !kept.has(rs))
    .filter((rs) => specReplicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort(byRevisionDesc);
  for (const rs of candidates.slice(limit)) b.plan.deleteReplicaSets.push(rs.metadata.name);
}
