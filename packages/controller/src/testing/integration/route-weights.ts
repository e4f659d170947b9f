// The canary weight a routed Rollout's routing objects carry, read straight from testkit's store, for
// the safety observer and the walks (tests only; written apart from the routers, so it checks them,
// not itself).
import type { Rollout } from '@ramp/api';
import type { ClusterStore } from '@ramp/testkit';
import { SMI_VERSIONS } from '../../routing/route-resources';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** One routing object and the canary's share (0..100) of what it routes between the canary and the stable. */
export interface RouteWeight {
  /** `Kind namespace/name` */
  object: string;
  weight: number;
}

/** The plugin's route fields, with the versions the route may be stored at (TCPRoute: v1 from Gateway API v1.5). */
const GATEWAY_ROUTES = [
  ['httpRoute', 'httpRoutes', 'HTTPRoute', ['v1']],
  ['grpcRoute', 'grpcRoutes', 'GRPCRoute', ['v1']],
  ['tcpRoute', 'tcpRoutes', 'TCPRoute', ['v1', 'v1alpha2']],
] as const;

/** The object at the first of `versions` the store serves. */
function getServed(
  store: ClusterStore,
  group: string,
  versions: readonly string[],
  kind: string,
  name: string,
  ns: string,
) {
  for (const version of versions) {
    try {
      return store.get(`${group}/${version}`, kind, name, ns) as Obj | undefined;
    } catch {
      // a version the installed CRD does not have
    }
  }
  return undefined;
}

/** The Gateway API plugin's routes (in its `namespace`, default the Rollout's), each with the first rule that splits. */
function gatewayWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const canary = ro.spec.strategy?.canary;
  const config = (canary?.trafficRouting?.plugins as Obj | undefined)?.['argoproj-labs/gatewayAPI'];
  if (!isObj(config)) return [];
  const routesNs = typeof config.namespace === 'string' ? config.namespace : ns;
  const out: RouteWeight[] = [];
  for (const [one, many, kind, versions] of GATEWAY_ROUTES) {
    const names = [config[one], ...list(config[many]).map((r) => r.name)].filter(
      (n): n is string => typeof n === 'string',
    );
    for (const name of names) {
      const route = getServed(store, 'gateway.networking.k8s.io', versions, kind, name, routesNs);
      for (const rule of list((route?.spec as Obj | undefined)?.rules)) {
        const refs = list(rule.backendRefs);
        const weight = (svc: string | undefined) =>
          refs
            .filter((r) => r.name === svc)
            .reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 1), 0);
        const c = weight(canary?.canaryService);
        const s = weight(canary?.stableService);
        if (c + s > 0 && refs.some((r) => r.name === canary?.stableService)) {
          out.push({ object: `${kind} ${routesNs}/${name}`, weight: (100 * c) / (c + s) });
          break;
        }
      }
    }
  }
  return out;
}

/** nginx: the canary Ingress of each stable Ingress (absent: no weight yet). */
function nginxWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const nginx = ro.spec.strategy?.canary?.trafficRouting?.nginx;
  if (!nginx) return [];
  const stables = [nginx.stableIngress, ...(nginx.stableIngresses ?? [])].filter(
    (n): n is string => typeof n === 'string',
  );
  return stables.map((stable) => {
    const name = `${ro.metadata.name}-${stable}-canary`;
    const ingress = store.get('networking.k8s.io/v1', 'Ingress', name, ns) as Obj | undefined;
    const annotations = (ingress?.metadata as Obj | undefined)?.annotations as
      | Record<string, string>
      | undefined;
    const weight = annotations?.[`${nginx.annotationPrefix ?? 'nginx.ingress.kubernetes.io'}/canary-weight`];
    return { object: `Ingress ${ns}/${name}`, weight: weight === undefined ? 0 : Number(weight) };
  });
}

/** smi: the TrafficSplit, in whichever version the installed CRD serves (absent: no weight yet). */
function smiWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const smi = ro.spec.strategy?.canary?.trafficRouting?.smi;
  if (!smi) return [];
  const name = smi.trafficSplitName || (ro.metadata.name ?? '');
  const object = `TrafficSplit ${ns}/${name}`;
  const split = getServed(store, 'split.smi-spec.io', SMI_VERSIONS, 'TrafficSplit', name, ns);
  if (split) {
    const backends = list((split.spec as Obj | undefined)?.backends);
    const weight = (svc: string | undefined) => Number(backends.find((b) => b.service === svc)?.weight ?? 0);
    const c = weight(ro.spec.strategy?.canary?.canaryService);
    const s = weight(ro.spec.strategy?.canary?.stableService);
    return [{ object, weight: c + s > 0 ? (100 * c) / (c + s) : 0 }];
  }
  return [{ object, weight: 0 }];
}

/** Every routing object of the Rollout's routers with the canary's share in it. */
export function routeWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  return [...gatewayWeights(store, ro, ns), ...nginxWeights(store, ro, ns), ...smiWeights(store, ro, ns)];
}
