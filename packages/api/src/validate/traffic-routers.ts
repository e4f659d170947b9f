// Which traffic routers a canary's `trafficRouting` names: the ones Ramp runs (the Gateway API
// plugin's configuration, nginx, smi), Argo's others, and other plugins. Read from arbitrary YAML:
// a field that is null or of the wrong type names no router (the schema check reports its type).
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { isPlainObject } from './schema-check';

/** Argo's built-in routers that Ramp does not run yet (support.ts reports them). */
export const ROUTERS_NOT_RUN = ['istio', 'alb', 'ambassador', 'appMesh', 'traefik', 'apisix'] as const;

export interface TrafficRouters {
  /** The Gateway API plugin's configuration, when `plugins` has one (a map, or another value to report). */
  gatewayApi: boolean;
  nginx: boolean;
  smi: boolean;
  /** Argo's routers Ramp does not run yet, by field name. */
  notRun: string[];
  /** The names of the other entries of `plugins` (plugin binaries Ramp does not run). */
  otherPlugins: string[];
}

const given = (v: unknown) => v !== undefined && v !== null;

export function trafficRoutersOf(routing: unknown): TrafficRouters {
  const r = isPlainObject(routing) ? routing : {};
  const plugins = isPlainObject(r.plugins) ? r.plugins : {};
  const pluginNames = Object.keys(plugins).filter((name) => given(plugins[name]));
  return {
    gatewayApi: pluginNames.includes(GATEWAY_API_PLUGIN),
    nginx: given(r.nginx),
    smi: given(r.smi),
    notRun: ROUTERS_NOT_RUN.filter((name) => given(r[name])),
    otherPlugins: pluginNames.filter((name) => name !== GATEWAY_API_PLUGIN),
  };
}

/** Whether any router is named at all, run by Ramp or not. */
export function namesAnyRouter(routers: TrafficRouters): boolean {
  return (
    routers.gatewayApi ||
    routers.nginx ||
    routers.smi ||
    routers.notRun.length > 0 ||
    routers.otherPlugins.length > 0
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
