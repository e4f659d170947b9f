// Hand-made RolloutStates for the package's tests: a Rollout and its ReplicaSets in a few words.
import type { Rollout } from '@ramp/api';
import type { ReplicaSetState, RolloutState } from '../rollout-state';

type Strategy = NonNullable<Rollout['spec']['strategy']>;

export function rolloutOf(
  status: NonNullable<Rollout['status']>,
  options: { replicas?: number; image?: string; strategy?: Strategy; generation?: number } = {},
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'app', namespace: 'chaos', generation: options.generation ?? 1 },
    spec: {
      replicas: options.replicas ?? 4,
      template: { spec: { containers: [{ name: 'app', image: options.image ?? 'app:v2' }] } },
      strategy: options.strategy ?? { canary: { stableService: 'app-stable', canaryService: 'app-canary' } },
    },
    status,
  };
}

/** A ReplicaSet `hash` running `image`: spec replicas, and its ready pods (all its pods unless `pods`). */
export function rsOf(
  hash: string,
  image: string,
  spec: number,
  ready: number,
  pods = Math.max(ready, spec),
): ReplicaSetState {
  return {
    name: `app-${hash}`,
    uid: `uid-${hash}`,
    hash,
    image,
    specReplicas: spec,
    pods,
    readyPods: ready,
    available: Math.min(spec, ready),
  };
}

export function stateOf(
  rollout: Rollout,
  replicaSets: ReplicaSetState[],
  services: Record<string, string | undefined>,
): RolloutState {
  return {
    rollout,
    replicaSets,
    services: Object.entries(services).map(([name, hash]) => ({
      name,
      exists: true,
      ...(hash ? { hash } : {}),
    })),
  };
}
