// spec.restartAt (`kubectl ramp restart`): every pod created before that time is replaced, one at a
// time and only while every ReplicaSet is fully available, so capacity never drops by more than one
// pod; then status.restartedAt records it as done.
import type { Rollout } from '@ramp/api';
import type { PlanDraft } from './plan-draft';
import { availableOf, specReplicasOf } from './replica-sets';

/** A restart is asked for and not done yet. Safe on any object (it runs before validation). */
export const restartPending = (rollout: Rollout): boolean => {
  const restartAt: unknown = rollout.spec?.restartAt;
  return typeof restartAt === 'string' && restartAt !== '' && restartAt !== rollout.status?.restartedAt;
};

/** How often to look again while pods are being replaced (their ReplicaSet's events come first). */
const RECHECK_MS = 2000;

export function planRestart(b: PlanDraft): void {
  const { rollout, snapshot } = b.view;
  const restartAt = rollout.spec.restartAt;
  if (!restartAt || !restartPending(rollout)) return;
  const at = new Date(restartAt);
  if (Number.isNaN(at.getTime())) return;
  if (b.now.getTime() < at.getTime()) {
    b.wakeAt(at);
    return;
  }
  if (!snapshot.pods) return;
  const owned = new Set(snapshot.replicaSets.map((rs) => rs.metadata.uid).filter((u): u is string => !!u));
  const ours = snapshot.pods.filter((p) =>
    p.metadata.ownerReferences?.some((o) => o.controller && owned.has(o.uid)),
  );
  const old = ours
    .filter(
      (p) =>
        !p.metadata.deletionTimestamp && new Date(p.metadata.creationTimestamp ?? 0).getTime() < at.getTime(),
    )
    .sort((x, y) => ((x.metadata.creationTimestamp ?? '') < (y.metadata.creationTimestamp ?? '') ? -1 : 1));
  if (old.length === 0) {
    b.status.restartedAt = restartAt;
    b.event(
      'Normal',
      'RolloutRestarted',
      `Rollout restarted: every pod created before ${restartAt} was replaced`,
    );
    return;
  }
  const settled =
    snapshot.replicaSets.every((rs) => availableOf(rs) >= specReplicasOf(rs)) &&
    ours.every((p) => !p.metadata.deletionTimestamp) &&
    !b.plan.createReplicaSet &&
    b.plan.updateReplicaSets.every((c) => c.replicas === undefined);
  if (settled) {
    const pod = old[0]!;
    b.plan.deletePods.push(pod.metadata.name);
    b.event('Normal', 'RestartingPod', `Restarting pod ${pod.metadata.name} (created before ${restartAt})`);
  }
  b.wakeAt(new Date(b.now.getTime() + RECHECK_MS));
}
