import { answersOf, byBackend, canaryWorld, problemLines, send } from '../testing/traffic/world';
import { mappingRouter } from './mapping-split';
import type { RequestShape } from './request-mix';
import type { ServiceWorld } from './service-endpoints';

const OBJECT = 'Mapping default/shop';
const mapping = (
  name: string,
  service: string,
  spec: Record<string, unknown> = {},
  created = '2026-01-01T00:00:00Z',
) => ({
  apiVersion: 'getambassador.io/v2',
  kind: 'Mapping',
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { prefix: '/shop/', service, ...spec },
});

interface Case {
  name: string;
  entry: unknown;
  others?: unknown[];
  world?: ServiceWorld;
  requests?: RequestShape;
  backends?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const shop = { path: '/shop/cart' };

const cases: Case[] = [
  {
    name: "Argo's canary Mapping: the weighted one takes its percent, the base Mapping the rest",
    entry: mapping('shop', 'shop-stable:80'),
    others: [mapping('shop-canary', 'shop-canary:80', { weight: 20 })],
    requests: shop,
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'a single Mapping takes everything, whatever its weight',
    entry: mapping('shop', 'shop-canary', { weight: 30 }),
    requests: shop,
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'Mappings without a weight share what is left: 50 → 25/25',
    entry: mapping('shop', 'shop-stable'),
    others: [mapping('a', 'shop-canary', { weight: 50 }), mapping('b', 'shop')],
    requests: shop,
    backends: { 'shop-canary': 500, 'shop-stable': 250, shop: 250 },
  },
  {
    name: "Emissary's rounding: 5 left for two is 2 (Python rounds halves to even), the last takes the rest",
    entry: mapping('shop', 'shop-stable', {}, '2026-01-01T00:00:00Z'),
    others: [mapping('a', 'shop-canary', { weight: 95 }), mapping('z', 'shop', {}, '2026-03-01T00:00:00Z')],
    requests: shop,
    backends: { 'shop-canary': 950, 'shop-stable': 20, shop: 30 },
  },
  {
    name: 'weights under 100 and no Mapping without one: the rest has no route (404), reported',
    entry: mapping('shop', 'shop-stable', { weight: 30 }),
    others: [mapping('a', 'shop-canary', { weight: 30 })],
    requests: shop,
    backends: { 'shop-stable': 300, 'shop-canary': 300 },
    answers: { '404': 400 },
    problems: [
      `${OBJECT}: spec.weight: the weights of the group total 60: the other 40% of the requests match no route (404)`,
    ],
  },
  {
    name: 'weights over 100: Emissary refuses the group, 404',
    entry: mapping('shop', 'shop-stable', { weight: 60 }),
    others: [mapping('a', 'shop-canary', { weight: 60 })],
    requests: shop,
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: spec.weight: the weights of the group total 120, above 100: Emissary refuses the group, every request gets 404`,
    ],
  },
  {
    name: 'a weight over 100: refused',
    entry: mapping('shop', 'shop-stable'),
    others: [mapping('a', 'shop-canary', { weight: 101 })],
    requests: shop,
    answers: { '404': 1000 },
    problems: [
      'Mapping default/a: spec.weight: invalid weight 101: Emissary refuses the group, every request gets 404',
    ],
  },
  {
    name: 'Mappings of another prefix, host or header are other groups',
    entry: mapping('shop', 'shop-stable'),
    others: [
      mapping('a', 'shop-canary', { weight: 50, prefix: '/shop' }),
      mapping('b', 'shop-canary', { weight: 50, host: 'other.example.com' }),
      mapping('c', 'shop-canary', { weight: 50, headers: { 'x-canary': 'yes' } }),
    ],
    requests: shop,
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'service forms: name.namespace:port, scheme://name, the FQDN',
    entry: mapping('shop', 'http://shop-stable', { weight: 40 }),
    others: [
      mapping('a', 'shop-canary.default:80', { weight: 30 }),
      mapping('b', 'shop.default.svc.cluster.local:80', { weight: 30 }),
    ],
    requests: shop,
    backends: { 'shop-stable': 400, 'shop-canary': 300, shop: 300 },
  },
  {
    name: 'a Service that does not exist, lacks the port or lives elsewhere: 503 for its share',
    entry: mapping('shop', 'shop-stable:80', { weight: 25 }),
    others: [
      mapping('a', 'shop-gone', { weight: 25 }),
      mapping('b', 'https://shop-canary', { weight: 25 }),
      mapping('c', 'shop.other:80', { weight: 25 }),
    ],
    requests: shop,
    backends: { 'shop-stable': 250 },
    answers: { '503 shop-gone': 250, '503 shop-canary': 250, '503 shop.other': 250 },
    problems: [
      'Mapping default/a: spec.service: Service "shop-gone" not found: its share gets 503',
      'Mapping default/b: spec.service: Service "shop-canary" has no port 443: its share gets 503',
      'Mapping default/c: spec.service: Service "other/shop" is in another namespace (not modelled): its share gets 503',
    ],
  },
  {
    name: 'a canary without ready endpoints: 503 for its share',
    entry: mapping('shop', 'shop-stable'),
    others: [mapping('shop-canary', 'shop-canary', { weight: 10 })],
    world: canaryWorld({ canaryReady: false }),
    requests: shop,
    backends: { 'shop-stable': 900 },
    answers: { '503 shop-canary': 100 },
  },
  {
    name: 'a request the Mapping does not match (prefix, host, method, headers): 404',
    entry: mapping('shop', 'shop-stable', {
      host: 'shop.example.com',
      method: 'GET',
      headers: { 'x-team': 'a' },
    }),
    requests: { path: '/shop/cart', host: 'shop.example.com', headers: { 'X-Team': 'a' }, headerShare: 0.3 },
    backends: { 'shop-stable': 300 },
    answers: { '404': 700 },
  },
  {
    name: 'prefix_regex and a v3 hostname glob',
    entry: mapping('shop', 'shop-canary', {
      prefix: '/shop/[0-9]+',
      prefix_regex: true,
      hostname: '*.example.com',
    }),
    requests: { path: '/shop/42', host: 'www.example.com' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'not found: 404',
    entry: undefined,
    requests: shop,
    answers: { '404': 1000 },
    problems: [`${OBJECT}: : not found: every request gets 404`],
  },
  {
    name: 'malformed: a weight that is not a number, no service',
    entry: mapping('shop', 'shop-stable', { weight: 'lots' }),
    others: [mapping('a', '', {})],
    requests: shop,
    backends: { 'shop-stable': 500 },
    answers: { '503': 500 },
    problems: [
      `${OBJECT}: spec.weight: expected a number within 0..100, got "lots"; read as no weight`,
      'Mapping default/a: spec.service: missing: its share gets 503',
    ],
  },
  {
    name: 'no prefix: no request matches',
    entry: mapping('shop', 'shop-stable', { prefix: '' }),
    requests: shop,
    answers: { '404': 1000 },
    problems: [`${OBJECT}: spec.prefix: missing: no request matches the Mapping`],
  },
];

describe('Ambassador Mapping: the traffic follows the weights of its group', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const all = [...(c.entry ? [c.entry] : []), ...(c.others ?? [])];
    const counts = send(() => mappingRouter(c.entry, all, world, OBJECT), world, {
      ticks: 10,
      ...(c.requests ? { requests: c.requests } : {}),
    });
    expect(byBackend(counts)).toEqual(c.backends ?? {});
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(problemLines(counts)).toEqual(c.problems ?? []);
  });
});
