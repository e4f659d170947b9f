// The routers a Rollout's spec.strategy.canary.trafficRouting asks for: the Gateway API (from the Argo
// plugin's configuration), NGINX, AWS ALB, Istio, SMI, Ambassador, Traefik and APISIX, each with its own
// file, applied in that order (Argo's, with the plugin first). A Rollout with no traffic routing has none
// (its canary weight is a ratio of replicas). App Mesh is refused by validation (never built).
import { gatewayApiConfigOf, type Rollout, splitServices } from '@ramp/api';
import { DEFAULT_MAX_WEIGHT } from '../canary/weights';
import { AlbRouter } from './alb-router';
import { AmbassadorRouter } from './ambassador-router';
import { ApisixRouter } from './apisix-router';
import { GatewayApiRouter } from './gateway-api-router';
import { IstioRouter } from './istio-router';
import { NginxRouter } from './nginx-router';
import type { TrafficRouter } from './router';
import { SmiRouter } from './smi-router';
import { TraefikRouter } from './traefik-router';

const ROUTING_PATH = 'spec.strategy.canary.trafficRouting';

/** trafficRouting.maxTrafficWeight, or 100. */
export function maxWeightOf(rollout: Rollout): number {
  return rollout.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? DEFAULT_MAX_WEIGHT;
}

/** Whether the canary's traffic goes through a router (trafficRouting is set). */
export function isTrafficRouted(rollout: Rollout): boolean {
  return !!rollout.spec.strategy?.canary?.trafficRouting;
}

export function routersFor(rollout: Rollout): TrafficRouter[] {
  const canary = rollout.spec.strategy?.canary;
  const routing = canary?.trafficRouting;
  if (!routing || !canary) return [];
  const services = splitServices(rollout, false);
  const ref = {
    name: rollout.metadata.name ?? '',
    namespace: rollout.metadata.namespace ?? 'default',
    uid: rollout.metadata.uid ?? '',
  };
  const routers: TrafficRouter[] = [];
  const gateway = gatewayApiConfigOf(routing);
  if (gateway) {
    routers.push(
      new GatewayApiRouter({
        namespace: ref.namespace,
        config: gateway,
        services,
        configPath: `${ROUTING_PATH}.plugins["argoproj-labs/gatewayAPI"]`,
        maxWeight: maxWeightOf(rollout),
      }),
    );
  }
  if (routing.nginx) {
    routers.push(
      new NginxRouter({
        rollout: ref,
        config: routing.nginx,
        services,
        ...(routing.maxTrafficWeight !== undefined ? { maxTrafficWeight: routing.maxTrafficWeight } : {}),
        configPath: `${ROUTING_PATH}.nginx`,
      }),
    );
  }
  if (routing.alb) {
    routers.push(
      new AlbRouter({
        rollout: ref,
        config: routing.alb,
        services: splitServices(rollout, true),
        stableService: canary.stableService ?? '',
        configPath: `${ROUTING_PATH}.alb`,
      }),
    );
  }
  if (routing.istio) {
    routers.push(
      new IstioRouter({
        rollout: ref,
        config: routing.istio,
        services,
        maxWeight: maxWeightOf(rollout),
        configPath: `${ROUTING_PATH}.istio`,
        managedNames: (routing.managedRoutes ?? []).map((r) => r.name),
      }),
    );
  }
  if (routing.smi)
    routers.push(
      new SmiRouter({ rollout: ref, config: routing.smi, services, maxWeight: maxWeightOf(rollout) }),
    );
  if (routing.ambassador)
    routers.push(
      new AmbassadorRouter({
        namespace: ref.namespace,
        config: routing.ambassador,
        services,
        configPath: `${ROUTING_PATH}.ambassador`,
        maxWeight: maxWeightOf(rollout),
      }),
    );
  if (routing.traefik)
    routers.push(
      new TraefikRouter({
        namespace: ref.namespace,
        config: routing.traefik,
        services,
        configPath: `${ROUTING_PATH}.traefik`,
        maxWeight: maxWeightOf(rollout),
      }),
    );
  if (routing.apisix)
    routers.push(
      new ApisixRouter({
        rollout: ref,
        config: routing.apisix,
        services,
        configPath: `${ROUTING_PATH}.apisix`,
        maxWeight: maxWeightOf(rollout),
      }),
    );
  return routers;
}
