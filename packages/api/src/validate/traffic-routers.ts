// Which traffic routers a canary's `trafficRouting` names: the ones Ramp runs (the Gateway API
// plugin's configuration and Argo's built-in routers istio, nginx, alb, smi, ambassador, traefik and
// apisix), App Mesh (which Ramp will never run), and other plugins. Read from arbitrary YAML: a field
// that is null or of the wrong type names no router (the schema check reports its type).
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { isPlainObject } from './schema-check';

/** Argo's built-in routers Ramp runs, by field name, in the order of Argo's RolloutTrafficRouting. */
export const BUILT_IN_ROUTERS = ['istio', 'nginx', 'alb', 'smi', 'ambassador', 'traefik', 'apisix'] as const;
export type BuiltInRouter = (typeof BUILT_IN_ROUTERS)[number];

/** How a message names each built-in router. */
export const ROUTER_NAMES: Readonly<Record<BuiltInRouter, string>> = {
  istio: 'Istio',
  nginx: 'nginx',
  alb: 'ALB',
  smi: 'smi',
  ambassador: 'Ambassador',
  traefik: 'Traefik',
  apisix: 'APISIX',
};

/** Argo's built-in routers Ramp will never run (support.ts reports them): App Mesh, which AWS ended. */
export const ROUTERS_NEVER_RUN = ['appMesh'] as const;

export interface TrafficRouters {
  /** The Gateway API plugin's configuration, when `plugins` has one (a map, or another value to report). */
  gatewayApi: boolean;
  istio: boolean;
  nginx: boolean;
  alb: boolean;
  smi: boolean;
  ambassador: boolean;
  traefik: boolean;
  apisix: boolean;
  /** The built-in routers named that Ramp runs, in BUILT_IN_ROUTERS order. */
  builtIn: BuiltInRouter[];
  /** Argo's routers Ramp does not run (App Mesh), by field name. */
  notRun: string[];
  /** The names of the other entries of `plugins` (plugin binaries Ramp does not run). */
  otherPlugins: string[];
}

const given = (v: unknown) => v !== undefined && v !== null;

export function trafficRoutersOf(routing: unknown): TrafficRouters {
  const r = isPlainObject(routing) ? routing : {};
  const plugins = isPlainObject(r.plugins) ? r.plugins : {};
  const pluginNames = Object.keys(plugins).filter((name) => given(plugins[name]));
  const builtIn = BUILT_IN_ROUTERS.filter((name) => given(r[name]));
  const has = (name: BuiltInRouter) => builtIn.includes(name);
  return {
    gatewayApi: pluginNames.includes(GATEWAY_API_PLUGIN),
    istio: has('istio'),
    nginx: has('nginx'),
    alb: has('alb'),
    smi: has('smi'),
    ambassador: has('ambassador'),
    traefik: has('traefik'),
    apisix: has('apisix'),
    builtIn,
    notRun: ROUTERS_NEVER_RUN.filter((name) => given(r[name])),
    otherPlugins: pluginNames.filter((name) => name !== GATEWAY_API_PLUGIN),
  };
}

/** Whether any router is named at all, run by Ramp or not. */
export function namesAnyRouter(routers: TrafficRouters): boolean {
  return (
    routers.gatewayApi ||
    routers.builtIn.length > 0 ||
    routers.notRun.length > 0 ||
    routers.otherPlugins.length > 0
  );
}

/** Whether every router named is one Ramp runs (and at least one is named). */
export function rampRunsAllRouters(routers: TrafficRouters): boolean {
  return (
    (routers.gatewayApi || routers.builtIn.length > 0) &&
    routers.notRun.length === 0 &&
    routers.otherPlugins.length === 0
  );
}

/**
 * The most traffic weight a step may set: `trafficRouting.maxTrafficWeight` when it is a positive
 * integer (validation reports any other value), else 100, as Argo's weightutil.MaxTrafficWeight.
 */
export function maxTrafficWeightOf(canary: Record<string, unknown>): { max: number; fromField: boolean } {
  const routing = isPlainObject(canary.trafficRouting) ? canary.trafficRouting : {};
  const max = routing.maxTrafficWeight;
  if (typeof max === 'number' && Number.isInteger(max) && max > 0 && max <= 2 ** 31 - 1) {
    return { max, fromField: true };
  }
  return { max: 100, fromField: false };
}
