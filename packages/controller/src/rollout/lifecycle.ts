// The lifecycle both strategies share, written once: where a reconcile starts from (a new revision
// or new steps start the progress again, a retry too; abort and promote-full settled), and the
// transitions a strategy asks for (promote, abort), carried out the same way for canary and
// blue-green. Pause conditions are in pauses.ts. Each function takes the status it may change and
// returns the events it records.
import type { RolloutStatus } from '@ramp/api';
import type { KubeEvent } from '../model/plan';
import { swappedPingPong, usesPingPong } from '../routing/ping-pong';
import { CONDITION, findCondition, REASON, setCondition } from './conditions';
import { stepsHash, stepsOf } from './steps';
import type { RolloutView } from './view';

export interface LifecycleFacts {
  /** A new revision (template), or a canary's steps changed: its progress starts again. */
  newRevision: boolean;
  /** A retry after an abort: `abort` cleared while `abortedAt` is still set. */
  retrying: boolean;
  /** A person resumed what the controller paused: the pause conditions were cleared. */
  userResumed: boolean;
}

/** Why a revision became the stable, in Argo's words (the end of the RolloutCompleted message). */
export type PromotionReason =
  | 'Initial deploy'
  | 'Fast rollback'
  | 'Full promotion requested'
  | 'Completed blue-green update'
  | `Completed all ${number} canary steps`;

const isBlueGreen = (view: RolloutView) => !!view.rollout.spec.strategy?.blueGreen;

/** What belonged to the progress of the previous revision (or attempt): steps, runs, pauses. */
function restartProgress(status: RolloutStatus, view: RolloutView): void {
  delete status.pauseConditions;
  delete status.controllerPause;
  if (isBlueGreen(view)) {
    if (status.blueGreen) {
      delete status.blueGreen.prePromotionAnalysisRunStatus;
      delete status.blueGreen.postPromotionAnalysisRunStatus;
      delete status.blueGreen.scaleUpPreviewCheckPoint;
    }
    return;
  }
  if (status.canary) {
    delete status.canary.currentStepAnalysisRunStatus;
    delete status.canary.currentBackgroundAnalysisRunStatus;
  }
  status.currentStepIndex = 0;
}

/**
 * Abort and promoteFull both set: whichever a person asked for last wins. An abort already
 * recorded (abortedAt set) followed by promote-full (Argo CD offers promote-full on an aborted
 * Rollout) lifts the abort, as Argo does, and the update is promoted. An abort not recorded yet
 * came during a full promotion: the full promotion ends.
 */
function settleAbortAndPromoteFull(status: RolloutStatus): void {
  if (!status.abort || !status.promoteFull) return;
  if (status.abortedAt) {
    delete status.abort;
    delete status.abortedAt;
  } else {
    delete status.promoteFull;
  }
}

/** Where this reconcile starts: the previous status with the lifecycle's resets applied. */
export function beginLifecycle(view: RolloutView): { status: RolloutStatus; facts: LifecycleFacts } {
  const prev = view.previous;
  // A copy of the levels the resets below change (compose.ts makes the one deep copy of the status).
  const status: RolloutStatus = {
    ...prev,
    ...(prev.canary ? { canary: { ...prev.canary } } : {}),
    ...(prev.blueGreen ? { blueGreen: { ...prev.blueGreen } } : {}),
  };
  const stepsChanged =
    !isBlueGreen(view) &&
    prev.currentStepHash !== undefined &&
    prev.currentStepHash !== stepsHash(view.rollout);
  const newRevision = view.newRevisionPushed || stepsChanged;
  const retrying = !prev.abort && !!prev.abortedAt;
  if (newRevision || retrying) restartProgress(status, view);
  if (newRevision) {
    delete status.abort;
    delete status.abortedAt;
    delete status.promoteFull;
  }
  if (retrying) delete status.abortedAt;
  settleAbortAndPromoteFull(status);
  const userResumed = prev.controllerPause === true && (prev.pauseConditions ?? []).length === 0;
  return { status, facts: { newRevision, retrying, userResumed } };
}

/** The new revision becomes the stable (Argo's promoteStable); RolloutCompleted when it really moves. */
export function promoteStable(
  status: RolloutStatus,
  view: RolloutView,
  reason: PromotionReason,
): KubeEvent[] {
  delete status.pauseConditions;
  delete status.controllerPause;
  delete status.abort;
  delete status.abortedAt;
  delete status.promoteFull;
  if (status.blueGreen) delete status.blueGreen.scaleUpPreviewCheckPoint;
  const steps = stepsOf(view.rollout);
  if (view.rollout.spec.strategy?.canary && steps.length > 0) status.currentStepIndex = steps.length;
  if (status.stableRS === view.hash) return [];
  status.stableRS = view.hash;
  if (usesPingPong(view.rollout))
    status.canary = {
      ...(status.canary ?? {}),
      stablePingPong: swappedPingPong(status.canary?.stablePingPong),
    };
  const message = `Rollout completed update to revision ${view.revision} (${view.hash}): ${reason}`;
  return [{ type: 'Normal', reason: 'RolloutCompleted', message }];
}

export const abortMessage = (revision: number, reason?: string): string =>
  `Rollout aborted update to revision ${revision}${reason ? `: ${reason}` : ''}`;

/**
 * Aborts the update (the controller's decision: a failed analysis, the progress deadline). A full
 * promotion in progress ends with it: a promoteFull that cannot be acted on is never kept.
 */
export function abortUpdate(
  status: RolloutStatus,
  view: RolloutView,
  nowIso: string,
  reason: string,
): KubeEvent[] {
  if (status.abort) return [];
  status.abort = true;
  delete status.promoteFull;
  return recordAbort(status, view, nowIso, reason);
}

/** Records an abort in the status once: when it happened, and why, in the Progressing condition. */
export function recordAbort(
  status: RolloutStatus,
  view: RolloutView,
  nowIso: string,
  reason?: string,
): KubeEvent[] {
  const progressing = findCondition(status.conditions, CONDITION.progressing);
  if (status.abortedAt && progressing?.reason === REASON.aborted) return [];
  status.abortedAt = status.abortedAt ?? nowIso;
  delete status.pauseConditions;
  delete status.controllerPause;
  const message = abortMessage(view.revision, reason);
  status.conditions = setCondition(
    status.conditions ?? [],
    CONDITION.progressing,
    'False',
    REASON.aborted,
    message,
    nowIso,
  );
  return [{ type: 'Warning', reason: 'RolloutAborted', message }];
}

/** The reason for a promotion at the end of an update: a full promotion, or the strategy's own. */
export function updateDone(status: Readonly<RolloutStatus>, own: PromotionReason): PromotionReason {
  return status.promoteFull ? 'Full promotion requested' : own;
}
