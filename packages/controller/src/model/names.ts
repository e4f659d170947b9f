// Labels, annotations and names Argo Rollouts uses on the objects it manages. Ramp writes the
// same ones, so tools built for Argo (its plugin, Argo CD, dashboards) read Ramp's objects.

export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
/** On ReplicaSets and AnalysisRuns: the Rollout revision they belong to. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** On ReplicaSets: spec.replicas of the Rollout when the ReplicaSet was last scaled by it. */
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';
/** On an old ReplicaSet: when it may be scaled down (RFC 3339). */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
/** On Services the controller points at a revision: the Rollout that manages them. */
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
/** On ReplicaSets restarted by spec.restartAt. */
export const RESTARTED_AFTER_ANNOTATION = 'argo-rollouts.argoproj.io/restarted-after';
/** Objects of a controller instance (--instance-id). */
export const INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/**
 * On AnalysisRuns Ramp stopped (spec.terminate) because the Rollout no longer needed them: such a
 * run ends Successful ("Run Terminated"), and no gate ever takes that for a pass.
 */
export const TERMINATED_BY_ANNOTATION = 'ramp.dev/terminated-by';
export const TERMINATED_BY_ROLLOUT = 'rollout-controller';

/** On AnalysisRuns: what created them. */
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export type AnalysisRunType = 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion';

/** Pause reasons (status.pauseConditions[].reason). */
export const PAUSE_REASON = {
  canaryStep: 'CanaryPauseStep',
  blueGreen: 'BlueGreenPause',
  inconclusiveAnalysis: 'InconclusiveAnalysisRun',
} as const;

/** The name of a Rollout's ReplicaSet for a pod-template hash. */
export function replicaSetName(rolloutName: string, hash: string): string {
  return `${rolloutName}-${hash}`;
}

/** AnalysisRun names as Argo gives them. */
export function analysisRunName(
  rolloutName: string,
  hash: string,
  revision: number,
  type: AnalysisRunType,
  stepIndex?: number,
): string {
  const base = `${rolloutName}-${hash}-${revision}`;
  switch (type) {
    case 'Step':
      return `${base}-${stepIndex ?? 0}`;
    case 'Background':
      return base;
    case 'PrePromotion':
      return `${base}-pre`;
    case 'PostPromotion':
      return `${base}-post`;
  }
}
