// Where a canary stands in its steps: the current step, the weight in force, the steps' hash.
import { type CanaryStep, type Rollout, valueHash } from '@ramp/api';

export const stepsOf = (rollout: Rollout): CanaryStep[] => rollout.spec.strategy?.canary?.steps ?? [];

/** The hash of the step list; a change of steps restarts the canary from step 0, as in Argo. */
export const stepsHash = (rollout: Rollout): string => valueHash(stepsOf(rollout));

/** The weight in force at step `index`: the last setWeight at or before it (0 if none, 100 past the end). */
export function setWeightAt(steps: readonly CanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** A step as the plugin shows it: `setWeight: 20`, `pause: 1h`, `pause`, `analysis`. */
export function describeStep(step: CanaryStep | undefined): string {
  if (!step) return 'none';
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause) return step.pause.duration !== undefined ? `pause: ${step.pause.duration}` : 'pause';
  if (step.analysis) return 'analysis';
  if (step.setCanaryScale) return 'setCanaryScale';
  if (step.experiment) return 'experiment';
  return 'invalid';
}
