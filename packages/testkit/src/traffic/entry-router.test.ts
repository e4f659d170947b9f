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
    [
      'a VirtualService with its DestinationRules',
      { kind: 'virtualservice', name: 'shop' },
      {
        object: {
          spec: {
            hosts: ['shop'],
            http: [
              {
                route: [
                  { destination: { host: 'shop', subset: 'a' }, weight: 75 },
                  { destination: { host: 'shop-canary' }, weight: 25 },
                ],
              },
            ],
          },
        },
        destinationRules: [
          {
            spec: { host: 'shop', subsets: [{ name: 'a', labels: { 'rollouts-pod-template-hash': 's1' } }] },
          },
        ],
      },
      { shop: 750, 'shop-canary': 250 },
      {},
    ],
    [
      'an ALB Ingress',
      { kind: 'albingress', name: 'shop' },
      {
        ingresses: [
          {
            metadata: {
              name: 'shop',
              annotations: {
                'alb.ingress.kubernetes.io/actions.root': JSON.stringify({
                  type: 'forward',
                  forwardConfig: {
                    targetGroups: [
                      { serviceName: 'shop-stable', servicePort: 80, weight: 3 },
                      { serviceName: 'shop-canary', servicePort: 80, weight: 1 },
                    ],
                  },
                }),
              },
            },
            spec: {
              rules: [
                {
                  http: {
                    paths: [
                      {
                        path: '/*',
                        backend: { service: { name: 'root', port: { name: 'use-annotation' } } },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
      { 'shop-stable': 750, 'shop-canary': 250 },
      {},
    ],
    [
      "an ApisixRoute among the namespace's",
      { kind: 'apisixroute', name: 'shop' },
      {
        object: {
          metadata: { name: 'shop' },
          spec: {
            http: [
              {
                name: 'r',
                match: { paths: ['/*'] },
                backends: [{ serviceName: 'shop-canary', servicePort: 80 }],
              },
            ],
          },
        },
        objects: [],
      },
      { 'shop-canary': 1000 },
      {},
    ],
    [
      'a TraefikService',
      { kind: 'traefikservice', name: 'shop' },
      {
        object: {
          metadata: { name: 'shop' },
          spec: { weighted: { services: [{ name: 'shop-stable', port: 80 }] } },
        },
      },
      { 'shop-stable': 1000 },
      {},
    ],
    ['a Mapping not found: 404', { kind: 'mapping', name: 'shop' }, { objects: [] }, {}, { '404': 1000 }],
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
