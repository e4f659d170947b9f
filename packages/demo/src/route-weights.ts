// The weights an HTTPRoute gives the demo's stable and canary Services, as stored: what the data
// plane (here the traffic app) sends by. A backendRef without a weight has the Gateway API's
// default, 1.
import type { KubeClient } from '@ramp/kube';
import { CANARY_SERVICE, HTTP_ROUTES, STABLE_SERVICE } from './gateway-manifests';

export interface RouteWeights {
  stable?: number;
  canary?: number;
}

export interface HttpRoute {
  spec?: { rules?: { backendRefs?: { name: string; weight?: number }[] }[] };
}

export function routeWeights(route: HttpRoute): RouteWeights {
  const refs = route.spec?.rules?.[0]?.backendRefs ?? [];
  const weight = (service: string) => {
    const ref = refs.find((r) => r.name === service);
    return ref ? (ref.weight ?? 1) : undefined;
  };
  const stable = weight(STABLE_SERVICE);
  const canary = weight(CANARY_SERVICE);
  return { ...(stable !== undefined ? { stable } : {}), ...(canary !== undefined ? { canary } : {}) };
}

/** The route's weights; none (shown as `?`) while it cannot be read. */
export async function readRouteWeights(client: KubeClient, name: string): Promise<RouteWeights> {
  try {
    return routeWeights(await client.get<HttpRoute>(HTTP_ROUTES, name, 'default'));
  } catch {
    return {};
  }
}
