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

/**
 * The canary and stable Services traffic is split between: the ping-pong pair (the one
 * status.canary.stablePingPong names is the stable; unset reads as pong) when ALB routes or the spec names
 * neither canaryService nor stableService, else those two.
 */
export function splitServices(ro: Rollout): { canary: string; stable: string } {
  const canary = ro.spec.strategy?.canary;
  const pp = canary?.pingPong;
  if (pp && (canary?.trafficRouting?.alb || (!canary?.canaryService && !canary?.stableService))) {
    return ro.status?.canary?.stablePingPong === 'ping'
      ? { stable: pp.pingService, canary: pp.pongService }
      : { stable: pp.pongService, canary: pp.pingService };
  }
  return { canary: canary?.canaryService ?? '', stable: canary?.stableService ?? '' };
}

/** The canary's share of the weights, counting only the entries `side` says are the canary's or the stable's. */
function share<T>(entries: T[], side: (e: T) => 'canary' | 'stable' | undefined, weight: (e: T) => number) {
  let c = 0;
  let s = 0;
  let stableSeen = false;
  for (const e of entries) {
    const which = side(e);
    if (which === 'canary') c += weight(e);
    if (which === 'stable') {
      s += weight(e);
      stableSeen = true;
    }
  }
  return stableSeen ? (c + s > 0 ? (100 * c) / (c + s) : 0) : undefined;
}

const num = (v: unknown, absent = 0) => (typeof v === 'number' ? v : v === undefined ? absent : Number(v));
/** A host names a Service by its short name or any longer form (`svc.ns`, `svc.ns.svc.cluster.local`). */
const namesService = (host: unknown, svc: string) =>
  typeof host === 'string' && svc !== '' && (host === svc || host.startsWith(`${svc}.`));

/** Istio: each VirtualService's routes that send to the stable (by host, or by the DestinationRule's subset). */
function istioWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const istio = ro.spec.strategy?.canary?.trafficRouting?.istio;
  if (!istio) return [];
  const services = splitServices(ro);
  const dr = istio.destinationRule;
  const side = (d: Obj): 'canary' | 'stable' | undefined => {
    if (dr) {
      if (d.subset === dr.canarySubsetName) return 'canary';
      if (d.subset === dr.stableSubsetName) return 'stable';
      return undefined;
    }
    if (namesService(d.host, services.canary)) return 'canary';
    if (namesService(d.host, services.stable)) return 'stable';
    return undefined;
  };
  const out: RouteWeight[] = [];
  for (const vs of [istio.virtualService, ...(istio.virtualServices ?? [])]) {
    if (!vs?.name) continue;
    const [name, vsNs = ns] = vs.name.split('.') as [string, string?];
    const obj = getServed(
      store,
      'networking.istio.io',
      ['v1alpha3', 'v1beta1', 'v1'],
      'VirtualService',
      name,
      vsNs,
    );
    const spec = (obj?.spec ?? {}) as Obj;
    const routes = [...list(spec.http), ...list(spec.tls), ...list(spec.tcp)];
    for (const route of routes) {
      const dests = list(route.route).map((r) => ({
        ...(isObj(r.destination) ? r.destination : {}),
        w: r.weight,
      }));
      const weight = share(dests, side, (d) => num(d.w, dests.length === 1 ? 100 : 0));
      if (weight !== undefined) {
        out.push({ object: `VirtualService ${vsNs}/${name}`, weight });
        break;
      }
    }
  }
  return out;
}

/** ALB: the forward action annotation of each Ingress (absent: no weight yet). */
function albWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const alb = ro.spec.strategy?.canary?.trafficRouting?.alb;
  if (!alb) return [];
  const services = splitServices(ro);
  const action = alb.rootService || services.stable;
  const prefix = alb.annotationPrefix || 'alb.ingress.kubernetes.io';
  return [alb.ingress, ...(alb.ingresses ?? [])]
    .filter((n): n is string => !!n)
    .map((name) => {
      const ingress = store.get('networking.k8s.io/v1', 'Ingress', name, ns) as Obj | undefined;
      const annotations = ((ingress?.metadata as Obj | undefined)?.annotations ?? {}) as Record<
        string,
        string
      >;
      let groups: Obj[] = [];
      try {
        const parsed: unknown = JSON.parse(annotations[`${prefix}/actions.${action}`] ?? '{}');
        groups = isObj(parsed) && isObj(parsed.ForwardConfig) ? list(parsed.ForwardConfig.TargetGroups) : [];
      } catch {
        groups = [];
      }
      const side = (g: Obj) =>
        g.ServiceName === services.canary
          ? 'canary'
          : g.ServiceName === services.stable
            ? 'stable'
            : undefined;
      return { object: `Ingress ${ns}/${name}`, weight: share(groups, side, (g) => num(g.Weight)) ?? 0 };
    });
}

/** APISIX: the first rule of the ApisixRoute with a backend to the stable. */
function apisixWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const name = ro.spec.strategy?.canary?.trafficRouting?.apisix?.route?.name;
  if (!name) return [];
  const services = splitServices(ro);
  const route = getServed(store, 'apisix.apache.org', ['v2', 'v2beta3'], 'ApisixRoute', name, ns);
  const side = (b: Obj) =>
    b.serviceName === services.canary ? 'canary' : b.serviceName === services.stable ? 'stable' : undefined;
  for (const rule of list((route?.spec as Obj | undefined)?.http)) {
    const weight = share(list(rule.backends), side, (b) => num(b.weight, 100));
    if (weight !== undefined) return [{ object: `ApisixRoute ${ns}/${name}`, weight }];
  }
  return [];
}

/** Traefik: the TraefikService's weighted services. */
function traefikWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const name = ro.spec.strategy?.canary?.trafficRouting?.traefik?.weightedTraefikServiceName;
  if (!name) return [];
  const services = splitServices(ro);
  const ts = getServed(store, 'traefik.io', ['v1alpha1'], 'TraefikService', name, ns);
  const weighted = ((ts?.spec as Obj | undefined)?.weighted ?? {}) as Obj;
  const side = (e: Obj) =>
    e.name === services.canary ? 'canary' : e.name === services.stable ? 'stable' : undefined;
  return [
    {
      object: `TraefikService ${ns}/${name}`,
      weight: share(list(weighted.services), side, (e) => num(e.weight)) ?? 0,
    },
  ];
}

/** Ambassador: the canary Mapping beside each of the Rollout's Mappings (absent: no weight yet). */
function ambassadorWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  const mappings = ro.spec.strategy?.canary?.trafficRouting?.ambassador?.mappings ?? [];
  return mappings.map((mapping) => {
    const name = `${mapping}-canary`;
    const canary = getServed(store, 'getambassador.io', ['v2', 'v3alpha1'], 'Mapping', name, ns);
    return { object: `Mapping ${ns}/${name}`, weight: num((canary?.spec as Obj | undefined)?.weight) };
  });
}

/** Every routing object of the Rollout's routers with the canary's share in it. */
export function routeWeights(store: ClusterStore, ro: Rollout, ns: string): RouteWeight[] {
  return [
    ...gatewayWeights(store, ro, ns),
    ...nginxWeights(store, ro, ns),
    ...smiWeights(store, ro, ns),
    ...istioWeights(store, ro, ns),
    ...albWeights(store, ro, ns),
    ...apisixWeights(store, ro, ns),
    ...traefikWeights(store, ro, ns),
    ...ambassadorWeights(store, ro, ns),
  ];
}

/** Istio subset routing: the pod-template hash each subset of the Rollout's DestinationRule selects. */
export function subsetHashes(
  store: ClusterStore,
  ro: Rollout,
  ns: string,
): { canary?: string; stable?: string } {
  const dr = ro.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  if (!dr) return {};
  const obj = getServed(
    store,
    'networking.istio.io',
    ['v1alpha3', 'v1beta1', 'v1'],
    'DestinationRule',
    dr.name,
    ns,
  );
  const subsets = list((obj?.spec as Obj | undefined)?.subsets);
  const hash = (subset: string) => {
    const labels = subsets.find((x) => x.name === subset)?.labels;
    const value = isObj(labels) ? labels['rollouts-pod-template-hash'] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const canary = hash(dr.canarySubsetName);
  const stable = hash(dr.stableSubsetName);
  return { ...(canary ? { canary } : {}), ...(stable ? { stable } : {}) };
}
