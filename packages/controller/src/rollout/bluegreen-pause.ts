// A blue-green's wait before the promotion: none with auto-promotion at once, autoPromotionSeconds
// in a BlueGreenPause, or a person's promote with autoPromotionEnabled false. Returned as a value:
// whether to go, the pause to start, when to look again.
import { autoPromotionEnabledOf, type BlueGreenStrategy } from '@ramp/api';
import { PAUSE_REASON } from '../model/names';
import type { DecisionContext } from './decision';
import { type PauseChange, pauseStart } from './pauses';

export interface PromotionWait {
  go: boolean;
  pause?: PauseChange;
  wakeAt?: Date;
}

export function promotionWait(ctx: DecisionContext): PromotionWait {
  const bg = ctx.view.rollout.spec.strategy?.blueGreen as BlueGreenStrategy;
  if (ctx.status.blueGreen?.scaleUpPreviewCheckPoint || ctx.status.promoteFull) return { go: true };
  const autoSeconds = bg.autoPromotionSeconds ?? 0;
  const manual = !autoPromotionEnabledOf(bg);
  if (!manual && autoSeconds <= 0) return { go: true };
  const start = pauseStart(ctx.status.pauseConditions ?? [], PAUSE_REASON.blueGreen);
  if (!start) {
    if (ctx.lifecycle.userResumed && ctx.view.previous.currentPodHash === ctx.view.hash) return { go: true };
    const pause = { add: PAUSE_REASON.blueGreen };
    return manual
      ? { go: false, pause }
      : { go: false, pause, wakeAt: new Date(ctx.now.getTime() + autoSeconds * 1000) };
  }
  if (manual) return { go: false };
  const end = new Date(start.getTime() + autoSeconds * 1000);
  return ctx.now.getTime() >= end.getTime() ? { go: true } : { go: false, wakeAt: end };
}
