// Traffic-routed Rollouts (the Gateway API plugin, nginx, smi) and the objects they route through
// (routes, Ingresses, TrafficSplits, Services), for the validation, reference and fuzz tests.
import { type Obj, rollout } from './validate-objects';

/** A canary Rollout named `demo` with the Services and the trafficRouting given. */
export function routedRollout(trafficRouting: Obj, steps: Obj[] = [{ setWeight: 20 }, { pause: {} }]) {
  const r = rollout();
  r.spec.strategy = {
    canary: { canaryService: 'demo-canary', stableService: 'demo-stable', trafficRouting, steps },
  };
  return r;
}

export const GATEWAY_API = 'argoproj-labs/gatewayAPI';

/** The Gateway API plugin on HTTPRoute `demo-route`, with a header and a mirror route managed. */
export const gatewayRollout = () =>
  routedRollout(
    {
      plugins: { [GATEWAY_API]: { httpRoute: 'demo-route' } },
      managedRoutes: [{ name: 'header' }, { name: 'mirror' }],
    },
    [
      { setWeight: 20 },
      { setCanaryScale: { replicas: 1 } },
      {
        setHeaderRoute: {
          name: 'header',
          match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }],
        },
      },
      {
        setMirrorRoute: {
          name: 'mirror',
          percentage: 50,
          match: [{ method: { exact: 'GET' }, path: { prefix: '/' } }],
        },
      },
      { pause: {} },
      { setHeaderRoute: { name: 'header' } },
    ],
  );

export const nginxRollout = () => routedRollout({ nginx: { stableIngress: 'demo-ingress' } });

export const smiRollout = () =>
  routedRollout({ smi: { rootService: 'demo', trafficSplitName: 'demo-split' } });

export const service = (name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: {},
});

/** A Gateway API route of `kind` whose rules send traffic to `backends` (each list is one rule). */
export function route(kind: string, name: string, ...rules: string[][]): Obj {
  return {
    apiVersion:
      kind === 'HTTPRoute' || kind === 'GRPCRoute'
        ? 'gateway.networking.k8s.io/v1'
        : 'gateway.networking.k8s.io/v1alpha2',
    kind,
    metadata: { name },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: rules.map((backends) => ({ backendRefs: backends.map((b) => ({ name: b, port: 80 })) })),
    },
  };
}

/** A networking.k8s.io/v1 Ingress with one rule whose path goes to Service `backend`. */
export function ingress(name: string, backend: string): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name },
    spec: {
      rules: [
        {
          host: 'demo.local',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: backend, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** A TrafficSplit of `rootService`, controlled by the Rollout `owner` (as the controller makes it), or by none (null). */
export function trafficSplit(name: string, rootService: string, owner: string | null = 'demo'): Obj {
  const ownerReferences = owner
    ? [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner, uid: 'u1', controller: true }]
    : [];
  return {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name, ...(owner ? { ownerReferences } : {}) },
    spec: { service: rootService, backends: [{ service: 'demo-stable', weight: 100 }] },
  };
}
