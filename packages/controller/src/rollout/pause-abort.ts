// Pausing and aborting, as status changes: pause conditions with controllerPause, and abort with
// its message kept in the Progressing condition (where the phase message comes from).
import type { PAUSE_REASON } from '../model/names';
import { CONDITION, findCondition, REASON, setCondition } from './conditions';
import type { PlanBuilder } from './plan-builder';

export type PauseReason = (typeof PAUSE_REASON)[keyof typeof PAUSE_REASON];

export function hasPause(b: PlanBuilder, reason: PauseReason): boolean {
  return (b.status.pauseConditions ?? []).some((p) => p.reason === reason);
}

export function pauseStart(b: PlanBuilder, reason: PauseReason): Date | undefined {
  const found = (b.status.pauseConditions ?? []).find((p) => p.reason === reason);
  return found ? new Date(found.startTime) : undefined;
}

export function addPause(b: PlanBuilder, reason: PauseReason): void {
  if (hasPause(b, reason)) return;
  b.status.pauseConditions = [...(b.status.pauseConditions ?? []), { reason, startTime: b.nowIso }];
  b.status.controllerPause = true;
}

/** Ends every pause (the RolloutResumed event comes from finishStatus, which sees them go). */
export function clearPauses(b: PlanBuilder): void {
  delete b.status.pauseConditions;
  delete b.status.controllerPause;
}

export const abortMessage = (revision: number, reason?: string): string =>
  `Rollout aborted update to revision ${revision}${reason ? `: ${reason}` : ''}`;

/**
 * Aborts the update (the controller's decision: failed analysis, progress deadline). A full
 * promotion in progress ends with it: a promoteFull that cannot be acted on is never kept.
 */
export function abortUpdate(b: PlanBuilder, reason: string): void {
  if (b.status.abort) return;
  b.status.abort = true;
  delete b.status.promoteFull;
  recordAbort(b, reason);
}

/**
 * Abort and promoteFull both set: whichever a person asked for last wins. An abort already
 * recorded (abortedAt set) followed by promote-full (Argo CD offers promote-full on an aborted
 * Rollout) lifts the abort, as Argo does, and the update is promoted. An abort not recorded yet
 * came during a full promotion: the full promotion ends.
 */
export function settleAbortAndPromoteFull(b: PlanBuilder): void {
  const { status } = b;
  if (!status.abort || !status.promoteFull) return;
  if (status.abortedAt) {
    delete status.abort;
    delete status.abortedAt;
  } else {
    delete status.promoteFull;
  }
}

/** Records an abort in the status once: when it happened, and why, in the Progressing condition. */
export function recordAbort(b: PlanBuilder, reason?: string): void {
  const progressing = findCondition(b.status.conditions, CONDITION.progressing);
  if (b.status.abortedAt && progressing?.reason === REASON.aborted) return;
  b.status.abortedAt = b.status.abortedAt ?? b.nowIso;
  delete b.status.pauseConditions;
  delete b.status.controllerPause;
  const message = abortMessage(b.view.revision, reason);
  b.status.conditions = setCondition(
    b.status.conditions ?? [],
    CONDITION.progressing,
    'False',
    REASON.aborted,
    message,
    b.nowIso,
  );
  b.event('Warning', 'RolloutAborted', message);
}
