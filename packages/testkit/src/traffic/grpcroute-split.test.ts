import {
  answersOf,
  byBackend,
  canaryWorld,
  mirroredBy,
  type SendOptions,
  send,
} from '../testing/traffic/world';
import { grpcRouteRouter } from './grpcroute-split';
import type { ServiceWorld } from './service-endpoints';

const OBJECT = 'GRPCRoute default/shop';
const ref = (name: string, weight?: number) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
});
const route = (rules: unknown[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GRPCRoute',
  spec: { rules },
});

interface Case {
  name: string;
  route: unknown;
  world?: ServiceWorld;
  send?: SendOptions;
  backends: Record<string, number>;
  answers?: Record<string, number>;
  mirrored?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'weights 90/10 over 1000 requests: 900/100',
    route: route([{ backendRefs: [ref('shop-stable', 90), ref('shop-canary', 10)] }]),
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'a rule matching the service and method wins over the catch-all',
    route: route([
      { backendRefs: [ref('shop-stable')] },
      {
        matches: [{ method: { service: 'shop.v1.Cart', method: 'Add' } }],
        backendRefs: [ref('shop-canary')],
      },
    ]),
    send: { requests: { grpcMethod: 'shop.v1.Cart/Add' } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'more characters of service win; then method; then headers',
    route: route([
      {
        matches: [{ method: { method: 'Add' }, headers: [{ name: 'x-canary', value: 'yes' }] }],
        backendRefs: [ref('shop')],
      },
      { matches: [{ method: { service: 'shop.v1.Cart' } }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { grpcMethod: 'shop.v1.Cart/Add', headers: { 'X-Canary': 'yes' } } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a header-matched rule takes the requests carrying the header',
    route: route([
      { backendRefs: [ref('shop-stable')] },
      { matches: [{ headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: [ref('shop-canary')] },
    ]),
    send: { requests: { headers: { 'x-canary': 'yes' }, headerShare: 0.25 } },
    backends: { 'shop-stable': 750, 'shop-canary': 250 },
  },
  {
    name: 'a RegularExpression method match',
    route: route([
      {
        matches: [{ method: { type: 'RegularExpression', service: 'shop\\.v[0-9]+\\.Cart' } }],
        backendRefs: [ref('shop-canary')],
      },
    ]),
    send: { requests: { grpcMethod: 'shop.v2.Cart/Get' } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'requests without a gRPC method match no method matcher: UNIMPLEMENTED',
    route: route([{ matches: [{ method: { service: 'shop.v1.Cart' } }], backendRefs: [ref('shop-stable')] }]),
    backends: {},
    answers: { UNIMPLEMENTED: 1000 },
  },
  {
    name: 'a backend without ready endpoints: UNAVAILABLE for its share',
    route: route([{ backendRefs: [ref('shop-stable', 50), ref('shop-canary', 50)] }]),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 500 },
    answers: { 'UNAVAILABLE shop-canary': 500 },
  },
  {
    name: 'every weight 0: UNAVAILABLE',
    route: route([{ backendRefs: [ref('shop-stable', 0)] }]),
    backends: {},
    answers: { UNAVAILABLE: 1000 },
  },
  {
    name: 'a RequestMirror copies requests',
    route: route([
      {
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('shop-canary'), percent: 10 } }],
        backendRefs: [ref('shop-stable')],
      },
    ]),
    backends: { 'shop-stable': 1000 },
    mirrored: { 'shop-canary': 100 },
  },
  {
    name: 'a method matcher with neither service nor method never matches, reported',
    route: route([
      { matches: [{ method: { type: 'Exact' } }], backendRefs: [ref('shop-canary')] },
      { backendRefs: [ref('shop-stable')] },
    ]),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.rules[0].matches[0].method: one or both of service and method must be given; the match never matches`,
    ],
  },
];

describe('GRPCRoute: the traffic follows the route', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => grpcRouteRouter(c.route, world, OBJECT), world, c.send);
    expect(byBackend(counts)).toEqual(c.backends);
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(mirroredBy(counts)).toEqual(c.mirrored ?? {});
    expect(counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`)).toEqual(c.problems ?? []);
  });
});
