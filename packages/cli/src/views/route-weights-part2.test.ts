// What each part-2 routing object carries, as `get rollout` reads it (views/route-weights.ts), one table
// per kind: Istio VirtualServices (host and subset split, http/tls/tcp routes) and the hashes a
// DestinationRule's subsets select, ALB action annotations, APISIX routes, Traefik weighted services and
// Ambassador canary Mappings, with why an object cannot carry the split.
import type { RouteObj } from '../kube/route-reader';
import type { IstioTlsRoute } from '../kube/routing-targets';
import {
  albAction,
  albIngress,
  ambassadorMapping,
  apisixRoute,
  hostileJson,
  traefikService,
} from '../testing/routing';
import { type CarriedWeights, carriedWeights, type RouteContext, type WeightTarget } from './route-weights';

const services = { canary: 'web-canary', stable: 'web-stable' };
const ro = { name: 'web', uid: 'ro-uid' };

const CTX: RouteContext = {
  services,
  maxWeight: 100,
  annotationPrefix: 'nginx.ingress.kubernetes.io',
  alb: { annotationPrefix: 'alb.ingress.kubernetes.io', actionService: 'web-root' },
  rollout: ro,
};

const obj = (spec: unknown, metadata: Record<string, unknown> = {}) =>
  ({ metadata: { name: 'o', ...metadata }, spec }) as RouteObj;
const dest = (host: string, weight?: number, subset?: string) => ({
  destination: { host, ...(subset ? { subset } : {}) },
  ...(weight !== undefined ? { weight } : {}),
});
const route = (name: string | undefined, ...destinations: unknown[]) => ({
  ...(name ? { name } : {}),
  route: destinations,
});
const vsTarget = (
  http: string[] = [],
  more: { tls?: IstioTlsRoute[]; tcp?: { port: number }[] } = {},
): WeightTarget => ({
  router: 'Istio',
  kind: 'VirtualService',
  istioRoutes: { http, tls: more.tls ?? [], tcp: more.tcp ?? [] },
});
const host = { http: [route('primary', dest('web-stable', 80), dest('web-canary', 20))] };
const subsetCtx = { ...CTX, istioSubsets: { canary: 'canary', stable: 'stable' } };

test.each<[string, WeightTarget, RouteObj, Partial<RouteContext>, CarriedWeights]>([
  [
    'host split, the route named',
    vsTarget(['primary']),
    obj(host),
    {},
    { splits: [{ canary: 20, stable: 80, share: 20 }] },
  ],
  [
    'hosts as FQDN and svc.ns',
    vsTarget(['primary']),
    obj({
      http: [
        route('primary', dest('web-stable.default.svc.cluster.local', 70), dest('web-canary.default', 30)),
      ],
    }),
    {},
    { splits: [{ canary: 30, stable: 70, share: 30 }] },
  ],
  [
    'routes not named: the only http route',
    vsTarget(),
    obj(host),
    {},
    { splits: [{ canary: 20, stable: 80, share: 20 }] },
  ],
  [
    'routes not named: the unnamed one beside a managed route',
    vsTarget(),
    obj({
      http: [
        route('header', dest('web-canary', 100)),
        route(undefined, dest('web-stable', 90), dest('web-canary', 10)),
      ],
    }),
    { managedRoutes: ['header'] },
    { splits: [{ canary: 10, stable: 90, share: 10 }] },
  ],
  [
    'routes not named, two routes',
    vsTarget(),
    obj({ http: [host.http[0], route('other', dest('web-stable', 100))] }),
    {},
    { splits: [], problem: 'has 2 http routes: name the one to split in virtualService.routes' },
  ],
  [
    'a route named in routes is missing',
    vsTarget(['primary', 'secondary']),
    obj(host),
    {},
    { splits: [{ canary: 20, stable: 80, share: 20 }], problem: 'has no http route named "secondary"' },
  ],
  [
    'no destination to the canary',
    vsTarget(['primary']),
    obj({ http: [route('primary', dest('web-stable', 100))] }),
    {},
    { splits: [], problem: 'http route primary: no destination to the canary Service web-canary' },
  ],
  [
    'an experiment destination beside them: the share is of the whole route',
    vsTarget(['primary']),
    obj({ http: [route('primary', dest('web-stable', 70), dest('web-canary', 10), dest('web-exp', 20))] }),
    {},
    { splits: [{ canary: 10, stable: 70, share: 10 }] },
  ],
  [
    'subset split',
    vsTarget(['primary']),
    obj({ http: [route('primary', dest('web', 80, 'stable'), dest('web', 20, 'canary'))] }),
    subsetCtx,
    { splits: [{ canary: 20, stable: 80, share: 20 }] },
  ],
  [
    'subset split, the stable subset missing in the route',
    vsTarget(['primary']),
    obj({ http: [route('primary', dest('web', 100, 'old'), dest('web', 0, 'canary'))] }),
    subsetCtx,
    { splits: [], problem: 'http route primary: no destination to the stable subset stable' },
  ],
  [
    'tls by port and SNI hosts, tcp by port',
    vsTarget([], { tls: [{ port: 3000, sniHosts: ['b', 'a'] }], tcp: [{ port: 5432 }] }),
    obj({
      tls: [
        { match: [{ port: 3000, sniHosts: ['other'] }], route: [dest('web-stable', 100)] },
        {
          match: [{ port: 3000, sniHosts: ['a', 'b'] }],
          route: [dest('web-stable', 60), dest('web-canary', 40)],
        },
      ],
      tcp: [
        { match: [{ port: 5432 }, { port: 5433 }], route: [dest('web-stable', 100)] },
        { match: [{ port: 5432 }], route: [dest('web-stable', 60), dest('web-canary', 40)] },
      ],
    }),
    {},
    { splits: [{ canary: 40, stable: 60, share: 40 }] },
  ],
  [
    'a tls route that matches nothing, and two tcp routes with none named',
    vsTarget([], { tls: [{ port: 443, sniHosts: [] }], tcp: [] }),
    obj({ tls: [{ match: [{ port: 3000 }], route: [] }], tcp: [{ route: [] }, { route: [] }] }),
    {},
    {
      splits: [],
      problem:
        'has no tls route matching port 443 and SNI hosts (none); has 2 tcp routes: name the one to split in virtualService.tcpRoutes',
    },
  ],
  [
    'an empty http list beside the tls route: the tls route alone',
    vsTarget(),
    obj({
      http: [],
      tls: [{ match: [{ port: 443 }], route: [dest('web-stable', 50), dest('web-canary', 50)] }],
    }),
    {},
    { splits: [{ canary: 50, stable: 50, share: 50 }] },
  ],
  [
    'empty route lists',
    vsTarget(),
    obj({ http: [], tcp: [] }),
    {},
    { splits: [], problem: 'has no route to split' },
  ],
  [
    'no routes at all',
    vsTarget(),
    obj({ hosts: ['web'] }),
    {},
    { splits: [], problem: 'has no http, tls or tcp routes' },
  ],
])('Istio VirtualService: %s', (_, target, object, ctx, expected) => {
  expect(carriedWeights(target, object, { ...CTX, ...ctx })).toEqual(expected);
});

const DR_TARGET: WeightTarget = {
  router: 'Istio',
  kind: 'DestinationRule',
  subsets: { canary: 'canary', stable: 'stable' },
};
const subset = (name: string, hash?: unknown) => ({
  name,
  labels: { app: 'web', ...(hash !== undefined ? { 'rollouts-pod-template-hash': hash } : {}) },
});

test.each<[string, unknown, CarriedWeights]>([
  [
    'both subsets labelled',
    { subsets: [subset('stable', 'aaa'), subset('canary', 'bbb')] },
    { splits: [], hashes: { canary: 'bbb', stable: 'aaa' } },
  ],
  [
    'a subset without the label',
    { subsets: [subset('stable', 'aaa'), subset('canary')] },
    { splits: [], hashes: { stable: 'aaa' } },
  ],
  [
    'a subset missing',
    { subsets: [subset('stable', 'aaa')] },
    { splits: [], hashes: { stable: 'aaa' }, problem: 'has no subset named "canary" (the canary subset)' },
  ],
  [
    'labels of the wrong shape',
    {
      subsets: [
        { name: 'stable', labels: ['x'] },
        { name: 'canary', labels: { 'rollouts-pod-template-hash': 7 } },
      ],
    },
    { splits: [], hashes: {} },
  ],
])('Istio DestinationRule: %s', (_, spec, expected) => {
  expect(carriedWeights(DR_TARGET, obj(spec), CTX)).toEqual(expected);
});

const ALB: WeightTarget = { router: 'ALB', kind: 'Ingress' };
const KEY = 'alb.ingress.kubernetes.io/actions.web-root';
const albObject = (action: unknown, annotations: Record<string, unknown> = {}) => {
  const ingress = albIngress('web-ingress', 'web-root') as unknown as RouteObj;
  const value = typeof action === 'string' ? action : JSON.stringify(action);
  ingress.metadata.annotations = {
    ...(action === undefined ? {} : { [KEY]: value }),
    ...annotations,
  } as Record<string, string>;
  return ingress;
};
const groups = (...g: [string, unknown][]) => ({
  Type: 'forward',
  ForwardConfig: {
    TargetGroups: g.map(([ServiceName, Weight]) => ({ ServiceName, ServicePort: '80', Weight })),
  },
});

test.each<[string, RouteObj, Partial<RouteContext>, CarriedWeights]>([
  [
    'the action Ramp writes',
    albObject(albAction(services, 30)),
    {},
    { splits: [{ canary: 30, stable: 70, share: 30 }] },
  ],
  [
    'an experiment target group: the share is of all',
    albObject(groups(['web-canary', 10], ['web-exp', 20], ['web-stable', 70])),
    {},
    { splits: [{ canary: 10, stable: 70, share: 10 }] },
  ],
  [
    'a custom annotationPrefix, action named after stableService',
    (() => {
      const i = albObject(undefined, { 'custom.io/actions.web-stable': albAction(services, 5) });
      (i.spec as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] }).rules[0]!
        .http.paths[0]!.backend.service.name = 'web-stable';
      return i;
    })(),
    { alb: { annotationPrefix: 'custom.io', actionService: 'web-stable' } },
    { splits: [{ canary: 5, stable: 95, share: 5 }] },
  ],
  [
    'the annotation missing',
    albObject(undefined),
    {},
    { splits: [], problem: `lacks the annotation ${KEY}` },
  ],
  ['not JSON', albObject('forward 20%'), {}, { splits: [], problem: `the annotation ${KEY} is not JSON` }],
  ...[
    'null',
    '[]',
    '"forward"',
    '{"Type":"fixed-response"}',
    '{"Type":"forward","ForwardConfig":{"TargetGroups":{}}}',
  ].map((json): [string, RouteObj, Partial<RouteContext>, CarriedWeights] => [
    `JSON of another shape: ${json}`,
    albObject(json),
    {},
    { splits: [], problem: `the annotation ${KEY} is not a forward action with TargetGroups` },
  ]),
  [
    'no target group of the canary',
    albObject(groups(['web-stable', 100])),
    {},
    { splits: [], problem: 'the action forwards to no target group of web-canary' },
  ],
  [
    'weights of the wrong type count 0',
    albObject(groups(['web-canary', '20'], ['web-stable', 80])),
    {},
    { splits: [{ canary: 0, stable: 80, share: 0 }] },
  ],
  [
    'no rule to the action Service',
    albObject(albAction(services, 30)),
    { alb: { annotationPrefix: 'alb.ingress.kubernetes.io', actionService: 'web-other' } },
    {
      splits: [],
      problem:
        'lacks the annotation alb.ingress.kubernetes.io/actions.web-other; no rule of the Ingress sends to web-other, so Ramp cannot set its action',
    },
  ],
  [
    'an annotation that is not a string',
    albObject(undefined, { [KEY]: { Type: 'forward' } }),
    {},
    { splits: [], problem: `lacks the annotation ${KEY}` },
  ],
])('ALB Ingress: %s', (_, object, ctx, expected) => {
  expect(carriedWeights(ALB, object, { ...CTX, ...ctx })).toEqual(expected);
});

const APISIX: WeightTarget = {
  router: 'APISIX',
  kind: 'ApisixRoute',
  name: 'web-apisix',
  apisixRules: ['web-rule'],
};
const backend = (serviceName: string, weight?: unknown) => ({
  serviceName,
  servicePort: 80,
  ...(weight !== undefined ? { weight } : {}),
});

test.each<[string, WeightTarget, unknown, CarriedWeights]>([
  [
    'as Argo e2e writes it',
    APISIX,
    (apisixRoute('web-apisix', 'web-rule', services, { canary: 5, stable: 95 }) as unknown as RouteObj).spec,
    { splits: [{ canary: 5, stable: 95, share: 5 }] },
  ],
  [
    'rules not given: the rule named as the route; weights unset weigh 100',
    { ...APISIX, apisixRules: undefined },
    { http: [{ name: 'web-apisix', backends: [backend('web-stable'), backend('web-canary')] }] },
    { splits: [{ canary: 100, stable: 100, share: 50 }] },
  ],
  [
    'the rule missing',
    APISIX,
    { http: [{ name: 'other', backends: [] }] },
    { splits: [], problem: 'has no http rule named "web-rule"' },
  ],
  [
    'the canary backend missing',
    APISIX,
    { http: [{ name: 'web-rule', backends: [backend('web-stable', 100)] }] },
    { splits: [], problem: 'http rule web-rule has no backend web-canary' },
  ],
  [
    'spec.http not a list',
    APISIX,
    { http: { name: 'web-rule' } },
    { splits: [], problem: 'has no spec.http' },
  ],
])('ApisixRoute: %s', (_, target, spec, expected) => {
  expect(carriedWeights(target, obj(spec), CTX)).toEqual(expected);
});

const TRAEFIK: WeightTarget = { router: 'Traefik', kind: 'TraefikService' };

test.each<[string, unknown, CarriedWeights]>([
  [
    'weights Ramp writes',
    (traefikService('t', services, { canary: 30, stable: 70 }) as unknown as RouteObj).spec,
    { splits: [{ canary: 30, stable: 70, share: 30 }] },
  ],
  [
    'as the docs write it (no weights: 1 each)',
    (traefikService('t', services) as unknown as RouteObj).spec,
    { splits: [{ canary: 1, stable: 1, share: 50 }] },
  ],
  [
    'the canary service missing',
    { weighted: { services: [{ name: 'web-stable', weight: 100 }] } },
    { splits: [], problem: 'has no weighted service web-canary' },
  ],
  ['spec.weighted missing', { mirroring: {} }, { splits: [], problem: 'has no spec.weighted.services' }],
  [
    'services not a list',
    { weighted: { services: 'web-stable' } },
    { splits: [], problem: 'has no spec.weighted.services' },
  ],
])('TraefikService: %s', (_, spec, expected) => {
  expect(carriedWeights(TRAEFIK, obj(spec), CTX)).toEqual(expected);
});

const MAPPING: WeightTarget = { router: 'Ambassador', kind: 'Mapping' };

test.each<[string, unknown, CarriedWeights]>([
  [
    'the canary Mapping Ramp creates',
    (ambassadorMapping('echo-canary', 'web-canary:80', 30) as unknown as RouteObj).spec,
    { splits: [{ canary: 30, stable: 70, share: 30 }] },
  ],
  [
    'a weight without the canary Service',
    { service: 'web-stable:80', weight: 30 },
    {
      splits: [{ canary: 30, stable: 70, share: 30 }],
      problem: 'sends to web-stable:80, not the canary Service web-canary',
    },
  ],
  ['no weight', { service: 'web-canary:80' }, { splits: [], problem: 'has no spec.weight' }],
  [
    'a weight out of range, a service of the wrong type',
    { service: 80, weight: 250 },
    {
      splits: [{ canary: 100, stable: 0, share: 100 }],
      problem: 'sends to no service, not the canary Service web-canary',
    },
  ],
])('Ambassador canary Mapping: %s', (_, spec, expected) => {
  expect(carriedWeights(MAPPING, obj(spec), CTX)).toEqual(expected);
});

/** Values of any JSON shape, from a fixed seed: nested lists and maps of numbers, strings, null, booleans. */

test('routing objects of any JSON shape: read, never thrown on', () => {
  const targets: WeightTarget[] = [
    { router: 'GatewayAPI', kind: 'HTTPRoute' },
    { router: 'Nginx', kind: 'Ingress' },
    { router: 'SMI', kind: 'TrafficSplit' },
    vsTarget(['primary'], { tls: [{ port: 3000, sniHosts: ['a'] }], tcp: [{ port: 1 }] }),
    vsTarget(),
    DR_TARGET,
    ALB,
    APISIX,
    TRAEFIK,
    MAPPING,
  ];
  const values = hostileJson(250);
  for (const target of targets) {
    for (const [i, spec] of values.entries()) {
      const hostile = values[(i + 1) % values.length];
      const objects = [
        obj(spec),
        obj(spec, { annotations: hostile, ownerReferences: hostile }),
        obj(spec, { annotations: { [KEY]: JSON.stringify(hostile) } }),
      ];
      for (const object of objects) {
        for (const ctx of [CTX, subsetCtx, { ...CTX, services: { canary: '', stable: '' } }]) {
          const carried = carriedWeights(target, object, ctx);
          expect(Array.isArray(carried.splits)).toBe(true);
          for (const s of carried.splits) expect(Number.isFinite(s.share)).toBe(true);
        }
      }
    }
  }
});
