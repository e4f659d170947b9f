// The availability floor of a Rollout, resolved as Argo Rollouts resolves its limits (utils/replicaset
// MaxUnavailable, resolveFenceposts): maxSurge rounds up, maxUnavailable rounds down, both default to
// 25%, a blue-green Rollout takes its own maxUnavailable and the default maxSurge; when both come out
// as 0, maxUnavailable is 1; maxUnavailable never exceeds replicas. Written from Argo's rules, not from
// the controller's code: the monitor is an independent oracle.
import { type Rollout, scaleIntOrPercent, strategyServiceNames } from '@ramp/api';

const DEFAULT_LIMIT = '25%';

export const replicasOf = (ro: Rollout): number => ro.spec.replicas ?? 1;

function scaled(value: number | string | undefined, replicas: number, roundUp: boolean): number {
  const n = scaleIntOrPercent(value ?? DEFAULT_LIMIT, replicas, roundUp);
  if (n === undefined) throw new Error(`not an int or a percentage: ${JSON.stringify(value)}`);
  return n;
}

/** Pods of the Rollout that may be unavailable during an update. */
export function maxUnavailableOf(ro: Rollout): number {
  const replicas = replicasOf(ro);
  const { canary, blueGreen } = ro.spec.strategy ?? {};
  const surge = scaled(canary?.maxSurge, replicas, true);
  let unavailable = scaled(blueGreen ? blueGreen.maxUnavailable : canary?.maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return Math.min(unavailable, replicas);
}

/** replicas − maxUnavailable: the available pods a Rollout keeps from its first Healthy on. */
export const availabilityFloorOf = (ro: Rollout): number => replicasOf(ro) - maxUnavailableOf(ro);

/** The Services the strategy points at ReplicaSets: stable and canary, or active and preview. */
export const servicesOf = strategyServiceNames;
