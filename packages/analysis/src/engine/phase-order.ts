// The order of analysis phases, as Argo Rollouts ranks them (utils/analysis/helpers.go).
import type { AnalysisPhase } from '@ramp/api';

/** Best to worst: a run takes the worst phase of its completed metrics. */
export const PHASE_ORDER: readonly AnalysisPhase[] = [
  'Successful',
  'Running',
  'Pending',
  'Inconclusive',
  'Error',
  'Failed',
];

/**
 * Successful, Failed, Error and Inconclusive are final; Pending, Running (and none) are not. The one
 * check of a completed analysis phase: of a run, a metric, a measurement, or a Rollout's status entry
 * for a run (a string there).
 */
export function isCompleted(phase: AnalysisPhase | string | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

/** Argo's IsWorse: whether `candidate` ranks worse than `current`. */
export function isWorse(current: AnalysisPhase, candidate: AnalysisPhase): boolean {
  return PHASE_ORDER.indexOf(candidate) > PHASE_ORDER.indexOf(current);
}

export function worst(a: AnalysisPhase, b: AnalysisPhase): AnalysisPhase {
  return isWorse(a, b) ? b : a;
}
