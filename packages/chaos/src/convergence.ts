// What "converged" means at the end of a run, after the finale (script-actions.ts), per Rollout:
//
// healthy (its image is good): status.phase Healthy for the current generation (observedGeneration),
//   no abort, pause or promoteFull left; stableRS = currentPodHash, and that ReplicaSet runs the image
//   with spec.replicas = replicas, that many pods, all available; every other ReplicaSet at 0 with no
//   pod; every strategy Service selects the stable hash.
// aborted (its image crash-loops): status.abort, phase Degraded for the current generation; the
//   current ReplicaSet (currentPodHash, the bad image) at 0 with no pod; the stable ReplicaSet runs a
//   good image at spec.replicas = replicas, all available; every other ReplicaSet at 0 with no pod;
//   every strategy Service selects the stable hash.
//
// Blue-green's delayed scale-downs are part of it (a few seconds in the fleet), so a converged
// Rollout has nothing left to do: the controller must then be idle.
import { replicasOf } from './limits';
import { imageOfRollout, type RolloutState, replicaSetOfHash } from './rollout-state';
import { isBadImage } from './script-actions';

export type Outcome = 'healthy' | 'aborted';

export const outcomeOf = (state: RolloutState): Outcome =>
  isBadImage(imageOfRollout(state.rollout)) ? 'aborted' : 'healthy';

/** What still differs from the converged state, or undefined when converged. */
export function unconverged(state: RolloutState): string | undefined {
  const ro = state.rollout;
  const s = ro.status ?? {};
  const replicas = replicasOf(ro);
  const outcome = outcomeOf(state);
  const problems: string[] = [];
  if (String(s.observedGeneration) !== String(ro.metadata.generation))
    problems.push(`observedGeneration ${s.observedGeneration} ≠ generation ${ro.metadata.generation}`);
  const stable = replicaSetOfHash(state, s.stableRS);
  const current = replicaSetOfHash(state, s.currentPodHash);
  if (outcome === 'healthy') {
    if (s.phase !== 'Healthy') problems.push(`phase ${s.phase}, not Healthy`);
    if (s.abort || s.promoteFull || (s.pauseConditions ?? []).length > 0)
      problems.push('abort, promoteFull or a pause condition left');
    if (!s.stableRS || s.stableRS !== s.currentPodHash) problems.push('stableRS ≠ currentPodHash');
    if (stable && stable.image !== imageOfRollout(ro)) problems.push(`the stable runs ${stable.image}`);
  } else {
    if (s.abort !== true || s.phase !== 'Degraded') problems.push(`phase ${s.phase}, abort ${s.abort}`);
    if (stable && isBadImage(stable.image)) problems.push(`the stable runs ${stable.image}`);
    if (!current || current.image !== imageOfRollout(ro)) problems.push('no current ReplicaSet of the image');
    else if (current === stable) problems.push('the current ReplicaSet is the stable');
  }
  if (!stable) problems.push(`no ReplicaSet for stableRS ${s.stableRS}`);
  else if (stable.specReplicas !== replicas || stable.pods !== replicas || stable.available !== replicas)
    problems.push(
      `stable ${stable.name}: spec ${stable.specReplicas}, pods ${stable.pods}, available ${stable.available}`,
    );
  for (const rs of state.replicaSets) {
    if (rs === stable || (rs.specReplicas === 0 && rs.pods === 0)) continue;
    problems.push(`${rs.name}: spec ${rs.specReplicas}, pods ${rs.pods}, not 0`);
  }
  for (const svc of state.services) {
    if (svc.hash !== s.stableRS) problems.push(`Service ${svc.name} → ${svc.hash}, not the stable`);
  }
  return problems.length > 0 ? `${outcome}: ${problems.join('; ')}` : undefined;
}
