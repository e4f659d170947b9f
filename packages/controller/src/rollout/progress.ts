// The Progressing condition and the progress deadline, as Argo Rollouts keeps them: progress is what
// Argo's RolloutProgressing counts (more updated, ready or available pods, fewer old ones, a step, a
// stable or a Service switched); without progress for progressDeadlineSeconds (not while paused, at
// an analysis or pause step, or analysing), the rollout is Degraded, and aborted with
// progressDeadlineAbort unless the update is already complete.
import { progressDeadlineSecondsOf, type RolloutStatus, replicasOf } from '@ramp/api';
import { CONDITION, findCondition, REASON, setCondition } from './conditions';
import { abortUpdate } from './lifecycle';
import type { PlanDraft } from './plan-draft';
import { stepsOf } from './steps';

/** Argo's RolloutProgressing: what counts as progress between the previous status and this one. */
function madeProgress(b: PlanDraft, prev: RolloutStatus): boolean {
  const now = b.status;
  const old = (s: RolloutStatus) => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  const strategy =
    prev.blueGreen?.activeSelector !== now.blueGreen?.activeSelector ||
    prev.blueGreen?.previewSelector !== now.blueGreen?.previewSelector ||
    prev.stableRS !== now.stableRS ||
    (prev.currentStepIndex !== undefined && prev.currentStepIndex !== now.currentStepIndex) ||
    prev.currentStepHash !== now.currentStepHash;
  return (
    !!b.plan.createReplicaSet ||
    (prev.updatedReplicas ?? 0) !== (now.updatedReplicas ?? 0) ||
    old(now) < old(prev) ||
    (now.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
    (now.availableReplicas ?? 0) > (prev.availableReplicas ?? 0) ||
    strategy
  );
}

export interface ProgressFacts {
  /** The update is done: nothing left to progress. */
  complete: boolean;
  /** Time spent analysing does not count toward the deadline. */
  analysing: boolean;
}

/** Argo's isIndefiniteStep: at a pause or analysis step, or paused, time does not count. */
function indefinite(b: PlanDraft, facts: ProgressFacts): boolean {
  const steps = stepsOf(b.view.rollout);
  const step = steps[b.status.currentStepIndex ?? 0];
  if (b.view.rollout.spec.strategy?.canary && step && (step.pause || step.analysis || step.experiment))
    return true;
  return facts.analysing;
}

export function updateProgress(b: PlanDraft, facts: ProgressFacts): void {
  const { status, nowIso, view } = b;
  const prev = view.previous;
  const rsName = b.plan.createReplicaSet?.metadata.name ?? view.newRS?.metadata.name ?? view.name;
  const current = findCondition(status.conditions, CONDITION.progressing);
  const set = (s: 'True' | 'False' | 'Unknown', reason: string, message: string, touch = false) => {
    status.conditions = setCondition(
      status.conditions ?? [],
      CONDITION.progressing,
      s,
      reason,
      message,
      nowIso,
      touch,
    );
  };
  if (status.abort) return; // recordAbort wrote the condition
  const paused = !!view.rollout.spec.paused || (status.pauseConditions ?? []).length > 0;
  if (facts.complete) {
    set('True', REASON.newReplicaSetAvailable, `ReplicaSet "${rsName}" has successfully progressed.`);
    return;
  }
  if (paused) {
    set('Unknown', REASON.paused, 'Rollout is paused');
    return;
  }
  if (b.plan.createReplicaSet) {
    set('True', REASON.newReplicaSetCreated, `Created new replica set "${rsName}"`, true);
    return;
  }
  if (current?.reason === REASON.aborted) {
    // the abort was lifted (retry, or promote-full on the aborted update), as Argo says it
    set('Unknown', REASON.retry, 'Retrying Rollout after abort', true);
    return;
  }
  if (current?.reason === REASON.paused) {
    set('Unknown', REASON.resumed, 'Rollout is resumed', true);
    return;
  }
  const promoted = !!status.stableRS && status.stableRS === view.hash;
  const lostPods = promoted && (status.availableReplicas ?? 0) < replicasOf(view.rollout.spec);
  if (lostPods && current?.reason !== REASON.replicaSetNotAvailable && current?.reason !== REASON.timedOut) {
    // a completed update that lost pods (evicted, restarted): Argo's ReplicaSetNotAvailable
    set('True', REASON.replicaSetNotAvailable, 'Rollout does not have minimum availability', true);
    return;
  }
  if (madeProgress(b, prev) || !current) {
    set('True', REASON.replicaSetUpdated, `ReplicaSet "${rsName}" is progressing.`, true);
    return;
  }
  if (current.reason === REASON.timedOut || indefinite(b, facts)) return;
  const deadline = new Date(
    new Date(current.lastUpdateTime).getTime() + progressDeadlineSecondsOf(view.rollout.spec) * 1000,
  );
  if (b.now.getTime() < deadline.getTime()) {
    b.wakeAt(deadline);
    return;
  }
  const message = `ReplicaSet "${rsName}" has timed out progressing.`;
  set('False', REASON.timedOut, message);
  b.event('Warning', REASON.timedOut, message);
  // Argo aborts only an update in flight: a completed one that loses pods is only Degraded.
  if (view.rollout.spec.progressDeadlineAbort && !promoted)
    b.events(abortUpdate(status, view, nowIso, message));
}
