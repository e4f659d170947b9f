// The new revision becomes the stable (Argo's promoteStable): one transition for both strategies.
// Pauses end, an abort and a full promotion are over, a canary is past its last step, and, when the
// stable really moves, RolloutCompleted says why.

import { clearPauses } from './pause-abort';
import type { PlanBuilder } from './plan-builder';
import { stepsOf } from './steps';

/** Why the revision became the stable, in Argo's words (the end of the RolloutCompleted message). */
export type PromotionReason =
  | 'Initial deploy'
  | 'Fast rollback'
  | 'Full promotion requested'
  | 'Completed blue-green update'
  | `Completed all ${number} canary steps`;

export function promoteStable(b: PlanBuilder, reason: PromotionReason): void {
  const { status, view } = b;
  clearPauses(b);
  delete status.abort;
  delete status.abortedAt;
  delete status.promoteFull;
  if (status.blueGreen) delete status.blueGreen.scaleUpPreviewCheckPoint;
  const steps = stepsOf(view.rollout);
  if (view.rollout.spec.strategy?.canary && steps.length > 0) status.currentStepIndex = steps.length;
  if (status.stableRS === view.hash) return;
  status.stableRS = view.hash;
  b.event(
    'Normal',
    'RolloutCompleted',
    `Rollout completed update to revision ${view.revision} (${view.hash}): ${reason}`,
  );
}

/** The reason for a promotion at the end of an update: a full promotion, or the strategy's own. */
export function updateDone(b: PlanBuilder, own: PromotionReason): PromotionReason {
  return b.status.promoteFull ? 'Full promotion requested' : own;
}
