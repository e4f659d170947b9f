// Routed canaries for the tests of `get rollout` (not used by the commands): a Rollout per router, the
// routing objects as the user writes them or as the controller leaves them mid-walk, and the status the
// controller would have written at a step (status.canary.weights, the TrafficRouting condition), so the
// views can be tested without the controller running.
import type { Rollout } from '@ramp/api';
import type { KubeObject } from '@ramp/testkit';
import type { RolloutObj } from '../kube/model';

export type RouterName = 'gateway' | 'nginx' | 'smi';

export const GATEWAY_V1 = 'gateway.networking.k8s.io/v1';
export const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];

const TRAFFIC_ROUTING: Record<RouterName, Record<string, unknown>> = {
  gateway: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } },
  nginx: { nginx: { stableIngress: 'web-ingress' } },
  smi: { smi: {} },
};

/** A canary through `router`, with Services `<name>-canary` and `<name>-stable`; `routing` replaces the router's config. */
export function routedRollout(
  name: string,
  router: RouterName,
  routing: Record<string, unknown> = TRAFFIC_ROUTING[router],
  namespace = 'default',
): RolloutObj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'web:v2' }] },
      },
      strategy: {
        canary: {
          canaryService: `${name}-canary`,
          stableService: `${name}-stable`,
          steps: STEPS,
          trafficRouting: routing as NonNullable<
            NonNullable<Rollout['spec']['strategy']>['canary']
          >['trafficRouting'],
        },
      },
    },
  };
}

const ownedBy = (rollout: { name: string; uid?: string }) => [
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.name,
    uid: rollout.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  },
];

/** An HTTPRoute splitting one rule between `services`, with the weights given (none: the user's route). */
export function httpRoute(
  name: string,
  services: { canary: string; stable: string },
  weights?: { canary: number; stable: number },
  namespace = 'default',
): KubeObject {
  const ref = (service: string, weight: number | undefined) => ({
    name: service,
    port: 80,
    ...(weight !== undefined ? { weight } : {}),
  });
  return {
    apiVersion: GATEWAY_V1,
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        { backendRefs: [ref(services.stable, weights?.stable), ref(services.canary, weights?.canary)] },
      ],
    },
  } as unknown as KubeObject;
}

/** The stable Ingress a person writes: one path to the stable Service. */
export function stableIngress(name: string, stableService: string, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'web.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: stableService, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  } as unknown as KubeObject;
}

/** The canary Ingress as the controller keeps it: owned by the Rollout, `canary` and `canary-weight`. */
export function canaryIngress(
  rollout: { name: string; uid?: string },
  stable: string,
  canaryService: string,
  weight: number,
  namespace = 'default',
): KubeObject {
  const ingress = stableIngress(`${rollout.name}-${stable}-canary`, canaryService, namespace) as unknown as {
    metadata: Record<string, unknown>;
  };
  ingress.metadata.annotations = {
    'nginx.ingress.kubernetes.io/canary': 'true',
    'nginx.ingress.kubernetes.io/canary-weight': String(weight),
  };
  ingress.metadata.ownerReferences = ownedBy(rollout);
  return ingress as unknown as KubeObject;
}

/** The TrafficSplit as the controller keeps it at `apiVersion` (v1alpha1 weights are quantities). */
export function trafficSplit(
  rollout: { name: string; uid?: string },
  services: { canary: string; stable: string },
  weight: number,
  apiVersion = 'split.smi-spec.io/v1alpha4',
  namespace = 'default',
): KubeObject {
  const w = (n: number) => (apiVersion.endsWith('/v1alpha1') ? String(n) : n);
  return {
    apiVersion,
    kind: 'TrafficSplit',
    metadata: { name: rollout.name, namespace, ownerReferences: ownedBy(rollout) },
    spec: {
      service: services.stable,
      backends: [
        { service: services.canary, weight: w(weight) },
        { service: services.stable, weight: w(100 - weight) },
      ],
    },
  } as unknown as KubeObject;
}

export interface WalkPoint {
  /** The step index reached. */
  step: number;
  weight: number;
  verified: boolean;
  stableHash: string;
  canaryHash: string;
  /** The TrafficRouting condition's message, False (the rollout waits for its routing objects). */
  routingError?: string;
}

/** The status the controller writes for a routed canary paused at `at.step` with `at.weight`. */
export function walkStatus(ro: RolloutObj, at: WalkPoint): NonNullable<Rollout['status']> {
  const canary = ro.spec.strategy?.canary ?? {};
  const time = '2026-11-21T11:59:00Z';
  const conditions = at.routingError
    ? [
        {
          type: 'TrafficRouting',
          status: 'False',
          reason: 'TrafficRoutingError',
          message: at.routingError,
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
      ]
    : [];
  return {
    phase: at.routingError ? 'Degraded' : 'Paused',
    message: at.routingError ? `TrafficRoutingError: ${at.routingError}` : 'CanaryPauseStep',
    observedGeneration: String(ro.metadata.generation ?? 1),
    currentStepIndex: at.step,
    currentPodHash: at.canaryHash,
    stableRS: at.stableHash,
    replicas: 6,
    updatedReplicas: 1,
    readyReplicas: 6,
    availableReplicas: 6,
    ...(at.routingError ? {} : { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: time }] }),
    conditions,
    canary: {
      weights: {
        canary: { weight: at.weight, podTemplateHash: at.canaryHash, serviceName: canary.canaryService },
        stable: {
          weight: 100 - at.weight,
          podTemplateHash: at.stableHash,
          serviceName: canary.stableService,
        },
        verified: at.verified,
      },
    },
  } as NonNullable<Rollout['status']>;
}
