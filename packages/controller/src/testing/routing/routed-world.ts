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
export type Router = 'gateway' | 'nginx' | 'smi';

export function routing(router: Router, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (router === 'gateway')
    return { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo-route' } }, ...extra };
  if (router === 'nginx') return { nginx: { stableIngress: 'demo-ingress' }, ...extra };
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
  if (router === 'gateway') c.routes.put('httproutes', httpRoute());
  if (router === 'nginx') c.routes.put('ingresses', stableIngress());
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
  const canaryHash = selected(c, canary);
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
