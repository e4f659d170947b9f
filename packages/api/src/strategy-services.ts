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
