// A routed canary's traffic in `get rollout`, on fixed objects and a fixed clock: the exact page for each
// router (header lines, routing nodes in the tree), the weights each kind of object carries, the notes of
// objects that are missing, forbidden or not served, the TrafficRouting condition, maxTrafficWeight; the
// part-2 routers' pages (Istio host and subset split with the DestinationRule's hashes, ALB, APISIX,
// Traefik, Ambassador), ping-pong's Services, and Rollouts of any shape. What each part-2 object carries,
// kind by kind, is in route-weights-part2.test.ts.

import type { KubeObject } from '@ramp/testkit';
import type { RolloutObj } from '../kube/model';
import type { RouteObj, RouteRead } from '../kube/route-reader';
import { type RouteTarget, routeTargets } from '../kube/routing-targets';
import {
  albAction,
  albIngress,
  ambassadorMapping,
  apisixRoute,
  canaryIngress,
  destinationRule,
  hostileJson,
  httpRoute,
  type RouterName,
  routedRollout,
  traefikService,
  trafficSplit,
  virtualService,
  walkStatus,
} from '../testing/routing';
import { rolloutInfo } from './rollout-info';
import { renderHeader, renderRollout } from './rollout-tree';
import { carriedWeights, type RouteContext } from './route-weights';
import { ansiPaint } from './text';
import { trafficInfo } from './traffic-info';

const NOW = new Date('2026-11-21T12:00:00Z');
const created = '2026-11-21T11:00:00Z';
const services = { canary: 'web-canary', stable: 'web-stable' };
const AT_20 = { step: 1, weight: 20, verified: true, stableHash: 'aaa111', canaryHash: 'bbb222' };

function rollout(router: RouterName, routing?: Record<string, unknown>): RolloutObj {
  const ro = routedRollout('web', router, routing);
  ro.metadata = { ...ro.metadata, uid: 'ro-uid', generation: 2, creationTimestamp: created };
  return ro;
}

function at(ro: RolloutObj, point: Partial<typeof AT_20> & { routingError?: string } = {}): RolloutObj {
  return { ...ro, status: walkStatus(ro, { ...AT_20, ...point }) };
}

const target = (router: RouteTarget['router'], kind: RouteTarget['kind'], name?: string): RouteTarget => ({
  router,
  kind,
  namespace: 'default',
  ...(name !== undefined ? { name } : {}),
});

/** A read that found `object` (created an hour ago, as the server would fill in). */
function found(t: RouteTarget, object: KubeObject): RouteRead {
  const o = structuredClone(object) as unknown as RouteObj;
  o.metadata = { ...o.metadata, creationTimestamp: created };
  return { target: t, object: o };
}

const ro = { name: 'web', uid: 'ro-uid' };

test('Gateway API: the header names the route, the tree shows the weights it carries (exact page)', () => {
  const gw = at(rollout('gateway'));
  const reads = [
    found(
      target('GatewayAPI', 'HTTPRoute', 'web-route'),
      httpRoute('web-route', services, { canary: 20, stable: 80 }),
    ),
  ];
  const page = renderRollout(
    rolloutInfo(gw, { replicaSets: [], pods: [], analysisRuns: [], routing: reads }),
    {
      now: NOW,
    },
  );
  expect(page).toBe(`Name:            web
Namespace:       default
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          1/4
  SetWeight:     20
  ActualWeight:  20
  Verified:      yes
Traffic:         GatewayAPI HTTPRoute default/web-route
Replicas:
  Desired:       5
  Current:       6
  Updated:       1
  Ready:         6
  Available:     6

NAME            KIND       STATUS    AGE  INFO
⟳ web           Rollout    ॥ Paused  60m
└──⇄ web-route  HTTPRoute  ✔ Synced  60m  canary 20 / stable 80
`);
});

const page = (r: RolloutObj, reads: RouteRead[]) =>
  renderRollout(rolloutInfo(r, { replicaSets: [], pods: [], analysisRuns: [], routing: reads }), {
    now: NOW,
  });

test('NGINX: the canary Ingress Ramp keeps beside the stable one, with its canary-weight', () => {
  const text = page(at(rollout('nginx')), [
    found(
      { ...target('Nginx', 'Ingress', 'web-web-ingress-canary'), stableIngress: 'web-ingress' },
      canaryIngress(ro, 'web-ingress', 'web-canary', 20),
    ),
  ]);
  expect(text).toContain(
    '  Verified:      yes\nTraffic:         Nginx Ingress default/web-web-ingress-canary (canary of web-ingress)\n',
  );
  expect(text).toMatch(
    /\n└──⇄ web-web-ingress-canary {2}Ingress {2}✔ Synced {2}60m {2}canary 20 \/ stable 80\n$/,
  );
});

test('SMI: a v1alpha1 TrafficSplit (quantities) that does not carry the recorded weight yet', () => {
  const split = trafficSplit(ro, services, 0, 'split.smi-spec.io/v1alpha1');
  const text = page(at(rollout('smi'), { verified: false }), [
    found(target('SMI', 'TrafficSplit', 'web'), split),
  ]);
  expect(text).toContain(
    '  ActualWeight:  20\n  Verified:      no (the routing objects do not carry weight 20 yet)\n' +
      'Traffic:         SMI TrafficSplit default/web\n',
  );
  expect(text).toMatch(
    /\n└──⇄ web {2}TrafficSplit {2}◌ OutOfSync {2}60m {2}canary 0 \/ stable 100 \(the rollout records canary 20\)\n$/,
  );
});

test('a missing HTTPRoute and the TrafficRouting condition: why the rollout waits', () => {
  const message =
    'HTTPRoute default/web-route: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute: does not exist; create the HTTPRoute, or name an existing one at spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute';
  const degraded = at(rollout('gateway'), { verified: false, routingError: message });
  const reads: RouteRead[] = [
    {
      target: target('GatewayAPI', 'HTTPRoute', 'web-route'),
      problem: { reason: 'NotFound', verb: 'get', resource: 'httproutes.gateway.networking.k8s.io' },
    },
  ];
  const text = page(degraded, reads);
  expect(text).toContain(`Status:          ✖ Degraded\nMessage:         TrafficRoutingError: ${message}\n`);
  expect(text).toContain(
    `Traffic:         GatewayAPI HTTPRoute default/web-route\nTrafficRouting:  ✖ TrafficRoutingError: ${message}\n`,
  );
  expect(text).toMatch(
    /\n└──⇄ web-route {2}HTTPRoute {2}⚠ NotFound {2}- {4}not found in namespace default\n$/,
  );
  const coloured = renderHeader(
    rolloutInfo(degraded, { replicaSets: [], pods: [], analysisRuns: [], routing: reads }),
    ansiPaint,
  );
  expect(coloured).toContain(`TrafficRouting:  \u001b[31m✖ TrafficRoutingError: ${message}\u001b[0m\n`);
  // a condition that is True (or gone) says nothing
  const fine = { ...degraded, status: { ...degraded.status, conditions: [] } };
  expect(page(fine, reads)).not.toContain('TrafficRouting:');
});

test('objects that cannot be read are notes on their node, never errors', () => {
  const problem = (reason: 'Forbidden' | 'NotServed' | 'NotFound' | 'Unreadable', extra = {}) => ({
    reason,
    verb: 'get' as const,
    resource: 'x',
    ...extra,
  });
  const reads: RouteRead[] = [
    {
      target: target('GatewayAPI', 'HTTPRoute', 'a'),
      problem: { ...problem('Forbidden'), resource: 'httproutes.gateway.networking.k8s.io' },
    },
    {
      target: target('GatewayAPI', 'TCPRoute', 'b'),
      problem: {
        ...problem('NotServed'),
        resource: 'tcproutes.gateway.networking.k8s.io',
        versions: ['v1', 'v1alpha2'],
      },
    },
    {
      target: { ...target('GatewayAPI', 'GRPCRoute'), selector: { matchLabels: { app: 'web' } } },
      problem: { reason: 'NoMatch', verb: 'list', resource: 'grpcroutes.gateway.networking.k8s.io' },
    },
    {
      target: target('GatewayAPI', 'TLSRoute', 'c'),
      problem: problem('Unreadable', { message: 'Internal error\nwith a second line' }),
    },
    {
      target: { ...target('Nginx', 'Ingress', 'web-web-ingress-canary'), stableIngress: 'web-ingress' },
      problem: problem('NotFound'),
    },
    { target: target('SMI', 'TrafficSplit', 'web'), problem: problem('NotFound') },
  ];
  const info = trafficInfo(at(rollout('gateway')), reads)!;
  expect(info.objects.map((o) => [o.status, o.icon, o.note])).toEqual([
    [
      'Forbidden',
      '⚠',
      'forbidden: you may not get httproutes.gateway.networking.k8s.io in namespace default',
    ],
    ['NotServed', '⚠', 'the cluster does not serve tcproutes.gateway.networking.k8s.io (v1, v1alpha2)'],
    ['NoMatch', '⚠', 'no GRPCRoute in namespace default has these labels'],
    ['Unreadable', '⚠', 'cannot read: Internal error'],
    ['NotFound', '⚠', 'not found: Ramp creates it from Ingress web-ingress'],
    ['NotFound', '⚠', 'not found: Ramp creates it'],
  ]);
  const text = page(at(rollout('gateway')), reads);
  expect(text).toContain(
    'Traffic:         GatewayAPI HTTPRoute default/a\n' +
      '                 GatewayAPI TCPRoute default/b\n' +
      '                 GatewayAPI GRPCRoute default/* (selector app=web)\n',
  );
  expect(text).toMatch(/├──⇄ selector app=web {8}GRPCRoute {5}⚠ NoMatch {5}- {4}no GRPCRoute/);
  // a selector of any shape (the plugin's config is free-form) is described, never thrown on
  const odd: RouteRead = {
    target: {
      ...target('GatewayAPI', 'HTTPRoute'),
      selector: {
        matchLabels: 'x',
        matchExpressions: [null, { key: 'tier', operator: 'In', values: ['a', 'b'] }],
      },
    } as unknown as RouteTarget,
    problem: { reason: 'Unreadable', verb: 'list', resource: 'x', message: 'bad selector' },
  };
  expect(trafficInfo(at(rollout('gateway')), [odd])!.objects[0]!.selector).toBe('tier In (a,b)');
});

const NGINX_INGRESS = { router: 'Nginx', kind: 'Ingress' } as const;
const SMI_SPLIT = { router: 'SMI', kind: 'TrafficSplit' } as const;

test('the weights each kind of object carries, and why one cannot carry the split', () => {
  const ctx: RouteContext = {
    services,
    maxWeight: 100,
    annotationPrefix: 'nginx.ingress.kubernetes.io',
    rollout: ro,
  };
  const route = (rules: unknown[]) => ({ metadata: { name: 'r' }, spec: { rules } });
  // a backendRef without weight weighs 1; equal splits shown once; other rules and kinds left alone
  expect(
    carriedWeights(
      { router: 'GatewayAPI', kind: 'HTTPRoute' },
      route([
        { backendRefs: [{ name: 'web-stable' }, { name: 'web-canary' }] },
        { backendRefs: [{ name: 'web-stable' }, { name: 'web-canary' }] },
        { backendRefs: [{ name: 'other' }] },
        { backendRefs: [{ name: 'web-canary', kind: 'ServiceImport' }, { name: 'web-stable' }] },
        {
          backendRefs: [
            { name: 'web-stable', weight: 3 },
            { name: 'web-canary', group: 'core', weight: 1 },
          ],
        },
      ]),
      ctx,
    ),
  ).toEqual({
    splits: [
      { canary: 1, stable: 1, share: 50 },
      { canary: 1, stable: 3, share: 25 },
    ],
  });
  expect(
    carriedWeights(
      { router: 'GatewayAPI', kind: 'TCPRoute' },
      route([{ backendRefs: [{ name: 'web-stable' }] }]),
      ctx,
    ),
  ).toEqual({
    splits: [],
    problem: 'no rule sends traffic to both web-canary and web-stable',
  });
  expect(
    carriedWeights(
      { router: 'GatewayAPI', kind: 'GRPCRoute' },
      { metadata: { name: 'r' }, spec: 'nonsense' },
      ctx,
    ).problem,
  ).toBe('no rule sends traffic to both web-canary and web-stable');

  const ingress = canaryIngress(ro, 'web-ingress', 'web-canary', 30) as unknown as RouteObj;
  expect(carriedWeights(NGINX_INGRESS, ingress, ctx)).toEqual({
    splits: [{ canary: 30, stable: 70, share: 30 }],
  });
  const annotations = ingress.metadata.annotations!;
  const withTotal = {
    ...ingress,
    metadata: {
      ...ingress.metadata,
      annotations: { ...annotations, 'nginx.ingress.kubernetes.io/canary-weight-total': '1000' },
    },
  };
  expect(carriedWeights(NGINX_INGRESS, withTotal, ctx).splits).toEqual([
    { canary: 30, stable: 970, share: 3 },
  ]);
  const unmarked = { ...ingress, metadata: { ...ingress.metadata, annotations: {} } };
  expect(carriedWeights(NGINX_INGRESS, unmarked, ctx)).toEqual({
    splits: [{ canary: 0, stable: 100, share: 0 }],
    problem:
      'lacks the annotation nginx.ingress.kubernetes.io/canary: "true", so ingress-nginx ignores its weight',
  });
  const foreign = { ...ingress, metadata: { ...ingress.metadata, ownerReferences: [] } };
  expect(carriedWeights(NGINX_INGRESS, foreign, ctx).problem).toBe(
    'not controlled by rollout web, so Ramp does not write it',
  );

  const split = trafficSplit(ro, services, 25) as unknown as RouteObj;
  expect(carriedWeights(SMI_SPLIT, split, ctx)).toEqual({
    splits: [{ canary: 25, stable: 75, share: 25 }],
  });
  const quantities = trafficSplit(ro, services, 0, 'split.smi-spec.io/v1alpha1') as unknown as RouteObj;
  (quantities.spec as { backends: { weight: string }[] }).backends[0]!.weight = '500m';
  (quantities.spec as { backends: { weight: string }[] }).backends[1]!.weight = '1500m';
  expect(carriedWeights(SMI_SPLIT, quantities, ctx).splits).toEqual([
    { canary: 0.5, stable: 1.5, share: 25 },
  ]);
  const oneBackend = { ...split, spec: { backends: [{ service: 'web-stable', weight: 100 }] } };
  expect(carriedWeights(SMI_SPLIT, oneBackend, ctx)).toEqual({
    splits: [],
    problem: 'has no backend with a weight for web-canary',
  });
});

test('maxTrafficWeight: the weights past the last step, and each object compared on that scale', () => {
  const routing = {
    maxTrafficWeight: 1000,
    plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } },
  };
  const mid = at(rollout('gateway', routing));
  mid.status!.canary!.weights!.canary.weight = 200;
  const reads = [
    found(
      target('GatewayAPI', 'HTTPRoute', 'web-route'),
      httpRoute('web-route', services, { canary: 200, stable: 800 }),
    ),
  ];
  const info = rolloutInfo(mid, { replicaSets: [], pods: [], analysisRuns: [], routing: reads });
  expect(info).toMatchObject({ setWeight: 20, actualWeight: 200 });
  expect(info.traffic?.objects[0]).toMatchObject({
    status: 'Synced',
    splits: [{ canary: 200, stable: 800, share: 200 }],
  });
  const done = { ...mid, status: { ...mid.status, currentStepIndex: 4 } };
  expect(rolloutInfo(done, { replicaSets: [], pods: [], analysisRuns: [] })).toMatchObject({
    setWeight: 1000,
    actualWeight: 1000,
  });
});

test('routers Ramp does not run are named; a canary without trafficRouting has no traffic part', () => {
  const appMesh = at(
    rollout('gateway', { appMesh: { virtualService: { name: 'vs' } }, plugins: { 'acme/mesh': {} } }),
  );
  expect(page(appMesh, [])).toContain(
    'Traffic:         appMesh (not run by Ramp)\n                 plugins["acme/mesh"] (not run by Ramp)\n',
  );
  const plain = rollout('gateway');
  plain.spec.strategy = { canary: { steps: [{ setWeight: 20 }] } };
  const info = rolloutInfo(plain, { replicaSets: [], pods: [], analysisRuns: [], routing: [] });
  expect(info.traffic).toBeUndefined();
  expect(page(plain, [])).not.toMatch(/Traffic|Verified/);
});

test('-o json: the traffic part as data', () => {
  const reads = [
    found(
      target('GatewayAPI', 'HTTPRoute', 'web-route'),
      httpRoute('web-route', services, { canary: 20, stable: 80 }),
    ),
  ];
  const info = rolloutInfo(at(rollout('gateway')), {
    replicaSets: [],
    pods: [],
    analysisRuns: [],
    routing: reads,
  });
  expect(JSON.parse(JSON.stringify(info.traffic))).toEqual({
    routers: ['GatewayAPI'],
    notRun: [],
    maxWeight: 100,
    weights: {
      canary: { weight: 20, podTemplateHash: 'bbb222', serviceName: 'web-canary' },
      stable: { weight: 80, podTemplateHash: 'aaa111', serviceName: 'web-stable' },
      verified: true,
    },
    objects: [
      {
        router: 'GatewayAPI',
        kind: 'HTTPRoute',
        namespace: 'default',
        name: 'web-route',
        apiVersion: 'gateway.networking.k8s.io/v1',
        created,
        status: 'Synced',
        icon: '✔',
        splits: [{ canary: 20, stable: 80, share: 20 }],
      },
    ],
  });
});

// --- the part-2 routers ------------------------------------------------------------------------

/** The reads of `r`'s routing objects: each target found among `objects` (by name), else NotFound. */
function readsOf(r: RolloutObj, objects: KubeObject[]): RouteRead[] {
  return routeTargets(r, 'default').map((t) => {
    const object = objects.find((o) => o.metadata.name === t.name && o.kind === t.kind);
    if (object) return found(t, object);
    return { target: t, problem: { reason: 'NotFound', verb: 'get', resource: t.kind } };
  });
}

/** The tree's routing rows: name, kind, status, info (widths squeezed). */
const routeRows = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.includes('⇄'))
    .map((line) => line.replace(/^.*⇄ /, '').replace(/ {2,}/g, '  '));

const ISTIO_HOST = {
  istio: {
    virtualService: {
      name: 'web-vsvc',
      routes: ['primary'],
      tlsRoutes: [{ port: 3000, sniHosts: ['web.example'] }],
    },
  },
};

test('Istio host split: the VirtualService in the header, its http and tls routes in the tree (exact page)', () => {
  const vs = virtualService('web-vsvc', services, { canary: 20, stable: 80 }) as unknown as {
    spec: Record<string, unknown>;
  };
  // istio-host-http-tls-split: the same split on a tls route matched by port and SNI host
  vs.spec.tls = [
    {
      match: [{ port: 3000, sniHosts: ['web.example'] }],
      route: [
        { destination: { host: 'web-stable.default.svc.cluster.local' }, weight: 80 },
        { destination: { host: 'web-canary.default.svc.cluster.local' }, weight: 20 },
      ],
    },
  ];
  const r = at(rollout('istio', ISTIO_HOST));
  const text = page(r, readsOf(r, [vs as unknown as KubeObject]));
  expect(text).toBe(`Name:            web
Namespace:       default
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          1/4
  SetWeight:     20
  ActualWeight:  20
  Verified:      yes
Traffic:         Istio VirtualService default/web-vsvc
Replicas:
  Desired:       5
  Current:       6
  Updated:       1
  Ready:         6
  Available:     6

NAME           KIND            STATUS    AGE  INFO
⟳ web          Rollout         ॥ Paused  60m
└──⇄ web-vsvc  VirtualService  ✔ Synced  60m  canary 20 / stable 80
`);
  // the tls route lagging behind: two splits, OutOfSync
  (vs.spec.tls as { route: { weight: number }[] }[])[0]!.route[1]!.weight = 0;
  (vs.spec.tls as { route: { weight: number }[] }[])[0]!.route[0]!.weight = 100;
  expect(routeRows(page(r, readsOf(r, [vs as unknown as KubeObject])))).toEqual([
    'web-vsvc  VirtualService  ◌ OutOfSync  60m  canary 20 / stable 80; canary 0 / stable 100 (the rollout records canary 20)',
  ]);
});

const ISTIO_SUBSET = {
  istio: {
    virtualServices: [{ name: 'web-vsvc', routes: ['primary'] }],
    destinationRule: { name: 'web-destrule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
  },
};

test('Istio subset split: the VirtualService by subset, and the hashes the DestinationRule subsets select', () => {
  const r = at(rollout('istio', ISTIO_SUBSET));
  const vs = virtualService('web-vsvc', services, { canary: 20, stable: 80 }, { subsetsOf: 'web' });
  const dr = destinationRule('web-destrule', 'web', { canary: 'bbb222', stable: 'aaa111' });
  const text = page(r, readsOf(r, [vs, dr]));
  expect(text).toContain(
    'Traffic:         Istio VirtualService default/web-vsvc\n' +
      '                 Istio DestinationRule default/web-destrule\n',
  );
  expect(routeRows(text)).toEqual([
    'web-vsvc  VirtualService  ✔ Synced  60m  canary 20 / stable 80',
    'web-destrule  DestinationRule  ✔ Synced  60m  subset canary → bbb222 / subset stable → aaa111',
  ]);
  const info = trafficInfo(r, readsOf(r, [vs, dr]))!;
  expect(info.routers).toEqual(['Istio']);
  expect(info.objects[1]).toMatchObject({
    kind: 'DestinationRule',
    apiVersion: 'networking.istio.io/v1alpha3',
    subsets: { canary: { name: 'canary', hash: 'bbb222' }, stable: { name: 'stable', hash: 'aaa111' } },
    splits: [],
  });

  // the canary subset still on the old revision; then a subset gone; then the DestinationRule gone
  const stale = destinationRule('web-destrule', 'web', { canary: 'aaa111', stable: 'aaa111' });
  expect(routeRows(page(r, readsOf(r, [vs, stale])))[1]).toBe(
    'web-destrule  DestinationRule  ◌ OutOfSync  60m  subset canary → aaa111 / subset stable → aaa111 (the rollout records canary bbb222, stable aaa111)',
  );
  const lost = destinationRule('web-destrule', 'web', { stable: 'aaa111' }) as unknown as {
    spec: { subsets: unknown[] };
  };
  lost.spec.subsets = lost.spec.subsets.slice(0, 1);
  expect(routeRows(page(r, readsOf(r, [vs, lost as unknown as KubeObject])))[1]).toBe(
    'web-destrule  DestinationRule  ✖ Invalid  60m  subset canary → (no hash) / subset stable → aaa111 (has no subset named "canary" (the canary subset))',
  );
  expect(routeRows(page(r, readsOf(r, [vs])))[1]).toBe(
    'web-destrule  DestinationRule  ⚠ NotFound  -  not found in namespace default',
  );
  // no weights recorded yet: Found, nothing to compare
  const fresh = { ...r, status: {} };
  expect(trafficInfo(fresh, readsOf(fresh, [vs, dr]))!.objects.map((o) => o.status)).toEqual([
    'Found',
    'Found',
  ]);
});

test('ALB, APISIX, Traefik and Ambassador: each object in the header and the tree with its weights', () => {
  const r = at(
    rollout('gateway', {
      alb: { ingress: 'web-ingress', rootService: 'web-root', servicePort: 80 },
      ambassador: { mappings: ['web-mapping'] },
      traefik: { weightedTraefikServiceName: 'web-traefik' },
      apisix: { route: { name: 'web-apisix', rules: ['web-rule'] } },
    }),
  );
  const objects = [
    albIngress('web-ingress', 'web-root', {
      'alb.ingress.kubernetes.io/actions.web-root': albAction(services, 20),
    }),
    ambassadorMapping('web-mapping-canary', 'web-canary:80', 20),
    traefikService('web-traefik', services, { canary: 20, stable: 80 }),
    apisixRoute('web-apisix', 'web-rule', services, { canary: 20, stable: 80 }),
  ];
  const text = page(r, readsOf(r, objects));
  expect(text).toContain(
    'Traffic:         ALB Ingress default/web-ingress\n' +
      '                 Ambassador Mapping default/web-mapping-canary (canary of web-mapping)\n' +
      '                 Traefik TraefikService default/web-traefik\n' +
      '                 APISIX ApisixRoute default/web-apisix\n',
  );
  expect(routeRows(text)).toEqual([
    'web-ingress  Ingress  ✔ Synced  60m  canary 20 / stable 80',
    'web-mapping-canary  Mapping  ✔ Synced  60m  canary 20 / stable 80',
    'web-traefik  TraefikService  ✔ Synced  60m  canary 20 / stable 80',
    'web-apisix  ApisixRoute  ✔ Synced  60m  canary 20 / stable 80',
  ]);
  expect(trafficInfo(r, [])!.routers).toEqual(['ALB', 'Ambassador', 'Traefik', 'APISIX']);

  // the canary Mapping not created yet; at weight 0 (the rollout done), its absence is the weight
  expect(routeRows(page(r, readsOf(r, objects.slice(0, 1))))[1]).toBe(
    'web-mapping-canary  Mapping  ⚠ NotFound  -  not found: Ramp creates it at the first weight',
  );
  const done = at(r, { weight: 0 });
  expect(trafficInfo(done, readsOf(done, []))!.objects[1]).toMatchObject({
    status: 'Synced',
    splits: [{ canary: 0, stable: 100, share: 0 }],
    note: 'absent at weight 0: Ramp creates it at the first weight',
  });
  // the ALB annotation missing, then not JSON
  const bare = albIngress('web-ingress', 'web-root');
  const broken = albIngress('web-ingress', 'web-root', {
    'alb.ingress.kubernetes.io/actions.web-root': '{"Type": "forward",',
  });
  expect(routeRows(page(r, readsOf(r, [bare])))[0]).toBe(
    'web-ingress  Ingress  ✖ Invalid  60m  lacks the annotation alb.ingress.kubernetes.io/actions.web-root',
  );
  expect(routeRows(page(r, readsOf(r, [broken])))[0]).toBe(
    'web-ingress  Ingress  ✖ Invalid  60m  the annotation alb.ingress.kubernetes.io/actions.web-root is not JSON',
  );
});

test('ping-pong: the stable is the Service status.canary.stablePingPong names (unset: pong); ALB always uses the pair', () => {
  const pingPong = { pingService: 'web-ping', pongService: 'web-pong' };
  const host = (stableWeight: number) =>
    virtualService(
      'web-vsvc',
      { stable: 'web-pong', canary: 'web-ping' },
      { canary: 100 - stableWeight, stable: stableWeight },
    );
  const r = at(rollout('istio'));
  r.spec.strategy!.canary = { ...r.spec.strategy!.canary!, pingPong };
  delete r.spec.strategy!.canary!.canaryService;
  delete r.spec.strategy!.canary!.stableService;
  // unset: pong is the stable, ping the canary
  expect(routeRows(page(r, readsOf(r, [host(80)])))[0]).toMatch(/✔ Synced {2}60m {2}canary 20 \/ stable 80$/);
  // after a promotion: ping is the stable, so the same object now carries 80% to the canary
  const swapped = { ...r, status: { ...r.status, canary: { ...r.status!.canary, stablePingPong: 'ping' } } };
  expect(routeRows(page(swapped, readsOf(swapped, [host(80)])))[0]).toMatch(
    /◌ OutOfSync {2}60m {2}canary 80 \/ stable 20 \(the rollout records canary 20\)$/,
  );
  // canaryService/stableService named: Istio splits between them; ALB still uses the pair
  const both = at(
    rollout('gateway', {
      istio: { virtualService: { name: 'web-vsvc', routes: ['primary'] } },
      alb: { ingress: 'web-ingress', rootService: 'web-root', servicePort: 80 },
    }),
  );
  both.spec.strategy!.canary = { ...both.spec.strategy!.canary!, pingPong };
  const pair = { canary: 'web-ping', stable: 'web-pong' };
  const objects = [
    virtualService('web-vsvc', services, { canary: 20, stable: 80 }),
    albIngress('web-ingress', 'web-root', {
      'alb.ingress.kubernetes.io/actions.web-root': albAction(pair, 20),
    }),
  ];
  expect(routeRows(page(both, readsOf(both, objects)))).toEqual([
    'web-vsvc  VirtualService  ✔ Synced  60m  canary 20 / stable 80',
    'web-ingress  Ingress  ✔ Synced  60m  canary 20 / stable 80',
  ]);
  // the ALB action by the named Services is not the pair's
  objects[1] = albIngress('web-ingress', 'web-root', {
    'alb.ingress.kubernetes.io/actions.web-root': albAction(services, 20),
  });
  expect(routeRows(page(both, readsOf(both, objects)))[1]).toBe(
    'web-ingress  Ingress  ✖ Invalid  60m  the action forwards to no target group of web-ping; the action forwards to no target group of web-pong',
  );
});

const obj = (spec: unknown) => ({ metadata: { name: 'o' }, spec }) as RouteObj;

test('a Rollout of any shape: targets and the traffic part, never thrown on', () => {
  for (const routing of hostileJson(300)) {
    for (const router of ['istio', 'alb', 'ambassador', 'traefik', 'apisix', 'pingPong']) {
      const r = at(rollout('gateway', { [router]: routing }));
      if (router === 'pingPong') {
        r.spec.strategy!.canary = { ...r.spec.strategy!.canary!, pingPong: routing as never };
      }
      const reads = routeTargets(r, 'default').map((t) => ({ target: t, object: obj(routing) }));
      expect(() => trafficInfo(r, reads)).not.toThrow();
    }
  }
});

test('objects of the part-2 routers that cannot be read: NotFound notes per router, not served', () => {
  const r = at(
    rollout('istio', {
      ...ISTIO_SUBSET,
      alb: { ingresses: ['a', 'b'], servicePort: 80 },
      traefik: { weightedTraefikServiceName: 'tr' },
      apisix: { route: { name: 'ap' } },
      ambassador: { mappings: ['m'] },
    }),
  );
  const reads = readsOf(r, []);
  reads[reads.length - 1] = {
    target: reads.at(-1)!.target,
    problem: {
      reason: 'NotServed',
      verb: 'get',
      resource: 'apisixroutes.apisix.apache.org',
      versions: ['v2', 'v2beta3'],
    },
  };
  expect(trafficInfo(r, reads)!.objects.map((o) => `${o.kind} ${o.name}: ${o.note}`)).toEqual([
    'VirtualService web-vsvc: not found in namespace default',
    'DestinationRule web-destrule: not found in namespace default',
    'Ingress a: not found in namespace default',
    'Ingress b: not found in namespace default',
    'Mapping m-canary: not found: Ramp creates it at the first weight',
    'TraefikService tr: not found in namespace default',
    'ApisixRoute ap: the cluster does not serve apisixroutes.apisix.apache.org (v2, v2beta3)',
  ]);
});
