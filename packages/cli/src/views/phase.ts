// A Rollout's phase as the plugin reports it: the phase and message the controller wrote, unless the
// controller has not seen the latest spec yet (then Progressing, as Argo's plugin says), and whether a
// paused rollout waits for a person.
import { PAUSE_REASON, type RolloutObj, stepsOf } from '../kube/model';

export type Phase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

export interface PhaseInfo {
  phase: Phase;
  message: string;
}

export const PHASE_ICON: Record<Phase, string> = {
  Healthy: '✔',
  Progressing: '◌',
  Paused: '॥',
  Degraded: '✖',
};

export function phaseOf(ro: RolloutObj): PhaseInfo {
  const status = ro.status;
  const generation = ro.metadata.generation;
  if (!status?.phase || (generation !== undefined && status.observedGeneration !== String(generation))) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  return { phase: status.phase, message: status.message ?? '' };
}

/**
 * Why a paused rollout waits for a person (a promote, resume or abort), or undefined when it does not
 * (not paused, or a timed pause that ends by itself).
 */
export function waitingForPerson(ro: RolloutObj): string | undefined {
  if (phaseOf(ro).phase !== 'Paused') return undefined;
  if (ro.spec.paused) return 'it was paused by hand (spec.paused)';
  const reasons = (ro.status?.pauseConditions ?? []).map((p) => p.reason);
  if (reasons.includes(PAUSE_REASON.inconclusiveAnalysis)) return 'an analysis was inconclusive';
  const blueGreen = ro.spec.strategy?.blueGreen;
  if (reasons.includes(PAUSE_REASON.blueGreen) && blueGreen?.autoPromotionEnabled === false) {
    return 'the new version waits for promotion (autoPromotionEnabled: false)';
  }
  if (reasons.includes(PAUSE_REASON.canaryStep)) {
    const index = ro.status?.currentStepIndex ?? 0;
    const step = stepsOf(ro)[index];
    if (step?.pause && step.pause.duration === undefined) {
      return `step ${index + 1} is a pause without a duration`;
    }
  }
  return undefined;
}
