// The Progressing condition and the progress deadline: progress is any change of the replica
// counts, the step or the revision; without progress for progressDeadlineSeconds (not counting
// time paused or analysing), the rollout is Degraded, and aborted with progressDeadlineAbort.
import { progressDeadlineSecondsOf, type RolloutStatus } from '@ramp/api';
import { CONDITION, findCondition, REASON, setCondition } from './conditions';
import { abortUpdate } from './pause-abort';
import type { PlanBuilder } from './plan-builder';

const COUNTERS = [
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'currentStepIndex',
  'currentPodHash',
  'stableRS',
] as const;

function madeProgress(b: PlanBuilder, prev: RolloutStatus): boolean {
  if (b.plan.createReplicaSet || b.plan.updateReplicaSets.some((c) => c.replicas !== undefined)) return true;
  return COUNTERS.some((k) => prev[k] !== b.status[k]);
}

export interface ProgressFacts {
  /** The update is done: nothing left to progress. */
  complete: boolean;
  /** Time spent analysing does not count toward the deadline. */
  analysing: boolean;
}

export function updateProgress(b: PlanBuilder, facts: ProgressFacts): void {
  const { status, nowIso, view } = b;
  const prev = view.previous;
  const rsName = b.plan.createReplicaSet?.metadata.name ?? view.newRS?.metadata.name ?? view.name;
  const conditions = status.conditions ?? [];
  const current = findCondition(conditions, CONDITION.progressing);
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
    set('True', REASON.resumed, 'Rollout is resumed', true);
    return;
  }
  if (facts.analysing || madeProgress(b, prev) || !current) {
    set('True', REASON.replicaSetUpdated, `ReplicaSet "${rsName}" is progressing.`, true);
    return;
  }
  if (current.reason === REASON.timedOut) return;
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
  if (view.rollout.spec.progressDeadlineAbort) abortUpdate(b, `${REASON.timedOut}: ${message}`);
}
