// Which routing objects a Rollout's canary traffic goes through, from its spec alone, as the controller's
// routers find them: the Gateway API plugin's routes (named, or by label selector, in the config's
// namespace or the Rollout's), the canary Ingress Ramp keeps beside each nginx stable Ingress
// (`<rollout>-<stable ingress>-canary`, as Argo names it), and the SMI TrafficSplit
// (`trafficSplitName`, default the Rollout's name).
import { gatewayApiConfigOf, type LabelSelector, trafficRoutersOf } from '@ramp/api';
import { canaryIngressName, GATEWAY_ROUTE_KINDS } from '@ramp/controller';
import type { RolloutObj } from './model';
import type { RouteKind } from './route-kinds';

/** The routers Ramp runs, by Argo's names for them. */
export type RouterType = 'GatewayAPI' | 'Nginx' | 'SMI';

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
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

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

function smiTargets(ro: RolloutObj, namespace: string): RouteTarget[] {
  const smi = ro.spec.strategy?.canary?.trafficRouting?.smi;
  if (!smi) return [];
  const name =
    typeof smi.trafficSplitName === 'string' && smi.trafficSplitName
      ? smi.trafficSplitName
      : ro.metadata.name;
  return [{ router: 'SMI', kind: 'TrafficSplit', namespace, name }];
}

/** The routing objects to show, in the routers' order (Gateway API, nginx, SMI); none without trafficRouting. */
export function routeTargets(ro: RolloutObj, defaultNamespace: string): RouteTarget[] {
  const namespace = ro.metadata.namespace || defaultNamespace;
  return [...gatewayTargets(ro, namespace), ...nginxTargets(ro, namespace), ...smiTargets(ro, namespace)];
}

/** Argo's routers and plugins the Rollout names that Ramp does not run (`istio`, `plugins["x/y"]`). */
export function routersNotRun(ro: RolloutObj): string[] {
  const routing = ro.spec.strategy?.canary?.trafficRouting;
  if (!routing) return [];
  const routers = trafficRoutersOf(routing);
  return [...routers.notRun, ...routers.otherPlugins.map((name) => `plugins["${name}"]`)];
}
