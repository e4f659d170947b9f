import {
  answersOf,
  byBackend,
  canaryWorld,
  mirroredBy,
  type SendOptions,
  send,
} from '../testing/traffic/world';
import { httpRouteRouter } from './httproute-split';
import type { ServiceWorld } from './service-endpoints';

const OBJECT = 'HTTPRoute default/shop';

const ref = (name: string, weight?: number, extra: Record<string, unknown> = {}) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
  ...extra,
});

const route = (rules: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { parentRefs: [{ name: 'gw' }], ...spec, rules },
});

const split8020 = { backendRefs: [ref('shop-stable', 80), ref('shop-canary', 20)] };

interface Case {
  name: string;
  route: unknown;
  world?: ServiceWorld;
  send?: SendOptions;
  backends: Record<string, number>;
  mirrored?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'weights 80/20 over 1000 requests: exactly 800/200',
    route: route([split8020]),
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'weights 80/20 over 1000 requests in 1000 ticks: still exactly 800/200 (the carry)',
    route: route([split8020]),
    send: { ticks: 1000 },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'weights 1/3 in 7 ticks: 250/750',
    route: route([{ backendRefs: [ref('shop-stable', 1), ref('shop-canary', 3)] }]),
    send: { ticks: 7 },
    backends: { 'shop-stable': 250, 'shop-canary': 750 },
  },
  {
    name: 'no weight means 1: an even split',
    route: route([{ backendRefs: [ref('shop-stable'), ref('shop-canary')] }]),
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'a backend with weight 0 gets nothing',
    route: route([{ backendRefs: [ref('shop-stable', 100), ref('shop-canary', 0)] }]),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'every weight 0: 500 for every request',
    route: route([{ backendRefs: [ref('shop-stable', 0), ref('shop-canary', 0)] }]),
    backends: {},
    answers: { '500': 1000 },
  },
  {
    name: 'a header-matched rule wins over the catch-all for the requests carrying the header',
    route: route([
      { backendRefs: [ref('shop-stable', 100), ref('shop-canary', 0)] },
      { matches: [{ headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { headers: { 'X-Canary': 'yes' }, headerShare: 0.1 } },
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'a header match with another value does not match',
    route: route([
      { backendRefs: [ref('shop-stable')] },
      { matches: [{ headers: [{ name: 'X-Canary', value: 'yes' }] }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { headers: { 'X-Canary': 'no' } } },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'a RegularExpression header match must match the whole value',
    route: route([
      { backendRefs: [ref('shop-stable')] },
      {
        matches: [{ headers: [{ name: 'x-user', type: 'RegularExpression', value: 'beta-.*' }] }],
        backendRefs: [ref('shop-canary')],
      },
    ]),
    send: { requests: { headers: { 'x-user': 'beta-7' }, headerShare: 0.5 } },
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'an Exact path match wins over a PathPrefix of an earlier rule',
    route: route([
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [ref('shop-stable')] },
      { matches: [{ path: { type: 'Exact', value: '/api/items' } }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { path: '/api/items' } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'the longest PathPrefix wins; a prefix matches whole path elements only',
    route: route([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [ref('shop-stable')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/api/' } }], backendRefs: [ref('shop-canary')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/ap' } }], backendRefs: [ref('shop', 1)] },
    ]),
    send: { requests: { path: '/api/items?page=2' } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a method match wins over more headers; more headers win over fewer',
    route: route([
      {
        matches: [
          {
            headers: [
              { name: 'a', value: '1' },
              { name: 'b', value: '2' },
            ],
          },
        ],
        backendRefs: [ref('shop-stable')],
      },
      { matches: [{ method: 'POST' }], backendRefs: [ref('shop-canary')] },
      { matches: [{ headers: [{ name: 'a', value: '1' }] }], backendRefs: [ref('shop')] },
    ]),
    send: { requests: { method: 'post', headers: { a: '1', b: '2' } } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'query parameter matches',
    route: route([
      { backendRefs: [ref('shop-stable')] },
      { matches: [{ queryParams: [{ name: 'beta', value: 'on' }] }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { path: '/?beta=on' } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'on a full tie the first rule wins',
    route: route([{ backendRefs: [ref('shop-canary')] }, { backendRefs: [ref('shop-stable')] }]),
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'no rule matches: 404',
    route: route([
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [ref('shop-stable')] },
    ]),
    backends: {},
    answers: { '404': 1000 },
  },
  {
    name: 'a host that the route hostnames do not accept: 404',
    route: route([split8020], { hostnames: ['shop.example.com'] }),
    send: { requests: { host: 'other.example.com' } },
    backends: {},
    answers: { '404': 1000 },
  },
  {
    name: 'a wildcard hostname accepts a subdomain, port ignored',
    route: route([split8020], { hostnames: ['*.example.com'] }),
    send: { requests: { host: 'a.b.example.com:8080' } },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'a backend Service without ready endpoints: 503 for its share',
    route: route([split8020]),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 800 },
    answers: { '503 shop-canary': 200 },
  },
  {
    name: 'a backendRef to a Service that does not exist: 500 for its share, reported',
    route: route([{ backendRefs: [ref('shop-stable', 50), ref('shop-gone', 50)] }]),
    backends: { 'shop-stable': 500 },
    answers: { '500 shop-gone': 500 },
    problems: [`${OBJECT}: spec.rules[0].backendRefs[1].name: Service "shop-gone" not found`],
  },
  {
    name: 'a backendRef without a port or to a port the Service lacks: 500, reported',
    route: route([
      { backendRefs: [{ name: 'shop-stable', weight: 1 }, ref('shop-canary', 1, { port: 8080 })] },
    ]),
    backends: {},
    answers: { '500 shop-stable': 500, '500 shop-canary': 500 },
    problems: [
      `${OBJECT}: spec.rules[0].backendRefs[0].port: backendRef to Service "shop-stable" has no port (required for a Service)`,
      `${OBJECT}: spec.rules[0].backendRefs[1].port: Service "shop-canary" has no port 8080`,
    ],
  },
  {
    name: 'a backendRef to another namespace or kind: 500, reported',
    route: route([
      {
        backendRefs: [
          ref('shop-stable', 1, { namespace: 'other' }),
          ref('shop-canary', 1, { group: 'multicluster.x-k8s.io', kind: 'ServiceImport' }),
        ],
      },
    ]),
    backends: {},
    answers: { '500 shop-stable': 500, '500 shop-canary': 500 },
    problems: [
      `${OBJECT}: spec.rules[0].backendRefs[0].namespace: Service "other/shop-stable" is in another namespace (ReferenceGrants are not modelled)`,
      `${OBJECT}: spec.rules[0].backendRefs[1]: only core Services are modelled, not ServiceImport.multicluster.x-k8s.io`,
    ],
  },
  {
    name: 'a malformed weight leaves the backendRef out, reported',
    route: route([
      { backendRefs: [ref('shop-stable', 80), { name: 'shop-canary', port: 80, weight: '20' }] },
    ]),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.rules[0].backendRefs[1].weight: expected an integer within 0..1000000, got "20"; the backendRef is left out`,
    ],
  },
  {
    name: 'a RequestMirror with percent copies that share to the mirror, apart from what clients see',
    route: route([
      {
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('shop-canary'), percent: 20 } }],
        backendRefs: [ref('shop-stable')],
      },
    ]),
    backends: { 'shop-stable': 1000 },
    mirrored: { 'shop-canary': 200 },
  },
  {
    name: 'a RequestMirror with a fraction (denominator defaults to 100), in many ticks',
    route: route([
      {
        filters: [
          {
            type: 'RequestMirror',
            requestMirror: { backendRef: ref('shop-canary'), fraction: { numerator: 25 } },
          },
        ],
        backendRefs: [ref('shop-stable')],
      },
    ]),
    send: { ticks: 333 },
    backends: { 'shop-stable': 1000 },
    mirrored: { 'shop-canary': 250 },
  },
  {
    name: 'a RequestMirror without percent or fraction copies every request; on a backendRef, only its share',
    route: route([
      {
        backendRefs: [
          ref('shop-stable', 80, {
            filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('shop-canary') } }],
          }),
          ref('shop-canary', 20),
        ],
      },
    ]),
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
    mirrored: { 'shop-canary': 800 },
  },
  {
    name: 'a RequestMirror to a Service that does not exist is dropped, reported',
    route: route([
      {
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('nowhere'), percent: 50 } }],
        backendRefs: [ref('shop-stable')],
      },
    ]),
    backends: { 'shop-stable': 1000 },
    mirrored: {},
    problems: [
      `${OBJECT}: spec.rules[0].filters[0].requestMirror.backendRef.name: Service "nowhere" not found: the mirror is dropped, as the spec says`,
    ],
  },
  {
    name: 'a RequestRedirect answers with its status code',
    route: route([{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301 } }] }]),
    backends: {},
    answers: { '301': 1000 },
  },
  {
    name: 'a rule without backendRefs: 500',
    route: route([{ matches: [{ path: { value: '/' } }] }]),
    backends: {},
    answers: { '500': 1000 },
  },
  {
    name: 'no spec: 404, reported',
    route: { kind: 'HTTPRoute', metadata: { name: 'shop' } },
    backends: {},
    answers: { '404': 1000 },
    problems: [`${OBJECT}: spec: missing: the route has no rules, every request gets 404`],
  },
  {
    name: 'an unreadable match never matches, reported; the other rules still route',
    route: route([
      { matches: [{ path: { type: 'Exact', value: 'no-slash' } }], backendRefs: [ref('shop-canary')] },
      { backendRefs: [ref('shop-stable')] },
    ]),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.rules[0].matches[0].path.value: must be an absolute path starting with "/"; the match never matches`,
    ],
  },
];

describe('HTTPRoute: the traffic follows the route', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => httpRouteRouter(c.route, world, OBJECT), world, c.send);
    expect(byBackend(counts)).toEqual(c.backends);
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    if (c.mirrored) expect(mirroredBy(counts)).toEqual(c.mirrored);
    else expect(mirroredBy(counts)).toEqual({});
    expect(counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`)).toEqual(c.problems ?? []);
    expect(counts.sent).toBe(1000);
  });

  test('the pods of a backend share its requests evenly', () => {
    const world = canaryWorld({ canaryPods: 2 });
    const counts = send(() => httpRouteRouter(route([split8020]), world, OBJECT), world);
    expect(counts.pods.map((p) => [p.pod, p.received])).toEqual([
      ['stable-0', 200],
      ['stable-1', 200],
      ['stable-2', 200],
      ['stable-3', 200],
      ['canary-0', 100],
      ['canary-1', 100],
    ]);
  });

  test('the decision for each class of requests shows in the routes', () => {
    const world = canaryWorld();
    const counts = send(() => httpRouteRouter(route([split8020]), world, OBJECT), world);
    expect(counts.routes).toEqual([
      {
        request: 'plain',
        share: 1,
        rule: 'rules[0]',
        destinations: [
          { to: 'Service shop-stable', weight: 80, share: 0.8 },
          { to: 'Service shop-canary', weight: 20, share: 0.2 },
        ],
        mirrors: [],
      },
    ]);
  });
});
