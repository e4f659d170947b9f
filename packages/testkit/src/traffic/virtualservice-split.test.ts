import {
  answersOf,
  byBackend,
  byVersion,
  canaryWorld,
  mirroredByVersion,
  problemLines,
  send,
} from '../testing/traffic/world';
import type { RequestShape } from './request-mix';
import type { ServiceWorld } from './service-endpoints';
import { virtualServiceRouter } from './virtualservice-split';

const OBJECT = 'VirtualService default/shop';
const vs = (spec: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'VirtualService',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { hosts: ['shop'], ...spec },
});
const dr = (name: string, host: string, subsets: unknown, created = '2026-01-01T00:00:00Z') => ({
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { host, subsets },
});
/** The DestinationRule Argo's subset-level routing uses: the pod-template hashes. */
const SUBSETS = [
  dr('shop', 'shop', [
    { name: 'stable', labels: { 'rollouts-pod-template-hash': 's1' } },
    { name: 'canary', labels: { 'rollouts-pod-template-hash': 'c2' } },
  ]),
];
const to = (host: string, weight?: number, subset?: string, port?: number) => ({
  destination: { host, ...(subset ? { subset } : {}), ...(port ? { port: { number: port } } : {}) },
  ...(weight !== undefined ? { weight } : {}),
});
const split = (stable: number, canary: number) => [
  to('shop', stable, 'stable'),
  to('shop', canary, 'canary'),
];

interface Case {
  name: string;
  vs: unknown;
  rules?: unknown[];
  lastSeen?: unknown;
  world?: ServiceWorld;
  requests?: RequestShape;
  versions?: Record<string, number>;
  backends?: Record<string, number>;
  mirrored?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'subsets of one Service, by the DestinationRule: 80/20 by pod-template hash',
    vs: vs({ http: [{ name: 'primary', route: split(80, 20) }] }),
    rules: SUBSETS,
    versions: { s1: 800, c2: 200 },
    backends: { shop: 1000 },
  },
  {
    name: 'Services by short name and FQDN: 70/30',
    vs: vs({ http: [{ route: [to('shop-stable', 70), to('shop-canary.default.svc.cluster.local', 30)] }] }),
    backends: { 'shop-stable': 700, 'shop-canary': 300 },
  },
  {
    name: 'a missing weight among several is 0 (Argo omits a weight of 0): nothing for it',
    vs: vs({ http: [{ route: [to('shop-stable', 100), to('shop-canary')] }] }),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'one destination takes everything, whatever its weight',
    vs: vs({ http: [{ route: [to('shop-canary', 0)] }] }),
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'weights not totalling 100: relative, reported',
    vs: vs({ http: [{ route: [to('shop-stable', 3), to('shop-canary', 1)] }] }),
    backends: { 'shop-stable': 750, 'shop-canary': 250 },
    problems: [
      `${OBJECT}: spec.http[0].route: weights total 4, not 100: Istio's validation refuses such a route; read as relative weights`,
    ],
  },
  {
    name: 'every weight 0: 503, reported',
    vs: vs({ http: [{ route: [to('shop-stable', 0), to('shop-canary', 0)] }] }),
    answers: { '503': 1000 },
    problems: [
      `${OBJECT}: spec.http[0].route: no destination with a weight above 0: every request the route takes gets 503`,
    ],
  },
  {
    name: 'a header route first (exact, case-insensitive name), the split for the rest',
    vs: vs({
      http: [
        {
          name: 'canary-by-header',
          match: [{ headers: { 'x-canary': { exact: 'yes' } } }],
          route: [to('shop', 100, 'canary')],
        },
        { name: 'primary', route: split(100, 0) },
      ],
    }),
    rules: SUBSETS,
    requests: { headers: { 'X-Canary': 'yes' }, headerShare: 0.1 },
    versions: { s1: 900, c2: 100 },
  },
  {
    name: 'header prefix and regex (whole value); presence with {}',
    vs: vs({
      http: [
        {
          match: [{ headers: { 'x-a': { prefix: 'be' }, 'x-b': { regex: 'v[0-9]' }, 'x-c': {} } }],
          route: [to('shop-canary')],
        },
        { route: [to('shop-stable')] },
      ],
    }),
    requests: { headers: { 'x-a': 'beta', 'x-b': 'v2', 'x-c': '' }, headerShare: 0.3 },
    backends: { 'shop-canary': 300, 'shop-stable': 700 },
  },
  {
    name: 'a regex must match the whole value',
    vs: vs({
      http: [
        { match: [{ headers: { 'x-b': { regex: 'v[0-9]' } } }], route: [to('shop-canary')] },
        { route: [to('shop-stable')] },
      ],
    }),
    requests: { headers: { 'x-b': 'v2x' } },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'the first route that matches wins, not the most specific',
    vs: vs({
      http: [
        { match: [{ uri: { prefix: '/' } }], route: [to('shop-stable')] },
        { match: [{ uri: { exact: '/api/cart' } }], route: [to('shop-canary')] },
      ],
    }),
    requests: { path: '/api/cart' },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'uri prefix is a string prefix (/api matches /apix), the query string is not part of it',
    vs: vs({ http: [{ match: [{ uri: { prefix: '/api' } }], route: [to('shop-canary')] }] }),
    requests: { path: '/apix?x=1' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'ignoreUriCase: exact and prefix case-insensitively',
    vs: vs({
      http: [{ match: [{ uri: { exact: '/API/Cart' }, ignoreUriCase: true }], route: [to('shop-canary')] }],
    }),
    requests: { path: '/api/cart' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'any match of a route; method and query parameters; no route matches: 404',
    vs: vs({
      http: [
        {
          match: [{ method: { exact: 'POST' } }, { queryParams: { beta: { exact: 'on' } } }],
          route: [to('shop-canary')],
        },
      ],
    }),
    requests: { path: '/?beta=off', method: 'GET' },
    answers: { '404': 1000 },
  },
  {
    name: 'withoutHeaders: the requests without the header (or another value) match',
    vs: vs({
      http: [
        { match: [{ withoutHeaders: { 'x-canary': { exact: 'yes' } } }], route: [to('shop-stable')] },
        { route: [to('shop-canary')] },
      ],
    }),
    requests: { headers: { 'x-canary': 'yes' }, headerShare: 0.2 },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'a match on another port than the requests: the route is not for them; without any: the Service',
    vs: vs({ http: [{ match: [{ port: 8080 }], route: [to('shop-canary')] }] }),
    requests: { host: 'shop:80' },
    backends: { shop: 1000 },
  },
  {
    name: 'mirror: 100% by default, counted apart; the answered split is unchanged',
    vs: vs({ http: [{ route: split(100, 0), mirror: { host: 'shop', subset: 'canary' } }] }),
    rules: SUBSETS,
    versions: { s1: 1000 },
    mirrored: { c2: 1000 },
  },
  {
    name: 'mirrorPercentage 25.5: 255 of 1000 copied',
    vs: vs({
      http: [
        { route: [to('shop-stable')], mirror: { host: 'shop-canary' }, mirrorPercentage: { value: 25.5 } },
      ],
    }),
    backends: { 'shop-stable': 1000 },
    mirrored: { c2: 255 },
  },
  {
    name: 'the older mirrorPercent; 0 mirrors nothing',
    vs: vs({
      http: [
        {
          match: [{ headers: { 'x-a': {} } }],
          route: [to('shop-stable')],
          mirror: { host: 'shop-canary' },
          mirrorPercent: 10,
        },
        { route: [to('shop-stable')], mirror: { host: 'shop-canary' }, mirrorPercentage: { value: 0 } },
      ],
    }),
    requests: { headers: { 'x-a': '1' }, headerShare: 0.5 },
    backends: { 'shop-stable': 1000 },
    mirrored: { c2: 50 },
  },
  {
    name: 'a mirror to a subset no DestinationRule defines is dropped, reported',
    vs: vs({ http: [{ route: [to('shop-stable')], mirror: { host: 'shop', subset: 'preview' } }] }),
    rules: SUBSETS,
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.http[0].mirror.subset: no DestinationRule for host shop defines subset "preview": the mirrored copies are dropped`,
    ],
  },
  {
    name: 'a subset no DestinationRule defines: 503 for its share (no cluster), reported',
    vs: vs({ http: [{ route: split(50, 50) }] }),
    rules: [dr('shop', 'shop', [{ name: 'stable', labels: { 'rollouts-pod-template-hash': 's1' } }])],
    versions: { s1: 500 },
    answers: { '503 shop': 500 },
    problems: [
      `${OBJECT}: spec.http[0].route[1].destination.subset: no DestinationRule for host shop defines subset "canary": its share gets 503`,
    ],
  },
  {
    name: 'DestinationRules merged oldest first: a subset defined twice keeps the older one, reported',
    vs: vs({ http: [{ route: [to('shop', 100, 'canary')] }] }),
    rules: [
      dr(
        'newer',
        'shop.default.svc.cluster.local',
        [{ name: 'canary', labels: { 'rollouts-pod-template-hash': 's1' } }],
        '2026-02-01T00:00:00Z',
      ),
      dr('older', 'shop', [{ name: 'canary', labels: { 'rollouts-pod-template-hash': 'c2' } }]),
    ],
    versions: { c2: 1000 },
    problems: [
      'DestinationRule default/newer: spec.subsets[0]: subset "canary" of host shop.default.svc.cluster.local is already defined by an older DestinationRule, whose definition is used',
    ],
  },
  {
    name: 'a subset without ready pods: 503 for its share',
    vs: vs({ http: [{ route: split(80, 20) }] }),
    rules: SUBSETS,
    world: canaryWorld({ canaryReady: false }),
    versions: { s1: 800 },
    answers: { '503 shop': 200 },
  },
  {
    name: 'a host that is no Service of the namespace, a Service that does not exist, a port it lacks: 503',
    vs: vs({
      http: [
        {
          route: [
            to('shop-stable', 25),
            to('shop.other.svc.cluster.local', 25),
            to('shop-gone', 25),
            to('shop-canary', 25, undefined, 8080),
          ],
        },
      ],
    }),
    backends: { 'shop-stable': 250 },
    answers: { '503 shop.other.svc.cluster.local': 250, '503 shop-gone': 250, '503 shop-canary': 250 },
    problems: [
      `${OBJECT}: spec.http[0].route[1].destination.host: host shop.other.svc.cluster.local is not a Service of namespace default (other namespaces, ServiceEntries and external hosts are not modelled): its share gets 503`,
      `${OBJECT}: spec.http[0].route[2].destination.host: Service "shop-gone" not found: its share gets 503`,
      `${OBJECT}: spec.http[0].route[3].destination.port.number: Service "shop-canary" has no port 8080: its share gets 503`,
    ],
  },
  {
    name: 'redirect (301 by default) and directResponse answer themselves',
    vs: vs({
      http: [
        { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new' } },
        { directResponse: { status: 418 } },
      ],
    }),
    requests: { path: '/old/x' },
    answers: { '301': 1000 },
  },
  {
    name: 'a host the VirtualService covers by FQDN',
    vs: vs({ http: [{ route: [to('shop-canary')] }] }),
    requests: { host: 'shop.default.svc' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a host it does not cover goes to its own Service (a sidecar without a route for it)',
    vs: vs({ http: [{ route: [to('shop-canary')] }] }),
    requests: { host: 'shop-stable' },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'not found, its hosts known from an earlier read: the host Service itself',
    vs: undefined,
    lastSeen: vs({ http: [] }),
    backends: { shop: 1000 },
    problems: [
      `${OBJECT}: : not found: requests for its host go to the host's own Service, as without a VirtualService`,
    ],
  },
  {
    name: 'not found and never seen, no --host: 404',
    vs: undefined,
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: : not found: requests for its host go to the host's own Service, as without a VirtualService`,
    ],
  },
  {
    name: 'TCP: the first tcp route whose port fits, 90/10',
    vs: vs({
      tcp: [
        { match: [{ port: 5432 }], route: [to('shop-stable', 90), to('shop-canary', 10)] },
        { route: [to('shop-canary')] },
      ],
    }),
    requests: { protocol: 'tcp', host: 'shop:5432' },
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'TCP on another port: the route without matches',
    vs: vs({
      tcp: [{ match: [{ port: 5432 }], route: [to('shop-stable')] }, { route: [to('shop-canary')] }],
    }),
    requests: { protocol: 'tcp', host: 'shop:6000' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'TCP without tcp routes: the host Service (HTTP routes are not for connections)',
    vs: vs({ http: [{ route: [to('shop-canary')] }] }),
    requests: { protocol: 'tcp' },
    backends: { shop: 1000 },
  },
  {
    name: 'TLS: an exact SNI name before a wildcard',
    vs: vs({
      hosts: ['*.example.com'],
      tls: [
        { match: [{ sniHosts: ['*.example.com'] }], route: [to('shop-stable')] },
        {
          match: [{ port: 443, sniHosts: ['db.example.com'] }],
          route: [to('shop-stable', 50), to('shop-canary', 50)],
        },
      ],
    }),
    requests: { protocol: 'tls', host: 'db.example.com:443' },
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'TLS: an SNI no route names is rejected',
    vs: vs({
      hosts: ['*'],
      tls: [{ match: [{ sniHosts: ['db.example.com'] }], route: [to('shop-stable')] }],
    }),
    requests: { protocol: 'tls', host: 'web.example.com' },
    answers: { rejected: 1000 },
  },
  {
    name: 'TLS: a destination without ready endpoints rejects its connections',
    vs: vs({
      tls: [{ match: [{ sniHosts: ['shop'] }], route: [to('shop-stable', 50), to('shop-canary', 50)] }],
    }),
    world: canaryWorld({ canaryReady: false }),
    requests: { protocol: 'tls', host: 'shop' },
    backends: { 'shop-stable': 500 },
    answers: { 'rejected shop-canary': 500 },
  },
  {
    name: 'matches that cannot be read never hold; the source of requests is reported and holds',
    vs: vs({
      http: [
        {
          match: [{ uri: { regex: '(' } }, { uri: { exact: '/', prefix: '/' } }],
          route: [to('shop-canary')],
        },
        { match: [{ sourceLabels: { app: 'web' } }], route: [to('shop-stable')] },
      ],
    }),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.http[0].match[0].uri.regex: not a regular expression: (; the match never holds`,
      `${OBJECT}: spec.http[0].match[1].uri: only one of exact, prefix or regex may be given, got exact, prefix; the match never holds`,
      `${OBJECT}: spec.http[1].match[0].sourceLabels: the source of requests is not modelled: the condition is taken to hold`,
    ],
  },
  {
    name: 'malformed objects: no crash, reported',
    vs: vs({ hosts: 'shop', http: { route: [] }, tcp: [7] }),
    rules: [
      { spec: { subsets: 'x' } },
      dr('bad', 'shop', 'nope'),
      dr('odd', 'shop', [{ labels: { a: 1 } }, { name: 'x', labels: { a: 1 } }]),
    ],
    answers: { '404': 1000 },
    problems: [
      'DestinationRule default/: spec.host: missing: the DestinationRule applies to no host',
      'DestinationRule default/bad: spec.subsets: expected a list of subsets; none is read',
      'DestinationRule default/odd: spec.subsets[0].name: missing: the subset is left out',
      'DestinationRule default/odd: spec.subsets[1].labels: expected a map of label values; the subset is left out',
      `${OBJECT}: spec.hosts: expected a list of hosts: the VirtualService applies to no host`,
      `${OBJECT}: spec.http: expected a list of http routes; none is read`,
      `${OBJECT}: spec.tcp[0]: expected a tcp route; it never matches`,
    ],
  },
];

describe('Istio VirtualService: the traffic follows its routes', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => virtualServiceRouter(c.vs, c.rules ?? [], world, OBJECT, c.lastSeen), world, {
      ticks: 10,
      ...(c.requests ? { requests: c.requests } : {}),
    });
    if (c.versions) expect(byVersion(counts)).toEqual(c.versions);
    if (c.backends) expect(byBackend(counts)).toEqual(c.backends);
    expect(mirroredByVersion(counts)).toEqual(c.mirrored ?? {});
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(problemLines(counts)).toEqual(c.problems ?? []);
  });

  test('the routes on /status name the subsets', () => {
    const world = canaryWorld();
    const counts = send(
      () =>
        virtualServiceRouter(
          vs({
            http: [
              {
                route: split(90, 10),
                mirror: { host: 'shop', subset: 'canary' },
                mirrorPercentage: { value: 5 },
              },
            ],
          }),
          SUBSETS,
          world,
          OBJECT,
        ),
      world,
    );
    expect(counts.routes).toEqual([
      {
        request: 'plain',
        share: 1,
        rule: 'http[0]',
        destinations: [
          { to: 'Service shop subset stable', weight: 90, share: 0.9 },
          { to: 'Service shop subset canary', weight: 10, share: 0.1 },
        ],
        mirrors: [{ service: 'shop', subset: 'canary', fraction: 0.05 }],
      },
    ]);
  });
});
