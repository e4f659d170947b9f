// The Traefik router's weighted TraefikService, as Argo's traefik reconciler sets it: built from the
// objects of Argo's Traefik docs and unit tests.
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import type { RouteIntent, RouteObject, RouterPlan } from './router';
import { TraefikRouter, type TraefikSetup } from './traefik-router';

const SERVICES = { canary: 'canary-rollout', stable: 'stable-rollout' };

const setup = (over: Partial<TraefikSetup> = {}): TraefikSetup => ({
  namespace: 'default',
  config: { weightedTraefikServiceName: 'traefik-service' },
  services: SERVICES,
  configPath: 'spec.strategy.canary.trafficRouting.traefik',
  ...over,
});

const intent = (weight: number, maxWeight = 100): RouteIntent => ({
  weight,
  maxWeight,
  managedRoutes: [],
  managedNames: [],
});

/** The TraefikService of Argo's Traefik docs: no weights, so that Argo CD keeps it in sync. */
function docsService(): RouteObject {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TraefikService',
    metadata: { name: 'traefik-service', namespace: 'default' },
    spec: {
      weighted: {
        services: [
          { name: 'stable-rollout', port: 80 },
          { name: 'canary-rollout', port: 80 },
        ],
      },
    },
  };
}

/** Argo's unit-test TraefikService (a label, explicit weights), in Traefik v2's API group. */
function unitTestService(): RouteObject {
  return {
    apiVersion: 'traefik.containo.us/v1alpha1',
    kind: 'TraefikService',
    metadata: { name: 'traefik-service', namespace: 'default', labels: { service: 'argo-mocks' } },
    spec: {
      weighted: {
        sticky: { cookie: { name: 'lvl1' } },
        services: [
          { name: 'stable-rollout', weight: 100, port: 80 },
          { name: 'canary-rollout', weight: 0, port: 80 },
          { name: 'legacy', kind: 'TraefikService', weight: 5 },
        ],
      },
    },
  };
}

function writesOf(plan: RouterPlan) {
  if (!('writes' in plan)) throw new Error(`problem: ${JSON.stringify(plan)}`);
  return plan.writes;
}

function apply(objects: FakeRouteObjects, plan: RouterPlan): void {
  for (const w of writesOf(plan)) objects.apply(w);
}

const entries = (objects: FakeRouteObjects) =>
  (
    objects.get('traefikservices', 'default', 'traefik-service')!.spec as {
      weighted: { services: unknown[] };
    }
  ).weighted.services;

test('watches its TraefikService; the docs object (no weights: Traefik weighs each 1) reads 50, then carries each step', () => {
  const objects = new FakeRouteObjects();
  objects.put('traefikservices', docsService());
  const router = new TraefikRouter(setup());
  expect(router.type).toBe('Traefik');
  expect(router.watches()).toEqual([
    { resource: 'traefikservices', namespace: 'default', name: 'traefik-service' },
  ]);
  expect(router.read(objects)).toEqual({ weight: 50 });
  const plan = router.plan(objects, intent(30));
  const current = objects.get('traefikservices', 'default', 'traefik-service');
  expect(plan).toEqual({
    writes: [
      {
        action: 'update',
        resource: 'traefikservices',
        current,
        message: 'TraefikService default/traefik-service: canary weight 30, stable 70',
        object: {
          ...current,
          spec: {
            weighted: {
              services: [
                { name: 'stable-rollout', port: 80, weight: 70 },
                { name: 'canary-rollout', port: 80, weight: 30 },
              ],
            },
          },
        },
      },
    ],
  });
  apply(objects, plan);
  expect(router.read(objects)).toEqual({ weight: 30 });
  expect(router.plan(objects, intent(30))).toEqual({ writes: [] });
});

test.each([
  { from: 0, to: 30, canary: 30, stable: 70 },
  { from: 30, to: 100, canary: 100, stable: 0 },
  { from: 100, to: 0, canary: 0, stable: 100 },
  { from: 60, to: 20, canary: 20, stable: 80 },
])(
  'weights $from → $to: canary $canary, stable $stable; other entries and fields untouched',
  ({ from, to, canary, stable }) => {
    const objects = new FakeRouteObjects();
    objects.apiVersions.traefikservices = 'traefik.containo.us/v1alpha1';
    objects.put('traefikservices', unitTestService());
    const router = new TraefikRouter(setup());
    apply(objects, router.plan(objects, intent(from)));
    expect(router.read(objects)).toEqual({ weight: from });
    const plan = router.plan(objects, intent(to));
    expect(writesOf(plan)).toHaveLength(from === to ? 0 : 1);
    apply(objects, plan);
    const after = objects.get('traefikservices', 'default', 'traefik-service')!;
    expect(after.apiVersion).toBe('traefik.containo.us/v1alpha1');
    expect(after.metadata.labels).toEqual({ service: 'argo-mocks' });
    expect(after.spec).toEqual({
      weighted: {
        sticky: { cookie: { name: 'lvl1' } },
        services: [
          { name: 'stable-rollout', weight: stable, port: 80 },
          { name: 'canary-rollout', weight: canary, port: 80 },
          { name: 'legacy', kind: 'TraefikService', weight: 5 },
        ],
      },
    });
    expect(router.read(objects)).toEqual({ weight: to });
    expect(router.plan(objects, intent(to))).toEqual({ writes: [] });
  },
);

test('with maxTrafficWeight the two weights add up to it (Argo writes 100 − weight) and read back on that scale', () => {
  const objects = new FakeRouteObjects();
  objects.put('traefikservices', docsService());
  const router = new TraefikRouter(setup({ maxWeight: 1000 }));
  apply(objects, router.plan(objects, intent(250, 1000)));
  expect(entries(objects)).toEqual([
    { name: 'stable-rollout', port: 80, weight: 750 },
    { name: 'canary-rollout', port: 80, weight: 250 },
  ]);
  expect(router.read(objects)).toEqual({ weight: 250 });
});

test('the first entry of a Service is the one weighted, as Argo sets it', () => {
  const objects = new FakeRouteObjects();
  const service = docsService();
  (service.spec as { weighted: { services: unknown[] } }).weighted.services.push({
    name: 'canary-rollout',
    port: 8080,
    weight: 7,
  });
  objects.put('traefikservices', service);
  apply(objects, new TraefikRouter(setup()).plan(objects, intent(10)));
  expect(entries(objects)).toEqual([
    { name: 'stable-rollout', port: 80, weight: 90 },
    { name: 'canary-rollout', port: 80, weight: 10 },
    { name: 'canary-rollout', port: 8080, weight: 7 },
  ]);
});

test.each([
  { weights: [{ weight: '30' }, {}], why: 'a weight written as a string' },
  { weights: [{ weight: 0 }, { weight: 0 }], why: 'both weights 0' },
  { weights: [{ weight: 12.5 }, { weight: 87.5 }], why: 'fractional weights' },
  { weights: [{ weight: -1 }, { weight: 101 }], why: 'a negative weight' },
])('$why cannot be read (undefined), and the plan writes the weights over it', ({ weights }) => {
  const objects = new FakeRouteObjects();
  objects.put('traefikservices', {
    ...docsService(),
    spec: {
      weighted: {
        services: [
          { name: 'canary-rollout', port: 80, ...weights[0] },
          { name: 'stable-rollout', port: 80, ...weights[1] },
        ],
      },
    },
  });
  const router = new TraefikRouter(setup());
  expect(router.read(objects)).toEqual({ weight: undefined });
  apply(objects, router.plan(objects, intent(40)));
  expect(router.read(objects)).toEqual({ weight: 40 });
});

const F = 'spec.strategy.canary.trafficRouting.traefik.weightedTraefikServiceName';
test.each<{ why: string; spec?: unknown; absent?: true; name?: string; field: string; says: string }>([
  { why: 'the TraefikService is missing', absent: true, field: F, says: 'does not exist; create it' },
  { why: 'no name is configured', name: '', field: F, says: 'is empty' },
  { why: 'spec is missing', spec: undefined, field: 'spec', says: 'is missing; give it weighted.services' },
  {
    why: 'a mirroring TraefikService',
    spec: { mirroring: { name: 'stable-rollout', port: 80 } },
    field: 'spec.weighted',
    says: 'is missing; Ramp splits the traffic of a weighted TraefikService',
  },
  {
    why: 'services is a map',
    spec: { weighted: { services: { name: 'canary-rollout' } } },
    field: 'spec.weighted.services',
    says: 'is an object, not a list',
  },
  {
    why: 'an entry is a string',
    spec: { weighted: { services: ['canary-rollout'] } },
    field: 'spec.weighted.services[0]',
    says: 'is a string, not a service',
  },
  {
    why: 'an entry has no name',
    spec: { weighted: { services: [{ name: 'stable-rollout' }, { port: 80 }] } },
    field: 'spec.weighted.services[1].name',
    says: 'is missing',
  },
  {
    why: 'no entry for the canary',
    spec: { weighted: { services: [{ name: 'stable-rollout', port: 80 }] } },
    field: 'spec.weighted.services',
    says: 'has no entry named "canary-rollout" (the canaryService); add {name: canary-rollout, port: <port>, weight: 0}',
  },
  {
    why: 'no entry for the stable',
    spec: {
      weighted: {
        services: [
          { name: 'canary-rollout', port: 80 },
          { name: 'web', port: 80 },
        ],
      },
    },
    field: 'spec.weighted.services',
    says: 'has no entry named "stable-rollout" (the stableService)',
  },
])('problem, in read and plan: $why', ({ spec, absent, name, field, says }) => {
  const objects = new FakeRouteObjects();
  if (!absent) objects.put('traefikservices', { ...docsService(), spec });
  const router = new TraefikRouter(
    setup(name === undefined ? {} : { config: { weightedTraefikServiceName: name } }),
  );
  const expected = {
    problem: {
      object: `TraefikService default/${name ?? 'traefik-service'}`,
      field,
      message: expect.stringContaining(says),
    },
  };
  expect(router.read(objects)).toEqual(expected);
  expect(router.plan(objects, intent(10))).toEqual(expected);
});

test('while the cache has not listed: waiting (no writes); a failing list is a problem', () => {
  const objects = new FakeRouteObjects();
  objects.put('traefikservices', docsService());
  objects.unlisted.set('traefikservices', undefined);
  const router = new TraefikRouter(setup());
  expect(router.read(objects)).toEqual({ waiting: 'the TraefikService cache to list' });
  expect(router.plan(objects, intent(10))).toEqual({ writes: [] });
  objects.unlisted.set('traefikservices', 'forbidden');
  expect(router.read(objects)).toEqual({
    problem: { object: 'TraefikService objects', message: 'cannot be listed: forbidden' },
  });
  expect(router.plan(objects, intent(10))).toMatchObject({ problem: { object: 'TraefikService objects' } });
});

test('never throws on any JSON in the object', () => {
  const values: unknown[] = [null, 0, 'x', true, [], {}, [null], [1, 'a'], { name: 5 }, { weighted: [] }];
  const router = new TraefikRouter(setup());
  for (const value of values) {
    for (const spec of [value, { weighted: value }, { weighted: { services: value } }]) {
      const objects = new FakeRouteObjects();
      objects.put('traefikservices', { ...docsService(), spec });
      expect(() => router.read(objects)).not.toThrow();
      expect(() => router.plan(objects, intent(10))).not.toThrow();
    }
  }
  // a config of the wrong type names no TraefikService
  const odd = new TraefikRouter(setup({ config: { weightedTraefikServiceName: 5 as unknown as string } }));
  expect(odd.read(new FakeRouteObjects())).toMatchObject({ problem: { field: F } });
});
