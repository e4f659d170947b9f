// Routed canaries on the fake cluster (tests only): a Rollout with the Gateway API plugin's
// configuration, NGINX or SMI, its Services and routing objects, and the safety invariants of a routed
// canary checked on every state a test passes through.
import type { Rollout } from '@ramp/api';
import { POD_TEMPLATE_HASH_LABEL } from '../../model/names';
import type { RouteObject } from '../../routing/router';
import { FakeCluster } from '../rollout/fake-cluster';
import { canaryRollout } from '../rollout/fixtures';

export const CANARY = 'demo-canary';
export const STABLE = 'demo-stable';

type Steps = NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps'];
export type Router = 'gateway' | 'nginx' | 'smi' | 'istio';

export function routing(router: Router, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (router === 'gateway')
    return { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo-route' } }, ...extra };
  if (router === 'nginx') return { nginx: { stableIngress: 'demo-ingress' }, ...extra };
  if (router === 'istio')
    return {
      istio: {
        virtualService: { name: 'demo-vsvc', routes: ['primary'] },
        destinationRule: { name: 'demo-destrule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
      ...extra,
    };
  return { smi: {}, ...extra };
}

export function httpRoute(): RouteObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'demo-route', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        {
          backendRefs: [
            { name: STABLE, port: 80 },
            { name: CANARY, port: 80 },
          ],
        },
      ],
    },
  };
}

export function stableIngress(): RouteObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'demo-ingress', namespace: 'default' },
    spec: {
      rules: [
        {
          host: 'demo.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: STABLE, port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  };
}

/** Istio's subset-level split, as Argo's istio-subset-split fixture: one route between two subsets. */
export function virtualService(): RouteObject {
  const dest = (subset: string, weight: number) => ({ destination: { host: 'demo', subset }, weight });
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name: 'demo-vsvc', namespace: 'default' },
    spec: { hosts: ['demo'], http: [{ name: 'primary', route: [dest('stable', 100), dest('canary', 0)] }] },
  };
}

export function destinationRule(): RouteObject {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'DestinationRule',
    metadata: { name: 'demo-destrule', namespace: 'default' },
    spec: {
      host: 'demo',
      subsets: [
        { name: 'stable', labels: { app: 'demo' } },
        { name: 'canary', labels: { app: 'demo' } },
      ],
    },
  };
}

/** Puts a router's routing objects (those the user writes) in the fake cluster. */
export function putRoutingObjects(c: FakeCluster, router: Router): void {
  if (router === 'gateway') c.routes.put('httproutes', httpRoute());
  if (router === 'nginx') c.routes.put('ingresses', stableIngress());
  if (router === 'istio') {
    c.routes.put('virtualservices', virtualService());
    c.routes.put('destinationrules', destinationRule());
  }
}

/** A cluster with a routed canary Rollout, its two Services and its routing objects. */
export function routedCluster(
  router: Router,
  steps: Steps,
  canary: Record<string, unknown> = {},
): FakeCluster {
  const { trafficRouting, ...rest } = canary;
  const c = new FakeCluster(
    canaryRollout(steps, {
      canaryService: CANARY,
      stableService: STABLE,
      trafficRouting: routing(router, (trafficRouting as Record<string, unknown>) ?? {}),
      ...rest,
    }),
  );
  c.addService(CANARY);
  c.addService(STABLE);
  putRoutingObjects(c, router);
  return c;
}

/** The Rollout's canary and stable Services (a fuzzed spec may rename them). */
function servicesOf(c: FakeCluster): { canary: string; stable: string } {
  const canary = c.rollout.spec?.strategy?.canary;
  return { canary: String(canary?.canaryService ?? CANARY), stable: String(canary?.stableService ?? STABLE) };
}

/** The canary's share (0..100) the routing objects carry now (0 when they carry none). */
export function routeWeight(c: FakeCluster, router: Router): number {
  const { canary, stable } = servicesOf(c);
  const share = (canaryWeight: number, stableWeight: number) =>
    canaryWeight + stableWeight === 0 ? 0 : (100 * canaryWeight) / (canaryWeight + stableWeight);
  if (router === 'gateway') {
    const route = c.routes.get('httproutes', 'default', 'demo-route');
    const rules = (
      route?.spec as { rules?: { backendRefs?: { name: string; weight?: number }[] }[] } | undefined
    )?.rules;
    const refs = Array.isArray(rules) ? (rules[0]?.backendRefs ?? []) : [];
    const weight = (name: string) =>
      refs.filter((r) => r.name === name).reduce((n, r) => n + (r.weight ?? 1), 0);
    return share(weight(canary), weight(stable));
  }
  if (router === 'istio') {
    const http = (
      c.routes.get('virtualservices', 'default', 'demo-vsvc')?.spec as
        | { http?: { route?: { destination: { subset?: string }; weight?: number }[] }[] }
        | undefined
    )?.http;
    const route = Array.isArray(http) ? (http.find((r) => Array.isArray(r.route))?.route ?? []) : [];
    const weight = (subset: string) => route.find((d) => d.destination.subset === subset)?.weight ?? 0;
    return share(weight('canary'), weight('stable'));
  }
  if (router === 'nginx') {
    const ingress = c.routes.get('ingresses', 'default', 'demo-demo-ingress-canary');
    return Number(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] ?? 0);
  }
  const split = c.routes.get('trafficsplits', 'default', 'demo')?.spec as
    | { backends?: { service: string; weight: string | number }[] }
    | undefined;
  const weight = (name: string) => Number(split?.backends?.find((b) => b.service === name)?.weight ?? 0);
  return share(weight(canary), weight(stable));
}

/** The managed rules a route holds (named rules). */
export function managedRules(c: FakeCluster): string[] {
  const route = c.routes.get('httproutes', 'default', 'demo-route');
  const rules = (route?.spec as { rules?: { name?: string }[] } | undefined)?.rules ?? [];
  return rules.flatMap((r) => (r.name ? [r.name] : []));
}

/** The pod-template hash the DestinationRule's subset selects (undefined: the app's pods). */
function subsetHash(c: FakeCluster, subset: string): string | undefined {
  const subsets = (
    c.routes.get('destinationrules', 'default', 'demo-destrule')?.spec as
      | { subsets?: { name: string; labels?: Record<string, string> }[] }
      | undefined
  )?.subsets;
  return (Array.isArray(subsets) ? subsets : []).find((x) => x.name === subset)?.labels?.[
    POD_TEMPLATE_HASH_LABEL
  ];
}

const selected = (c: FakeCluster, service: string) =>
  c.services.get(service)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
const available = (c: FakeCluster, hash: string | undefined) =>
  hash ? (c.rs(hash)?.status?.availableReplicas ?? 0) : 0;

/**
 * A routed canary's safety, on one state: no weight above 0 to a canary Service without an available
 * pod; the stable Service never on a ReplicaSet without one; the stable, while the canary shares
 * traffic, never below the pods its share needs (dynamicStableScale) or its full size. Undefined when safe.
 */
export function routedProblem(c: FakeCluster, router: Router): string | undefined {
  if (!c.rollout.spec?.strategy?.canary?.trafficRouting) return undefined;
  const { canary, stable } = servicesOf(c);
  const weight = routeWeight(c, router);
  // Istio's subset split sends the canary's share to the pods its DestinationRule subset selects
  const canaryHash = router === 'istio' ? subsetHash(c, 'canary') : selected(c, canary);
  // a Service without a revision in its selector (before the first reconcile) selects the app's pods
  if (weight > 0 && canaryHash && available(c, canaryHash) === 0)
    return `the routers send ${weight}% to ${canary}, which selects ${canaryHash} with no available pod`;
  const stableHash = selected(c, stable);
  if (
    stableHash &&
    available(c, stableHash) === 0 &&
    c.replicaSets.some((rs) => (rs.status?.availableReplicas ?? 0) > 0)
  )
    return `${stable} selects ${stableHash}, which has no available pod`;
  const spec = c.rollout.spec.replicas ?? 1;
  const dynamic = !!c.rollout.spec.strategy?.canary?.dynamicStableScale;
  const status = c.rollout.status ?? {};
  if (
    stableHash &&
    weight < 100 &&
    status.stableRS &&
    status.stableRS !== status.currentPodHash &&
    stableHash === status.stableRS
  ) {
    const need = dynamic ? Math.floor(((100 - weight) * spec) / 100) : spec;
    const has = c.rs(stableHash)?.spec.replicas ?? 0;
    if (has < need)
      return `the stable ${stableHash} has ${has} pods for ${100 - weight}% of the traffic (needs ${need})`;
  }
  return undefined;
}

/** routedProblem as a test assertion. */
export function checkRouted(c: FakeCluster, router: Router): void {
  expect(routedProblem(c, router)).toBeUndefined();
}
