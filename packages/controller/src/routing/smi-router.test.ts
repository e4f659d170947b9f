// The SMI router's TrafficSplit, as Argo's smi reconciler writes it at each API version.
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import type { RouteIntent } from './router';
import { SmiRouter, type SmiSetup } from './smi-router';

const setup = (config: SmiSetup['config'] = {}): SmiSetup => ({
  rollout: { name: 'web', namespace: 'default', uid: 'rollout-uid' },
  config,
  services: { canary: 'web-canary', stable: 'web-stable' },
});
const intent = (weight: number): RouteIntent => ({
  weight,
  maxWeight: 100,
  managedRoutes: [],
  managedNames: [],
});

test('created when absent (named after the Rollout, for the stable Service), at v1alpha1 with quantity weights', () => {
  const objects = new FakeRouteObjects();
  const router = new SmiRouter(setup());
  expect(router.watches()).toEqual([{ resource: 'trafficsplits', namespace: 'default', name: 'web' }]);
  expect(router.read(objects)).toEqual({ weight: 0 });
  const plan = router.plan(objects, intent(30));
  expect(plan).toEqual({
    writes: [
      {
        action: 'create',
        resource: 'trafficsplits',
        message: 'TrafficSplit default/web: canary weight 30, stable 70',
        event: { reason: 'TrafficSplitCreated', message: 'TrafficSplit `web` created' },
        object: {
          apiVersion: 'split.smi-spec.io/v1alpha1',
          kind: 'TrafficSplit',
          metadata: {
            name: 'web',
            namespace: 'default',
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'Rollout',
                name: 'web',
                uid: 'rollout-uid',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: {
            service: 'web-stable',
            backends: [
              { service: 'web-canary', weight: '30' },
              { service: 'web-stable', weight: '70' },
            ],
          },
        },
      },
    ],
  });
  if (!('writes' in plan)) throw new Error('problem');
  for (const w of plan.writes) objects.apply(w);
  expect(router.read(objects)).toEqual({ weight: 30 });
  expect(router.plan(objects, intent(30))).toEqual({ writes: [] });
});

test('later versions write integer weights; trafficSplitName and rootService are used; an update patches the backends', () => {
  const objects = new FakeRouteObjects();
  objects.apiVersions.trafficsplits = 'split.smi-spec.io/v1alpha3';
  const router = new SmiRouter(setup({ trafficSplitName: 'split', rootService: 'web' }));
  const created = router.plan(objects, intent(10));
  if (!('writes' in created)) throw new Error('problem');
  for (const w of created.writes) objects.apply(w);
  const updated = router.plan(objects, intent(60));
  if (!('writes' in updated)) throw new Error('problem');
  expect(updated.writes[0]?.action === 'update' && updated.writes[0].object.spec).toEqual({
    service: 'web',
    backends: [
      { service: 'web-canary', weight: 60 },
      { service: 'web-stable', weight: 40 },
    ],
  });
});

test('a v1alpha1 weight written as a milli-quantity reads back; a TrafficSplit the Rollout does not own is a problem', () => {
  const objects = new FakeRouteObjects();
  const split = {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: {
      name: 'web',
      namespace: 'default',
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'web',
          uid: 'rollout-uid',
          controller: true,
        },
      ],
    },
    spec: {
      service: 'web-stable',
      backends: [
        { service: 'web-canary', weight: '250m' },
        { service: 'web-stable', weight: '750m' },
      ],
    },
  };
  objects.put('trafficsplits', split);
  expect(new SmiRouter(setup()).read(objects)).toEqual({ weight: 25 });
  objects.put('trafficsplits', { ...split, metadata: { name: 'web', namespace: 'default' } });
  expect(new SmiRouter(setup()).read(objects)).toMatchObject({
    problem: { object: 'TrafficSplit default/web', field: 'metadata.ownerReferences' },
  });
});

test('with maxTrafficWeight (nginx and smi together), the two backends add up to it, and read back on that scale', () => {
  const objects = new FakeRouteObjects();
  const router = new SmiRouter({ ...setup(), maxWeight: 1000 });
  const plan = router.plan(objects, { ...intent(200), maxWeight: 1000 });
  if (!('writes' in plan)) throw new Error('problem');
  expect(plan.writes[0]?.action === 'create' && plan.writes[0].object.spec).toEqual({
    service: 'web-stable',
    backends: [
      { service: 'web-canary', weight: '200' },
      { service: 'web-stable', weight: '800' },
    ],
  });
  for (const w of plan.writes) objects.apply(w);
  expect(router.read(objects)).toEqual({ weight: 200 });
});
