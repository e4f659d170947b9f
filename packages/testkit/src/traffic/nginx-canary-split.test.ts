import { answersOf, byBackend, canaryWorld, type SendOptions, send } from '../testing/traffic/world';
import { nginxCanaryRouter } from './nginx-canary-split';
import type { ServiceWorld } from './service-endpoints';

const P = 'nginx.ingress.kubernetes.io';

interface IngressOptions {
  annotations?: Record<string, string>;
  host?: string;
  path?: string;
  pathType?: string;
  className?: string;
  created?: string;
  port?: number;
}

const ingress = (name: string, service: string, o: IngressOptions = {}) => ({
  metadata: {
    name,
    namespace: 'default',
    creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
    ...(o.annotations ? { annotations: o.annotations } : {}),
  },
  spec: {
    ingressClassName: o.className ?? 'nginx',
    rules: [
      {
        host: o.host ?? 'shop.example.com',
        http: {
          paths: [
            {
              path: o.path ?? '/',
              pathType: o.pathType ?? 'Prefix',
              backend: { service: { name: service, port: { number: o.port ?? 80 } } },
            },
          ],
        },
      },
    ],
  },
});

const stable = ingress('shop', 'shop-stable');
const canary = (annotations: Record<string, string>, o: IngressOptions = {}) =>
  ingress('shop-canary', 'shop-canary', { ...o, annotations: { [`${P}/canary`]: 'true', ...annotations } });

interface Case {
  name: string;
  ingresses: unknown[];
  prefix?: string;
  world?: ServiceWorld;
  send?: SendOptions;
  backends: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'canary-weight 20: 200 of 1000 to the canary',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '20' })],
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'canary-weight 20 in 100 ticks: still 200',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '20' })],
    send: { ticks: 100 },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'canary-weight-total 200 with weight 50: a quarter',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '50', [`${P}/canary-weight-total`]: '200' })],
    backends: { 'shop-stable': 750, 'shop-canary': 250 },
  },
  {
    name: 'canary-weight-total of 100 or less counts as 100, as the balancer does: 10 of 50 is 10%',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '10', [`${P}/canary-weight-total`]: '50' })],
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'canary-weight above the total: everything to the canary',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '150' })],
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'no canary annotation value "true": not a canary',
    ingresses: [
      stable,
      ingress('shop-canary', 'shop-canary', { annotations: { [`${P}/canary-weight`]: '50' } }),
    ],
    backends: { 'shop-stable': 1000 },
    problems: [
      `Ingress default/shop-canary: metadata.annotations["${P}/canary"]: canary annotations are set but the canary is not enabled: ingress-nginx ignores them`,
    ],
  },
  {
    name: 'canary-by-header "always" sends the requests carrying it to the canary, the rest by weight',
    ingresses: [stable, canary({ [`${P}/canary-by-header`]: 'X-Canary', [`${P}/canary-weight`]: '10' })],
    send: { requests: { headers: { 'x-canary': 'always' }, headerShare: 0.5 } },
    backends: { 'shop-stable': 450, 'shop-canary': 550 },
  },
  {
    name: 'canary-by-header "never" keeps them on stable despite the weight',
    ingresses: [stable, canary({ [`${P}/canary-by-header`]: 'X-Canary', [`${P}/canary-weight`]: '100' })],
    send: { requests: { headers: { 'X-Canary': 'never' }, headerShare: 0.3 } },
    backends: { 'shop-stable': 300, 'shop-canary': 700 },
  },
  {
    name: 'canary-by-header with another value falls through to the weight',
    ingresses: [stable, canary({ [`${P}/canary-by-header`]: 'X-Canary', [`${P}/canary-weight`]: '20' })],
    send: { requests: { headers: { 'X-Canary': 'maybe' } } },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'canary-by-header-value: the header first, then the weight (100 + 20% of 900)',
    ingresses: [
      stable,
      canary({
        [`${P}/canary-by-header`]: 'X-Canary',
        [`${P}/canary-by-header-value`]: 'yes',
        [`${P}/canary-weight`]: '20',
      }),
    ],
    send: { requests: { headers: { 'X-Canary': 'yes' }, headerShare: 0.1 } },
    backends: { 'shop-stable': 720, 'shop-canary': 280 },
  },
  {
    name: 'header names compare with - and _ alike',
    ingresses: [
      stable,
      canary({ [`${P}/canary-by-header`]: 'X_Canary', [`${P}/canary-by-header-value`]: 'yes' }),
    ],
    send: { requests: { headers: { 'x-canary': 'yes' } } },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'canary-by-header-pattern matches anywhere in the value; ignored when a value is set',
    ingresses: [
      stable,
      canary({ [`${P}/canary-by-header`]: 'X-User', [`${P}/canary-by-header-pattern`]: 'beta|internal' }),
    ],
    send: { requests: { headers: { 'X-User': 'team-internal-7' }, headerShare: 0.4 } },
    backends: { 'shop-stable': 600, 'shop-canary': 400 },
  },
  {
    name: 'canary-by-header-pattern that does not compile: stable for the requests with the header, reported',
    ingresses: [
      stable,
      canary({
        [`${P}/canary-by-header`]: 'X-User',
        [`${P}/canary-by-header-pattern`]: '(unclosed',
        [`${P}/canary-weight`]: '100',
      }),
    ],
    send: { requests: { headers: { 'X-User': 'x' }, headerShare: 0.5 } },
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
    problems: [
      `Ingress default/shop-canary: metadata.annotations["${P}/canary-by-header-pattern"]: does not compile: requests with the header go to stable`,
    ],
  },
  {
    name: 'canary-by-cookie "always"',
    ingresses: [stable, canary({ [`${P}/canary-by-cookie`]: 'canary' })],
    send: { requests: { headers: { Cookie: 'session=1; canary=always' }, headerShare: 0.2 } },
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'a canary of another host, path, pathType or class is not an alternative',
    ingresses: [
      stable,
      canary({ [`${P}/canary-weight`]: '100' }, { host: 'other.example.com' }),
      {
        ...canary({ [`${P}/canary-weight`]: '100' }, { path: '/api' }),
        metadata: { name: 'c2', annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '100' } },
      },
      {
        ...canary({ [`${P}/canary-weight`]: '100' }, { pathType: 'Exact' }),
        metadata: { name: 'c3', annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '100' } },
      },
      {
        ...canary({ [`${P}/canary-weight`]: '100' }, { className: 'traefik' }),
        metadata: { name: 'c4', annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '100' } },
      },
    ],
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'of two canaries, the oldest is the alternative',
    ingresses: [
      stable,
      ingress('b-new', 'shop', {
        created: '2026-02-01T00:00:00Z',
        annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '100' },
      }),
      ingress('z-old', 'shop-canary', {
        created: '2026-01-15T00:00:00Z',
        annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '30' },
      }),
    ],
    backends: { 'shop-stable': 700, 'shop-canary': 300 },
  },
  {
    name: 'a custom annotation prefix',
    prefix: 'example.com',
    ingresses: [
      stable,
      ingress('shop-canary', 'shop-canary', {
        annotations: { 'example.com/canary': 'true', 'example.com/canary-weight': '40' },
      }),
    ],
    backends: { 'shop-stable': 600, 'shop-canary': 400 },
  },
  {
    name: 'with a custom prefix, the default prefix means nothing',
    prefix: 'example.com',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '40' })],
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'a canary without ready endpoints: its share goes to stable',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '20' })],
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'a stable backend without ready endpoints: 503 for every request, the canary share too',
    ingresses: [
      ingress('shop', 'shop-canary'),
      ingress('shop-c', 'shop-stable', {
        annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '20' },
      }),
    ],
    world: canaryWorld({ canaryReady: false }),
    backends: {},
    answers: { '503 shop-canary': 1000 },
  },
  {
    name: 'an unreadable canary-weight is 0, reported',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '20%' })],
    backends: { 'shop-stable': 1000 },
    problems: [
      `Ingress default/shop-canary: metadata.annotations["${P}/canary-weight"]: not an integer: "20%"; read as 0`,
    ],
  },
  {
    name: 'a request for a path no rule has: 404',
    ingresses: [
      ingress('shop', 'shop-stable', { path: '/api' }),
      canary({ [`${P}/canary-weight`]: '20' }, { path: '/api' }),
    ],
    send: { requests: { path: '/apix' } },
    backends: {},
    answers: { '404': 1000 },
  },
  {
    name: 'a request for another host: 404',
    ingresses: [stable, canary({ [`${P}/canary-weight`]: '20' })],
    send: { requests: { host: 'other.example.com' } },
    backends: {},
    answers: { '404': 1000 },
  },
  {
    name: 'the stable Ingress not found: 404, reported',
    ingresses: [canary({ [`${P}/canary-weight`]: '20' })],
    backends: {},
    answers: { '404': 1000 },
    problems: ['Ingress default/shop: : not found: every request gets 404 (the default backend)'],
  },
  {
    name: 'a backend port the Service lacks: 503, reported',
    ingresses: [ingress('shop', 'shop-stable', { port: 8080 })],
    backends: {},
    answers: { '503 shop-stable': 1000 },
    problems: [
      'Ingress default/shop: spec.rules[0].http.paths[0].backend.service.port: Service "shop-stable" has no port 8080',
    ],
  },
];

describe('ingress-nginx canary: the traffic follows the canary annotations', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => nginxCanaryRouter('shop', c.ingresses, world, c.prefix), world, c.send);
    expect(byBackend(counts)).toEqual(c.backends);
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`)).toEqual(c.problems ?? []);
  });
});
