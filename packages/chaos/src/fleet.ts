// The Rollouts of a chaos run and their Services: a dozen, covering the strategies and their options
// (canary with timed steps, with an indefinite pause, without steps, maxSurge/maxUnavailable as numbers
// and percentages, with and without Services; blue-green with autoPromotionEnabled true and false,
// autoPromotionSeconds, previewReplicaCount, with and without a preview Service), replicas 2 to 5. The
// same for every seed: the seed varies what happens to them. Delays that default to 30 s
// (scaleDownDelaySeconds, abortScaleDownDelaySeconds) are a few seconds, to keep a run short.
import type { Rollout } from '@ramp/api';
import { servicesOf } from './limits';

export const NAMESPACE = 'chaos';
/** The Rollouts' apiVersion. */
export const RO = 'argoproj.io/v1alpha1';

type Strategy = NonNullable<Rollout['spec']['strategy']>;
type CanaryStep = NonNullable<NonNullable<Strategy['canary']>['steps']>[number];

interface Member {
  name: string;
  replicas: number;
  strategy: Strategy;
  revisionHistoryLimit?: number;
}

const pause = (seconds?: number): CanaryStep =>
  seconds === undefined ? { pause: {} } : { pause: { duration: `${seconds}s` } };

const services = (name: string, ...roles: string[]) =>
  Object.fromEntries(roles.map((role) => [`${role}Service`, `${name}-${role}`]));

const MEMBERS: Member[] = [
  {
    name: 'canary-steps',
    replicas: 5,
    strategy: {
      canary: {
        ...services('canary-steps', 'stable', 'canary'),
        steps: [{ setWeight: 20 }, pause(2), { setWeight: 60 }, pause(2)],
      },
    },
  },
  {
    name: 'canary-surge1',
    replicas: 4,
    strategy: {
      canary: {
        ...services('canary-surge1', 'stable', 'canary'),
        maxSurge: 1,
        maxUnavailable: 0,
        steps: [{ setWeight: 50 }, pause(3)],
      },
    },
  },
  {
    name: 'canary-nosurge',
    replicas: 3,
    strategy: {
      canary: {
        maxSurge: 0,
        maxUnavailable: 1,
        steps: [{ setWeight: 34 }, pause(1), { setWeight: 67 }, pause(1)],
      },
    },
  },
  {
    name: 'canary-manual',
    replicas: 3,
    revisionHistoryLimit: 2,
    strategy: {
      canary: { ...services('canary-manual', 'stable', 'canary'), steps: [{ setWeight: 33 }, pause()] },
    },
  },
  {
    name: 'canary-pause-first',
    replicas: 2,
    strategy: { canary: { steps: [pause(2), { setWeight: 50 }, pause(1)] } },
  },
  {
    name: 'canary-percent',
    replicas: 5,
    strategy: {
      canary: {
        ...services('canary-percent', 'stable', 'canary'),
        maxSurge: '20%',
        maxUnavailable: '40%',
        steps: [{ setWeight: 40 }, pause(1), { setWeight: 80 }, pause(2)],
      },
    },
  },
  {
    name: 'canary-nosteps',
    replicas: 4,
    strategy: { canary: { ...services('canary-nosteps', 'stable'), maxSurge: '50%', maxUnavailable: '25%' } },
  },
  {
    name: 'canary-nosteps-small',
    replicas: 2,
    revisionHistoryLimit: 1,
    // 10% of 2 rounds down to 0 unavailable: one surge pod at a time, never one fewer.
    strategy: { canary: { maxSurge: 1, maxUnavailable: '10%' } },
  },
  {
    name: 'bluegreen-auto',
    replicas: 3,
    strategy: {
      blueGreen: {
        activeService: 'bluegreen-auto-active',
        previewService: 'bluegreen-auto-preview',
        scaleDownDelaySeconds: 2,
        abortScaleDownDelaySeconds: 1,
      },
    },
  },
  {
    name: 'bluegreen-manual',
    replicas: 4,
    strategy: {
      blueGreen: {
        activeService: 'bluegreen-manual-active',
        previewService: 'bluegreen-manual-preview',
        autoPromotionEnabled: false,
        scaleDownDelaySeconds: 2,
        abortScaleDownDelaySeconds: 2,
      },
    },
  },
  {
    name: 'bluegreen-seconds',
    replicas: 2,
    revisionHistoryLimit: 2,
    strategy: {
      blueGreen: {
        activeService: 'bluegreen-seconds-active',
        autoPromotionSeconds: 2,
        scaleDownDelaySeconds: 1,
        abortScaleDownDelaySeconds: 1,
      },
    },
  },
  {
    name: 'bluegreen-preview1',
    replicas: 5,
    strategy: {
      blueGreen: {
        activeService: 'bluegreen-preview1-active',
        previewService: 'bluegreen-preview1-preview',
        autoPromotionEnabled: false,
        previewReplicaCount: 1,
        maxUnavailable: 1,
        scaleDownDelaySeconds: 2,
        abortScaleDownDelaySeconds: 1,
      },
    },
  },
];

/** The fleet's Rollout names. */
export const FLEET: readonly string[] = MEMBERS.map((m) => m.name);
/** Those with the canary strategy. */
export const CANARIES: readonly string[] = MEMBERS.filter((m) => m.strategy.canary).map((m) => m.name);

/** The image of a Rollout at a version: `chaos.example/NAME:vN`, `...:vN-bad` for one that crash-loops. */
export const imageAt = (name: string, version: number, bad = false): string =>
  `chaos.example/${name}:v${version}${bad ? '-bad' : ''}`;

function rollout(m: Member): Rollout {
  return {
    apiVersion: RO,
    kind: 'Rollout',
    metadata: { name: m.name, namespace: NAMESPACE },
    spec: {
      replicas: m.replicas,
      ...(m.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: m.revisionHistoryLimit } : {}),
      selector: { matchLabels: { app: m.name } },
      template: {
        metadata: { labels: { app: m.name } },
        spec: { containers: [{ name: 'app', image: imageAt(m.name, 1), ports: [{ containerPort: 8080 }] }] },
      },
      strategy: m.strategy,
    },
  };
}

/** Everything to create, in order: the namespace, the Services, then the Rollouts. */
export function fleetObjects(): Record<string, unknown>[] {
  const rollouts = MEMBERS.map(rollout);
  const svcs = rollouts.flatMap((ro) =>
    servicesOf(ro).map((svc) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svc, namespace: NAMESPACE },
      spec: { selector: { app: ro.metadata.name }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] },
    })),
  );
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, ...svcs, ...rollouts];
}
