// Ping-pong (spec.strategy.canary.pingPong, for ALB and Istio): two Services take turns being the stable
// one. status.canary.stablePingPong says which ("ping" or "pong"; unset reads as "pong", as Argo's); the
// other is the canary, pointed at the new ReplicaSet during an update. When an update completes, the roles
// swap (promoteStable), so the Service that carried the canary's traffic carries all of it with no
// selector change, and the former stable is the next update's canary.
import { type Rollout, type SplitServices, splitServices } from '@ramp/api';

/** Whether the Rollout uses ping-pong Services. */
export const usesPingPong = (rollout: Rollout): boolean => !!rollout.spec.strategy?.canary?.pingPong;

/** The stablePingPong value after the roles swap (the first promotion makes "ping" the stable). */
export const swappedPingPong = (current: string | undefined): 'ping' | 'pong' =>
  current === 'ping' ? 'pong' : 'ping';

/**
 * The Services a routed canary's traffic goes through: the ping-pong pair when ALB routes it (ALB prefers
 * the pair) or the spec names no canary/stable Service, else canaryService and stableService.
 */
export function trafficServices(rollout: Rollout): SplitServices {
  return splitServices(rollout, !!rollout.spec.strategy?.canary?.trafficRouting?.alb);
}

/** The ping-pong Service that is the canary now (Argo's reconcilePingAndPongService), if pingPong is set. */
export function canaryPingPongService(rollout: Rollout): string | undefined {
  return usesPingPong(rollout) ? splitServices(rollout, true).canary : undefined;
}
