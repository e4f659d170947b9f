import { answersOf, byBackend, canaryWorld, type SendOptions, send } from '../testing/traffic/world';
import type { ServiceWorld } from './service-endpoints';
import { streamRouteRouter } from './tcproute-tlsroute-split';

const ref = (name: string, weight?: number) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
});
const route = (rules: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1alpha2',
  spec: { ...spec, rules },
});

interface Case {
  name: string;
  kind: 'TCPRoute' | 'TLSRoute';
  route: unknown;
  world?: ServiceWorld;
  send?: SendOptions;
  backends: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'TCPRoute weights 90/10 over 1000 connections: 900/100',
    kind: 'TCPRoute',
    route: route([{ backendRefs: [ref('shop-stable', 90), ref('shop-canary', 10)] }]),
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'TCPRoute: a backend without ready endpoints rejects its share of connections',
    kind: 'TCPRoute',
    route: route([{ backendRefs: [ref('shop-stable', 90), ref('shop-canary', 10)] }]),
    world: canaryWorld({ canaryPods: 0 }),
    backends: { 'shop-stable': 900 },
    answers: { 'rejected shop-canary': 100 },
  },
  {
    name: 'TCPRoute: only the first rule is used, the others reported',
    kind: 'TCPRoute',
    route: route([{ backendRefs: [ref('shop-canary')] }, { backendRefs: [ref('shop-stable')] }]),
    backends: { 'shop-canary': 1000 },
    problems: [
      'TCPRoute default/shop: spec.rules: 2 rules: TCPRoute rules have no matches to choose between them, only rules[0] is used',
    ],
  },
  {
    name: 'TLSRoute: an SNI name among the hostnames is routed',
    kind: 'TLSRoute',
    route: route([{ backendRefs: [ref('shop-stable', 3), ref('shop-canary', 1)] }], {
      hostnames: ['shop.example.com'],
    }),
    send: { requests: { host: 'shop.example.com' } },
    backends: { 'shop-stable': 750, 'shop-canary': 250 },
  },
  {
    name: 'TLSRoute: an SNI name not among the hostnames is rejected',
    kind: 'TLSRoute',
    route: route([{ backendRefs: [ref('shop-stable')] }], { hostnames: ['shop.example.com'] }),
    send: { requests: { host: 'other.example.com' } },
    backends: {},
    answers: { rejected: 1000 },
  },
  {
    name: 'no rules: every connection rejected, reported',
    kind: 'TLSRoute',
    route: route([]),
    backends: {},
    answers: { rejected: 1000 },
    problems: [
      'TLSRoute default/shop: spec.rules: expected a list of at least one rule: every connection is rejected',
    ],
  },
];

describe('TCPRoute and TLSRoute: the connections follow the route', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(
      () => streamRouteRouter(c.route, world, `${c.kind} default/shop`, c.kind),
      world,
      c.send,
    );
    expect(byBackend(counts)).toEqual(c.backends);
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`)).toEqual(c.problems ?? []);
  });
});
