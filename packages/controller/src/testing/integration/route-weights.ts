// The canary weight a routed Rollout's routing objects carry, read straight from testkit's store, for
// the safety observer (tests only; written apart from the routers, so it checks them, not itself).
import type { Rollout } from '@ramp/api';
import type { ClusterStore } from '@ramp/testkit';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

function gatewayWeight(store: ClusterStore, ro: Rollout, ns: string): number | undefined {
  const canary = ro.spec.strategy?.canary;
  const config = (canary?.trafficRouting?.plugins as Obj | undefined)?.['argoproj-labs/gatewayAPI'];
  if (!isObj(config)) return undefined;
  const names = [config.httpRoute, ...list(config.httpRoutes).map((r) => r.name)].filter(
    (n) => typeof n === 'string',
  );
  for (const name of names) {
    const route = store.get('gateway.networking.k8s.io/v1', 'HTTPRoute', name as string, ns) as
      | Obj
      | undefined;
    for (const rule of list((route?.spec as Obj | undefined)?.rules)) {
      const refs = list(rule.backendRefs);
      const weight = (svc: string | undefined) =>
        refs
          .filter((r) => r.name === svc)
          .reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 1), 0);
      const c = weight(canary?.canaryService);
      const s = weight(canary?.stableService);
      if (c + s > 0 && refs.some((r) => r.name === canary?.stableService)) return (100 * c) / (c + s);
    }
  }
  return undefined;
}

function nginxWeight(store: ClusterStore, ro: Rollout, ns: string): number | undefined {
  const nginx = ro.spec.strategy?.canary?.trafficRouting?.nginx;
  if (!nginx?.stableIngress) return undefined;
  const ingress = store.get(
    'networking.k8s.io/v1',
    'Ingress',
    `${ro.metadata.name}-${nginx.stableIngress}-canary`,
    ns,
  ) as Obj | undefined;
  const annotations = (ingress?.metadata as Obj | undefined)?.annotations as
    | Record<string, string>
    | undefined;
  const weight = annotations?.[`${nginx.annotationPrefix ?? 'nginx.ingress.kubernetes.io'}/canary-weight`];
  return weight === undefined ? 0 : Number(weight);
}

function smiWeight(store: ClusterStore, ro: Rollout, ns: string): number | undefined {
  const smi = ro.spec.strategy?.canary?.trafficRouting?.smi;
  if (!smi) return undefined;
  const name = smi.trafficSplitName || (ro.metadata.name ?? '');
  for (const version of ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']) {
    let split: Obj | undefined;
    try {
      split = store.get(`split.smi-spec.io/${version}`, 'TrafficSplit', name, ns) as Obj | undefined;
    } catch {
      continue; // a version the installed CRD does not have
    }
    if (!split) continue;
    const backends = list((split.spec as Obj | undefined)?.backends);
    const weight = (svc: string | undefined) => Number(backends.find((b) => b.service === svc)?.weight ?? 0);
    const c = weight(ro.spec.strategy?.canary?.canaryService);
    const s = weight(ro.spec.strategy?.canary?.stableService);
    return c + s > 0 ? (100 * c) / (c + s) : 0;
  }
  return 0;
}

/** The canary's share (0..100) in the Rollout's routing objects, or undefined when it routes through none. */
export function routedWeight(store: ClusterStore, ro: Rollout, ns: string): number | undefined {
  return gatewayWeight(store, ro, ns) ?? nginxWeight(store, ro, ns) ?? smiWeight(store, ro, ns);
}
