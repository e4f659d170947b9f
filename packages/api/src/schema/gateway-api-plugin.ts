// The configuration of Argo Rollouts' Gateway API traffic-router plugin, as its users write it under
// `spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]` (the plugin's
// GatewayAPITrafficRouting, v0.15). Ramp runs it natively: the same YAML, nothing to download.
import { LabelSelector } from './common';
import { bool, list, obj, opt, type Static, str } from './dsl';
import type { TrafficRouting } from './rollout';

/** The plugin's name in `trafficRouting.plugins`, as Argo's plugin ConfigMap registers it. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** The label the plugin puts on a route while a canary has weight (unless disabled). */
export const GATEWAY_API_IN_PROGRESS_LABEL = {
  key: 'rollouts.argoproj.io/gatewayapi-canary',
  value: 'in-progress',
} as const;

const namedRoute = (what: string) =>
  obj({
    name: str(`The ${what} name.`),
    useHeaderRoutes: opt(bool('Whether setHeaderRoute steps add their rules to this route.')),
  });

export const GatewayAPIPluginConfig = obj({
  httpRoute: opt(str('An HTTPRoute whose backendRefs to the canary and stable Services get the weights.')),
  grpcRoute: opt(str('A GRPCRoute, likewise.')),
  tcpRoute: opt(str('A TCPRoute, likewise.')),
  tlsRoute: opt(str('A TLSRoute, likewise.')),
  httpRoutes: opt(list(namedRoute('HTTPRoute'))),
  grpcRoutes: opt(list(namedRoute('GRPCRoute'))),
  tcpRoutes: opt(list(namedRoute('TCPRoute'))),
  tlsRoutes: opt(list(namedRoute('TLSRoute'))),
  httpRouteSelector: opt(LabelSelector),
  grpcRouteSelector: opt(LabelSelector),
  tcpRouteSelector: opt(LabelSelector),
  tlsRouteSelector: opt(LabelSelector),
  namespace: opt(str("The routes' namespace (default: the Rollout's).")),
  disableInProgressLabel: opt(bool()),
  inProgressLabelKey: opt(str()),
  inProgressLabelValue: opt(str()),
});
export type GatewayAPIPluginConfig = Static<typeof GatewayAPIPluginConfig>;

/** The Gateway API plugin's configuration in a Rollout's trafficRouting, when it has one. */
export function gatewayApiConfigOf(routing: TrafficRouting | undefined): GatewayAPIPluginConfig | undefined {
  const plugins = routing?.plugins;
  if (!plugins || typeof plugins !== 'object') return undefined;
  const config = (plugins as Record<string, unknown>)[GATEWAY_API_PLUGIN];
  return config && typeof config === 'object' && !Array.isArray(config)
    ? (config as GatewayAPIPluginConfig)
    : undefined;
}
