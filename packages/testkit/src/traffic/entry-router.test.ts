import { answersOf, byBackend, canaryWorld, send } from '../testing/traffic/world';
import { entryRouter, type RoutingObjects } from './entry-router';
import type { RouteEntry } from './route-entry';

const backends = {
  backendRefs: [
    { name: 'shop-stable', port: 80, weight: 3 },
    { name: 'shop-canary', port: 80, weight: 1 },
  ],
};

describe('entryRouter: the router for the entry point, from the objects read', () => {
  test.each<[string, RouteEntry, RoutingObjects, Record<string, number>, Record<string, number>]>([
    [
      'an HTTPRoute',
      { kind: 'httproute', name: 'shop' },
      { object: { spec: { rules: [backends] } } },
      { 'shop-stable': 750, 'shop-canary': 250 },
      {},
    ],
    ['an HTTPRoute not found: 404', { kind: 'httproute', name: 'shop' }, {}, {}, { '404': 1000 }],
    [
      'a GRPCRoute not found: UNIMPLEMENTED',
      { kind: 'grpcroute', name: 'shop' },
      {},
      {},
      { UNIMPLEMENTED: 1000 },
    ],
    [
      'a TCPRoute',
      { kind: 'tcproute', name: 'shop' },
      { object: { spec: { rules: [backends] } } },
      { 'shop-stable': 750, 'shop-canary': 250 },
      {},
    ],
    ['a TLSRoute not found: rejected', { kind: 'tlsroute', name: 'shop' }, {}, {}, { rejected: 1000 }],
    [
      'a TrafficSplit gone, its apex seen before',
      { kind: 'trafficsplit', name: 'shop' },
      { lastSeen: { spec: { service: 'shop-stable' } } },
      { 'shop-stable': 1000 },
      {},
    ],
    ['a Service', { kind: 'service', name: 'shop-canary' }, {}, { 'shop-canary': 1000 }, {}],
    ['an Ingress among none: 404', { kind: 'ingress', name: 'shop' }, { ingresses: [] }, {}, { '404': 1000 }],
  ])('%s', (_name, entry, objects, expectedBackends, expectedAnswers) => {
    const world = canaryWorld();
    const counts = send(() => entryRouter(entry, objects, world), world);
    expect(byBackend(counts)).toEqual(expectedBackends);
    expect(answersOf(counts)).toEqual(expectedAnswers);
  });

  test('a routing object not found is reported with its kind, namespace and name', () => {
    const world = canaryWorld();
    expect(entryRouter({ kind: 'httproute', name: 'shop' }, {}, world).problems).toEqual([
      { object: 'HTTPRoute default/shop', field: '', message: 'not found: every request gets 404' },
    ]);
  });
});
