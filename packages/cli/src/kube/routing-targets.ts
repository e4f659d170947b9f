// Which routing objects a Rollout's canary traffic goes through, from its spec alone, as the controller's
// routers find them (Argo's): the Gateway API plugin's routes (named, or by label selector, in the
// config's namespace or the Rollout's); Istio's VirtualServices (`name` or `name.namespace`) and the
// DestinationRule of a subset split; the canary Ingress Ramp keeps beside each nginx stable Ingress
// (`<rollout>-<stable ingress>-canary`, as Argo names it); the ALB Ingresses whose action annotation
// carries the split; the SMI TrafficSplit (`trafficSplitName`, default the Rollout's name); the canary
// Mapping Ramp creates beside each Ambassador Mapping (`<mapping>-canary`); the Traefik weighted
// TraefikService; the APISIX ApisixRoute. Also the canary and stable Services each router splits
// between (the ping-pong pair, as Argo's GetStableAndCanaryServices picks it).
//
// The spec is read as the API server sends it: a field of the wrong shape names nothing, never throws.
import {
  gatewayApiConfigOf,
  type LabelSelector,
  type SplitServices,
  splitServices as servicesOf,
  trafficRoutersOf,
} from '@ramp/api';
import { canaryIngressName, GATEWAY_ROUTE_KINDS } from '@ramp/controller';
import type { RolloutObj } from './model';
import type { RouteKind } from './route-kinds';

/** The routers Ramp runs, by Argo's names for them. */
export type RouterType =
  | 'GatewayAPI'
  | 'Istio'
  | 'Nginx'
  | 'ALB'
  | 'SMI'
  | 'Ambassador'
  | 'Traefik'
  | 'APISIX';

/** An Istio `tlsRoutes` entry: the VirtualService's tls routes that match exactly this port and SNI hosts. */
export interface IstioTlsRoute {
  port: number;
  sniHosts: string[];
}

/** The routes of a VirtualService the Rollout names (empty: Argo's default, the only or first unnamed one). */
export interface IstioRouteNames {
  http: string[];
  tls: IstioTlsRoute[];
  tcp: { port: number }[];
}

export interface RouteTarget {
  router: RouterType;
  kind: RouteKind;
  namespace: string;
  /** The object's name; absent for the routes a selector finds. */
  name?: string;
  /** The routes of this kind the Gateway API config finds by label. */
  selector?: LabelSelector;
  /** Nginx: the stable Ingress this canary Ingress is copied from. */
  stableIngress?: string;
  /** Ambassador: the Mapping this canary Mapping is copied from. */
  baseMapping?: string;
  /** Istio VirtualService: the routes the Rollout names in it. */
  istioRoutes?: IstioRouteNames;
  /** Istio DestinationRule: the names of its canary and stable subsets. */
  subsets?: { canary: string; stable: string };
  /** APISIX: the names of the http rules whose backends carry the split. */
  apisixRules?: string[];
}

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
const unique = <T>(items: T[], key: (t: T) => string) =>
  items.filter((t, i) => items.findIndex((o) => key(o) === key(t)) === i);
const port = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The Rollout's trafficRouting as a plain map (or an empty one). */
function routingOf(ro: RolloutObj): Fields {
  const canary: unknown = ro.spec?.strategy?.canary;
  const routing = isRecord(canary) ? canary.trafficRouting : undefined;
  return isRecord(routing) ? routing : {};
}

function gatewayTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const config = gatewayApiConfigOf(ro.spec.strategy?.canary?.trafficRouting);
  if (!config) return [];
  const ns = (typeof config.namespace === 'string' && config.namespace) || namespace;
  const out: RouteTarget[] = [];
  for (const { kind, one, many, selector } of GATEWAY_ROUTE_KINDS) {
    // the plugin's config is free-form in the CRD: read only what has the right shape
    const list: unknown[] = Array.isArray(config[many]) ? (config[many] as unknown[]) : [];
    const names = [...list.map((r) => (isRecord(r) ? r.name : undefined)), config[one]];
    for (const name of new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))) {
      out.push({ router: 'GatewayAPI', kind, namespace: ns, name });
    }
    const labels = config[selector];
    if (isRecord(labels)) out.push({ router: 'GatewayAPI', kind, namespace: ns, selector: labels });
  }
  return out;
}

/**
 * A VirtualService reference as Argo's GetVirtualServiceNamespaceName reads it: `.cluster.local` cut off,
 * then the last dot-separated part is the namespace (`vs.team`), the rest the name; no dot: the Rollout's.
 */
export function virtualServiceRef(ref: string, namespace: string): { name: string; namespace: string } {
  const trimmed = ref.endsWith('.cluster.local') ? ref.slice(0, -'.cluster.local'.length) : ref;
  const fields = trimmed.split('.');
  if (fields.length < 2) return { name: trimmed, namespace };
  return { name: fields.slice(0, -1).join('.'), namespace: fields.at(-1) || namespace };
}

function istioRouteNames(vs: Fields): IstioRouteNames {
  const entries = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
  return {
    http: texts(vs.routes),
    tls: entries(vs.tlsRoutes).map((r) => ({ port: port(r.port), sniHosts: texts(r.sniHosts) })),
    tcp: entries(vs.tcpRoutes).map((r) => ({ port: port(r.port) })),
  };
}

function istioTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const istio = routingOf(ro).istio;
  if (!isRecord(istio)) return [];
  // Argo's MultipleVirtualServiceConfigured: virtualServices when given, else virtualService
  const list: unknown[] = Array.isArray(istio.virtualServices)
    ? istio.virtualServices
    : [istio.virtualService];
  const services: RouteTarget[] = list.filter(isRecord).flatMap((vs) => {
    const ref = text(vs.name);
    if (!ref) return [];
    const where = virtualServiceRef(ref, namespace);
    if (!where.name) return [];
    return [{ router: 'Istio', kind: 'VirtualService', ...where, istioRoutes: istioRouteNames(vs) }];
  });
  const out = unique(services, (t) => `${t.namespace}/${t.name}`);
  const dr = istio.destinationRule;
  const drName = isRecord(dr) ? text(dr.name) : undefined;
  if (isRecord(dr) && drName) {
    const subsets = { canary: text(dr.canarySubsetName) ?? '', stable: text(dr.stableSubsetName) ?? '' };
    out.push({ router: 'Istio', kind: 'DestinationRule', namespace, name: drName, subsets });
  }
  return out;
}

function nginxTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const nginx = ro.spec.strategy?.canary?.trafficRouting?.nginx;
  if (!nginx) return [];
  const many = Array.isArray(nginx.stableIngresses) ? nginx.stableIngresses : [];
  const stables = (many.length > 0 ? many : [nginx.stableIngress]).filter(
    (n): n is string => typeof n === 'string' && n !== '',
  );
  return [...new Set(stables)].map((stableIngress) => ({
    router: 'Nginx',
    kind: 'Ingress',
    namespace,
    name: canaryIngressName(ro.metadata.name, stableIngress),
    stableIngress,
  }));
}

function albTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const alb = routingOf(ro).alb;
  if (!isRecord(alb)) return [];
  // as Argo's SetWeight: `ingresses` when given, else `ingress`
  const names = Array.isArray(alb.ingresses) ? texts(alb.ingresses) : texts([alb.ingress]);
  return [...new Set(names)].map((name) => ({ router: 'ALB', kind: 'Ingress', namespace, name }));
}

function smiTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const smi = ro.spec.strategy?.canary?.trafficRouting?.smi;
  if (!smi) return [];
  const name =
    typeof smi.trafficSplitName === 'string' && smi.trafficSplitName
      ? smi.trafficSplitName
      : ro.metadata.name;
  return [{ router: 'SMI', kind: 'TrafficSplit', namespace, name }];
}

/** The canary Mapping Ramp creates beside `mapping`, named as Argo's buildCanaryMappingName. */
export const canaryMappingName = (mapping: string): string => `${mapping.slice(0, 246)}-canary`;

function ambassadorTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const ambassador = routingOf(ro).ambassador;
  if (!isRecord(ambassador)) return [];
  return [...new Set(texts(ambassador.mappings))].map((baseMapping) => ({
    router: 'Ambassador',
    kind: 'Mapping',
    namespace,
    name: canaryMappingName(baseMapping),
    baseMapping,
  }));
}

function traefikTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const traefik = routingOf(ro).traefik;
  const name = isRecord(traefik) ? text(traefik.weightedTraefikServiceName) : undefined;
  return name ? [{ router: 'Traefik', kind: 'TraefikService', namespace, name }] : [];
}

function apisixTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const apisix = routingOf(ro).apisix;
  const route = isRecord(apisix) && isRecord(apisix.route) ? apisix.route : undefined;
  const name = route ? text(route.name) : undefined;
  if (!route || !name) return [];
  // Argo's default when `rules` is not given: the http rule named as the ApisixRoute
  const apisixRules = Array.isArray(route.rules) ? texts(route.rules) : [name];
  return [{ router: 'APISIX', kind: 'ApisixRoute', namespace, name, apisixRules }];
}

/**
 * The routing objects to show, in the routers' order (Gateway API, then Argo's: Istio, nginx, ALB, SMI,
 * Ambassador, Traefik, APISIX); none without trafficRouting.
 */
export function routeTargets(ro: RolloutObj, defaultNamespace: string): RouteTarget[] {
  const namespace = ro.metadata.namespace || defaultNamespace;
  return [
    gatewayTargets,
    istioTargets,
    nginxTargets,
    albTargets,
    smiTargets,
    ambassadorTargets,
    traefikTargets,
    apisixTargets,
  ].flatMap((targets) => targets(ro, namespace));
}

/** The Services `router` splits traffic between (@ramp/api's splitServices: ALB prefers the ping-pong pair). */
export const splitServices = (ro: RolloutObj, router: RouterType): SplitServices =>
  servicesOf(ro, router === 'ALB');

/** Argo's routers and plugins the Rollout names that Ramp does not run (`appMesh`, `plugins["x/y"]`). */
export function routersNotRun(ro: RolloutObj): string[] {
  const routing = ro.spec.strategy?.canary?.trafficRouting;
  if (!routing) return [];
  const routers = trafficRoutersOf(routing);
  return [...routers.notRun, ...routers.otherPlugins.map((name) => `plugins["${name}"]`)];
}
