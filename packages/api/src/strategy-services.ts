// The Services a Rollout's strategy points at its revisions, with the field that names each: one list
// for the controller (which checks they exist), lint and the tests' monitors.
import type { Rollout } from './schema/rollout';

export interface StrategyService {
  path: string;
  name: string | undefined;
}

/** The canary's canary, stable, ping and pong Services, the blue-green's active and preview ones (named or not). */
export function strategyServices(rollout: Rollout): StrategyService[] {
  const { canary, blueGreen } = rollout.spec?.strategy ?? {};
  return [
    { path: 'spec.strategy.canary.canaryService', name: canary?.canaryService },
    { path: 'spec.strategy.canary.stableService', name: canary?.stableService },
    { path: 'spec.strategy.canary.pingPong.pingService', name: canary?.pingPong?.pingService },
    { path: 'spec.strategy.canary.pingPong.pongService', name: canary?.pingPong?.pongService },
    { path: 'spec.strategy.blueGreen.activeService', name: blueGreen?.activeService },
    { path: 'spec.strategy.blueGreen.previewService', name: blueGreen?.previewService ?? undefined },
  ];
}

/** The names of the Services the strategy names. */
export const strategyServiceNames = (rollout: Rollout): string[] =>
  strategyServices(rollout)
    .map((s) => s.name)
    .filter((name): name is string => !!name);

/** The Services a router splits a canary's traffic between (names; empty when the spec names none). */
export interface SplitServices {
  canary: string;
  stable: string;
}

const named = (v: unknown): string => (typeof v === 'string' ? v : '');
const fields = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The stable and canary Services of a routed canary, as Argo's GetStableAndCanaryServices: with
 * pingPong, the Service status.canary.stablePingPong names ("ping" or "pong"; unset reads as "pong") is
 * the stable and the other the canary. ALB prefers the ping-pong pair whenever pingPong is set
 * (`pingPongPreferred`); the other routers use it only when the spec names neither canaryService nor
 * stableService. Read from any shape (the CLI shows Rollouts as stored): a field of the wrong type names
 * no Service.
 */
export function splitServices(
  rollout: { spec?: unknown; status?: { canary?: { stablePingPong?: string } } },
  pingPongPreferred: boolean,
): SplitServices {
  const canary = fields(fields(fields(rollout.spec).strategy).canary);
  const services = { canary: named(canary.canaryService), stable: named(canary.stableService) };
  if (canary.pingPong === undefined || canary.pingPong === null) return services;
  if (!pingPongPreferred && (services.canary || services.stable)) return services;
  const pingPong = fields(canary.pingPong);
  const ping = named(pingPong.pingService);
  const pong = named(pingPong.pongService);
  return rollout.status?.canary?.stablePingPong === 'ping'
    ? { stable: ping, canary: pong }
    : { stable: pong, canary: ping };
}
