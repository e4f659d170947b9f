// Routed canaries for the tests of `get rollout` (not used by the commands): a Rollout per router, the
// routing objects as the user writes them or as the controller leaves them mid-walk, and the status the
// controller would have written at a step (status.canary.weights, the TrafficRouting condition), so the
// views can be tested without the controller running.
import type { Rollout } from '@ramp/api';
import type { KubeObject } from '@ramp/testkit';
import type { RolloutObj } from '../kube/model';

export type RouterName = 'gateway' | 'nginx' | 'smi' | 'istio';

export const GATEWAY_V1 = 'gateway.networking.k8s.io/v1';
export const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];

const TRAFFIC_ROUTING: Record<RouterName, Record<string, unknown>> = {
  gateway: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } },
  nginx: { nginx: { stableIngress: 'web-ingress' } },
  smi: { smi: {} },
  istio: { istio: { virtualService: { name: 'web-vsvc', routes: ['primary'] } } },
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

export const ISTIO_V1ALPHA3 = 'networking.istio.io/v1alpha3';

/**
 * A VirtualService as Argo's e2e writes it: one http route `primary`, to the stable and canary Service
 * hosts, or (`subsetsOf`: the DestinationRule's host) to that host's `stable` and `canary` subsets.
 */
export function virtualService(
  name: string,
  services: { canary: string; stable: string },
  weights: { canary: number; stable: number } = { canary: 0, stable: 100 },
  opts: { subsetsOf?: string; namespace?: string } = {},
): KubeObject {
  const destination = (which: 'canary' | 'stable') =>
    opts.subsetsOf ? { host: opts.subsetsOf, subset: which } : { host: services[which] };
  return {
    apiVersion: ISTIO_V1ALPHA3,
    kind: 'VirtualService',
    metadata: { name, namespace: opts.namespace ?? 'default' },
    spec: {
      hosts: [opts.subsetsOf ?? services.stable],
      http: [
        {
          name: 'primary',
          route: [
            { destination: destination('stable'), weight: weights.stable },
            { destination: destination('canary'), weight: weights.canary },
          ],
        },
      ],
    },
  } as unknown as KubeObject;
}

/** The DestinationRule of a subset split: subsets `stable` and `canary` of `host`, with the hashes Ramp labels them with. */
export function destinationRule(
  name: string,
  host: string,
  hashes: { canary?: string; stable?: string },
  namespace = 'default',
): KubeObject {
  const subset = (which: 'canary' | 'stable') => ({
    name: which,
    labels: {
      app: host,
      ...(hashes[which] ? { 'rollouts-pod-template-hash': hashes[which] } : {}),
    },
  });
  return {
    apiVersion: ISTIO_V1ALPHA3,
    kind: 'DestinationRule',
    metadata: { name, namespace },
    spec: { host, subsets: [subset('stable'), subset('canary')] },
  } as unknown as KubeObject;
}

/** The forward action Ramp writes on an ALB Ingress (Argo's getForwardActionString), as JSON. */
export function albAction(services: { canary: string; stable: string }, weight: number, port = 80): string {
  return JSON.stringify({
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { ServiceName: services.canary, ServicePort: String(port), Weight: weight },
        { ServiceName: services.stable, ServicePort: String(port), Weight: 100 - weight },
      ],
    },
  });
}

/** An ALB Ingress as Argo's e2e writes it (one path to `rootService`, port use-annotation), with `annotations`. */
export function albIngress(
  name: string,
  rootService: string,
  annotations: Record<string, string> = {},
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations: { 'kubernetes.io/ingress.class': 'alb', ...annotations } },
    spec: {
      rules: [
        {
          http: {
            paths: [
              {
                path: '/*',
                pathType: 'ImplementationSpecific',
                backend: { service: { name: rootService, port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  } as unknown as KubeObject;
}

/** An ApisixRoute as Argo's e2e writes it: http rule `rule` with backends to the stable and canary Services. */
export function apisixRoute(
  name: string,
  rule: string,
  services: { canary: string; stable: string },
  weights: { canary: number; stable: number } = { canary: 0, stable: 100 },
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'apisix.apache.org/v2',
    kind: 'ApisixRoute',
    metadata: { name, namespace },
    spec: {
      http: [
        {
          name: rule,
          match: { paths: ['/*'], hosts: ['web.apisix.local'] },
          backends: [
            { serviceName: services.stable, servicePort: 80, weight: weights.stable },
            { serviceName: services.canary, servicePort: 80, weight: weights.canary },
          ],
        },
      ],
    },
  } as unknown as KubeObject;
}

/** A weighted TraefikService as Argo's docs write it; `weights` unset leaves the weights out (Traefik's 1 each). */
export function traefikService(
  name: string,
  services: { canary: string; stable: string },
  weights?: { canary: number; stable: number },
  namespace = 'default',
): KubeObject {
  const entry = (which: 'canary' | 'stable') => ({
    name: services[which],
    port: 80,
    ...(weights ? { weight: weights[which] } : {}),
  });
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TraefikService',
    metadata: { name, namespace },
    spec: { weighted: { services: [entry('stable'), entry('canary')] } },
  } as unknown as KubeObject;
}

/** An Ambassador Mapping as Argo's example writes it (`service: echo-stable:80`); with `weight`, the canary Mapping Ramp creates. */
export function ambassadorMapping(
  name: string,
  service: string,
  weight?: number,
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: { name, namespace },
    spec: {
      resolver: 'endpoint',
      prefix: '/echo',
      rewrite: '/echo',
      service,
      ...(weight !== undefined ? { weight } : {}),
    },
  } as unknown as KubeObject;
}

/** JSON values of every shape a user or a broken tool may write, for never-throws tests. */
export function hostileJson(count: number): unknown[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const keys = [
    'http',
    'tls',
    'tcp',
    'route',
    'destination',
    'host',
    'subset',
    'weight',
    'name',
    'match',
    'port',
    'sniHosts',
    'subsets',
    'labels',
    'rollouts-pod-template-hash',
    'backends',
    'serviceName',
    'weighted',
    'services',
    'service',
    'rules',
    'backendRefs',
    'ForwardConfig',
    'TargetGroups',
    'ServiceName',
    'Weight',
    'Type',
    'web-canary',
    'web-stable',
    'primary',
    'canary',
    'stable',
  ];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 4 || r < 0.25) {
      const leaves = [
        null,
        true,
        0,
        -1,
        20,
        Number.POSITIVE_INFINITY,
        Number.NaN,
        '',
        'web-canary',
        'web-stable',
        'primary',
        'forward',
        '{',
      ];
      return leaves[Math.floor(next() * leaves.length)];
    }
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const map: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--)
      map[keys[Math.floor(next() * keys.length)]!] = value(depth + 1);
    return map;
  };
  return Array.from({ length: count }, () => value(0));
}
