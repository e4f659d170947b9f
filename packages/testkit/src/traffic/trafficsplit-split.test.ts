import { answersOf, byBackend, canaryWorld, send } from '../testing/traffic/world';
import type { ServiceWorld } from './service-endpoints';
import { trafficSplitRouter } from './trafficsplit-split';

const OBJECT = 'TrafficSplit default/shop';
const split = (version: string, backends: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: `split.smi-spec.io/${version}`,
  kind: 'TrafficSplit',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { service: 'shop', backends, ...spec },
});

interface Case {
  name: string;
  split: unknown;
  apexWhenMissing?: string;
  world?: ServiceWorld;
  backends: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'v1alpha1: weights are quantities, 900m/100m is 900/100',
    split: split('v1alpha1', [
      { service: 'shop-stable', weight: '900m' },
      { service: 'shop-canary', weight: '100m' },
    ]),
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'v1alpha1: quantities of different scales, "1" and "250m": 800/200',
    split: split('v1alpha1', [
      { service: 'shop-stable', weight: '1' },
      { service: 'shop-canary', weight: '250m' },
    ]),
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'v1alpha2: integer weights 80/20',
    split: split('v1alpha2', [
      { service: 'shop-stable', weight: 80 },
      { service: 'shop-canary', weight: 20 },
    ]),
    backends: { 'shop-stable': 800, 'shop-canary': 200 },
  },
  {
    name: 'v1alpha3: integer weights 1/1',
    split: split('v1alpha3', [
      { service: 'shop-stable', weight: 1 },
      { service: 'shop-canary', weight: 1 },
    ]),
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'v1alpha4: a backend with weight 0 gets nothing',
    split: split('v1alpha4', [
      { service: 'shop-stable', weight: 100 },
      { service: 'shop-canary', weight: 0 },
    ]),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'v1alpha2: a quantity string is read as one, reported',
    split: split('v1alpha2', [
      { service: 'shop-stable', weight: 70 },
      { service: 'shop-canary', weight: '30' },
    ]),
    backends: { 'shop-stable': 700, 'shop-canary': 300 },
    problems: [
      `${OBJECT}: spec.backends[1].weight: a quantity string where this version has an integer; read as 30`,
    ],
  },
  {
    name: 'a backend Service without ready endpoints: 503 for its share',
    split: split('v1alpha2', [
      { service: 'shop-stable', weight: 80 },
      { service: 'shop-canary', weight: 20 },
    ]),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 800 },
    answers: { '503 shop-canary': 200 },
  },
  {
    name: 'a backend Service that does not exist: 503 for its share, reported',
    split: split('v1alpha1', [
      { service: 'shop-stable', weight: '1' },
      { service: 'shop-gone', weight: '1' },
    ]),
    backends: { 'shop-stable': 500 },
    answers: { '503 shop-gone': 500 },
    problems: [`${OBJECT}: spec.backends[1].service: Service "shop-gone" not found: its share gets 503`],
  },
  {
    name: 'every weight 0: 503, reported',
    split: split('v1alpha4', [{ service: 'shop-stable', weight: 0 }]),
    backends: {},
    answers: { '503': 1000 },
    problems: [`${OBJECT}: spec.backends: no backend with a weight above 0: every request gets 503`],
  },
  {
    name: 'a negative or unreadable weight leaves the backend out, reported',
    split: split('v1alpha1', [
      { service: 'shop-stable', weight: '1' },
      { service: 'shop-canary', weight: 'lots' },
    ]),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: spec.backends[1].weight: expected a non-negative quantity, got "lots"; the backend is left out`,
    ],
  },
  {
    name: 'an apex Service that does not exist: clients cannot resolve it',
    split: split('v1alpha2', [{ service: 'shop-stable', weight: 1 }], { service: 'nowhere' }),
    backends: {},
    answers: { 'unresolved nowhere': 1000 },
    problems: [`${OBJECT}: spec.service: Service "nowhere" not found: clients cannot resolve the apex`],
  },
  {
    name: 'matches (v1alpha3) are not modelled: reported, the split applies to every request',
    split: split('v1alpha3', [{ service: 'shop-canary', weight: 1 }], {
      matches: [{ kind: 'HTTPRouteGroup', name: 'beta-users' }],
    }),
    backends: { 'shop-canary': 1000 },
    problems: [
      `${OBJECT}: spec.matches: HTTPRouteGroup matches are not modelled: the split applies to every request`,
    ],
  },
  {
    name: 'no TrafficSplit, its apex known: requests go to the apex Service itself',
    split: undefined,
    apexWhenMissing: 'shop',
    backends: { shop: 1000 },
    problems: [`${OBJECT}: : not found: requests for the apex go to Service "shop" itself`],
  },
  {
    name: 'no TrafficSplit, its apex unknown: every request fails',
    split: undefined,
    backends: {},
    answers: { unresolved: 1000 },
    problems: [
      `${OBJECT}: : not found, and its apex Service is not known yet: every request fails ("unresolved")`,
    ],
  },
];

describe('SMI TrafficSplit: the traffic follows the split', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => trafficSplitRouter(c.split, world, OBJECT, c.apexWhenMissing), world, {
      ticks: 10,
    });
    expect(byBackend(counts)).toEqual(c.backends);
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`)).toEqual(c.problems ?? []);
  });
});
