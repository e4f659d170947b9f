// A Rollout's phase and message from its spec and status, computed as Argo Rollouts does, so Argo
// CD and Argo's plugin show the same health for a Ramp-run Rollout.
import { type RolloutSpec, type RolloutStatus, replicasOf } from '@ramp/api';
import { CONDITION, REASON } from './conditions';

export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

const completed = (phase: string | undefined) =>
  phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';

export function rolloutPhase(
  spec: RolloutSpec,
  status: RolloutStatus,
): { phase: RolloutPhase; message: string } {
  for (const c of status.conditions ?? []) {
    if (c.type === CONDITION.invalidSpec && c.status === 'True') {
      return { phase: 'Degraded', message: `${REASON.invalidSpec}: ${c.message}` };
    }
    if (c.type === CONDITION.trafficRouting && c.status === 'False') {
      return { phase: 'Degraded', message: `${REASON.trafficRoutingError}: ${c.message}` };
    }
    if (c.reason === REASON.aborted || c.reason === REASON.timedOut) {
      return { phase: 'Degraded', message: `${c.reason}: ${c.message}` };
    }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: 'Paused', message: pause.reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  if ((status.updatedReplicas ?? 0) < replicasOf(spec)) {
    return { phase: 'Progressing', message: 'more replicas need to be updated' };
  }
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  const fullyPromoted = !!status.stableRS && status.stableRS === status.currentPodHash;
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) {
      return { phase: 'Progressing', message: 'active service cutover pending' };
    }
    if (!fullyPromoted) {
      const post = status.blueGreen?.postPromotionAnalysisRunStatus;
      if (spec.strategy.blueGreen.postPromotionAnalysis && !completed(post?.status)) {
        return { phase: 'Progressing', message: 'waiting for analysis to complete' };
      }
      return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
    }
  } else if (spec.strategy?.canary) {
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!fullyPromoted) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { phase: 'Healthy', message: '' };
}
