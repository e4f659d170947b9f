import {
  answersOf,
  byBackend,
  canaryWorld,
  mirroredBy,
  problemLines,
  send,
  service,
} from '../testing/traffic/world';
import type { ServiceWorld } from './service-endpoints';
import { traefikServiceRouter } from './traefikservice-split';

const OBJECT = 'TraefikService default/shop';
const ts = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'TraefikService',
  metadata: { name, namespace: 'default' },
  spec,
});
const svc = (name: string, weight?: number, extra: Record<string, unknown> = {}) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
  ...extra,
});
const weighted = (name: string, ...services: unknown[]) => ts(name, { weighted: { services } });

interface Case {
  name: string;
  entry: unknown;
  others?: unknown[];
  world?: ServiceWorld;
  backends?: Record<string, number>;
  mirrored?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: "Argo's weighted services: 80/20",
    entry: weighted('shop', svc('shop-stable', 80), svc('shop-canary', 20)),
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'a missing weight is 1',
    entry: weighted('shop', svc('shop-stable'), svc('shop-canary', 3)),
    backends: { 'shop-stable': 250, 'shop-canary': 750 },
  },
  {
    name: 'a weight of 0 is left out',
    entry: weighted('shop', svc('shop-stable', 100), svc('shop-canary', 0)),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'no weight above 0: 503 (no service available), reported',
    entry: weighted('shop', svc('shop-stable', 0), svc('shop-canary', 0)),
    answers: { '503': 1000 },
    problems: [
      `${OBJECT}: spec.weighted.services: no service with a weight above 0: every request gets 503 (no service available)`,
    ],
  },
  {
    name: 'a nested TraefikService splits its own share: 1:1, then 1:3 within',
    entry: weighted('shop', { name: 'inner', kind: 'TraefikService', weight: 1 }, svc('shop-stable', 1)),
    others: [weighted('inner', svc('shop-canary', 1), svc('shop', 3))],
    backends: { 'shop-stable': 500, 'shop-canary': 125, shop: 375 },
  },
  {
    name: 'a port by name',
    entry: weighted('shop', { name: 'shop-canary', port: 'http' }),
    world: canaryWorld({
      extra: [
        {
          name: 'shop-canary',
          selector: { app: 'shop', 'rollouts-pod-template-hash': 'c2' },
          ports: [{ port: 80, name: 'http' }],
        },
      ],
    }),
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a Service without ready endpoints (some not ready): 503 for its share',
    entry: weighted('shop', svc('shop-stable', 80), svc('shop-canary', 20)),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 800 },
    answers: { '503 shop-canary': 200 },
  },
  {
    name: 'mirroring: the main service answers, 10% copied to the mirror',
    entry: ts('shop', {
      mirroring: { name: 'shop-stable', port: 80, mirrors: [svc('shop-canary', undefined, { percent: 10 })] },
    }),
    backends: { 'shop-stable': 1000 },
    mirrored: { 'shop-canary': 100 },
  },
  {
    name: 'mirroring of a weighted TraefikService to a weighted one',
    entry: ts('shop', {
      mirroring: {
        name: 'main',
        kind: 'TraefikService',
        mirrors: [{ name: 'copies', kind: 'TraefikService', percent: 40 }],
      },
    }),
    others: [
      weighted('main', svc('shop-stable', 9), svc('shop-canary', 1)),
      weighted('copies', svc('shop', 1), svc('shop-canary', 1)),
    ],
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
    mirrored: { shop: 200, 'shop-canary': 200 },
  },
  {
    name: 'what Traefik cannot build leaves the whole TraefikService unbuilt: 404',
    entry: weighted(
      'shop',
      svc('shop-stable', 1),
      svc('shop-gone', 1),
      { name: 'shop-canary', weight: 1 },
      svc('shop-canary', 1, { port: 8080 }),
      svc('shop-canary', 1, { namespace: 'other' }),
      svc('empty', 1),
      { name: 'nowhere', kind: 'TraefikService' },
      svc('shop', 1, { kind: 'Pod' }),
    ),
    world: canaryWorld({ extra: [service('empty', { app: 'none' })] }),
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: spec.weighted.services[1].name: Service "shop-gone" not found`,
      `${OBJECT}: spec.weighted.services[2].port: missing: a Service reference needs its port`,
      `${OBJECT}: spec.weighted.services[3].port: Service "shop-canary" has no port 8080`,
      `${OBJECT}: spec.weighted.services[4].namespace: other is another namespace (cross-namespace references are not allowed by default)`,
      `${OBJECT}: spec.weighted.services[5].name: Service "empty" has no endpoints at all (Traefik refuses an empty Service)`,
      `${OBJECT}: spec.weighted.services[6].name: TraefikService "nowhere" not found`,
      `${OBJECT}: spec.weighted.services[7].kind: unsupported service kind "Pod"`,
      `${OBJECT}: : cannot be built: the routers using it are disabled, every request gets 404`,
    ],
  },
  {
    name: 'a cycle of TraefikServices: unbuilt',
    entry: weighted('shop', { name: 'loop', kind: 'TraefikService' }),
    others: [weighted('loop', { name: 'shop', kind: 'TraefikService' })],
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: : a cycle of TraefikServices: shop → loop → shop`,
      `${OBJECT}: : cannot be built: the routers using it are disabled, every request gets 404`,
    ],
  },
  {
    name: 'neither weighted nor mirroring: unbuilt',
    entry: ts('shop', { failover: { service: 'a', fallback: 'b' } }),
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: spec: expected weighted or mirroring (other kinds of TraefikService are not modelled)`,
      `${OBJECT}: : cannot be built: the routers using it are disabled, every request gets 404`,
    ],
  },
  {
    name: 'not found: 404',
    entry: undefined,
    answers: { '404': 1000 },
    problems: [`${OBJECT}: : not found: the routers using it have no service, every request gets 404`],
  },
];

describe('Traefik TraefikService: the traffic follows its weighted round robin', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const all = [...(c.entry ? [c.entry] : []), ...(c.others ?? [])];
    const counts = send(() => traefikServiceRouter(c.entry, all, world, OBJECT), world, { ticks: 10 });
    expect(byBackend(counts)).toEqual(c.backends ?? {});
    expect(mirroredBy(counts)).toEqual(c.mirrored ?? {});
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(problemLines(counts)).toEqual(c.problems ?? []);
  });
});
