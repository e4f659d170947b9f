// The Ambassador router's canary Mappings, as Argo's ambassador reconciler creates, weighs and deletes
// them: built from the objects of Argo's Ambassador example, docs and unit tests.
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import {
  AmbassadorRouter,
  type AmbassadorSetup,
  canaryMappingName,
  canaryServiceOf,
} from './ambassador-router';
import type { RouteIntent, RouteObject, RouterPlan } from './router';

const setup = (over: Partial<AmbassadorSetup> = {}): AmbassadorSetup => ({
  namespace: 'default',
  config: { mappings: ['echo'] },
  services: { canary: 'echo-canary', stable: 'echo-stable' },
  configPath: 'spec.strategy.canary.trafficRouting.ambassador',
  ...over,
});

const intent = (weight: number, maxWeight = 100): RouteIntent => ({
  weight,
  maxWeight,
  managedRoutes: [],
  managedNames: [],
});

/** The Mapping of Argo's examples/ambassador (endpoint resolver). */
function echoMapping(spec: Record<string, unknown> = {}): RouteObject {
  return {
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: {
      name: 'echo',
      namespace: 'default',
      labels: { app: 'echo' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: { resolver: 'endpoint', prefix: '/echo', rewrite: '/echo', service: 'echo-stable:80', ...spec },
  };
}

function writesOf(plan: RouterPlan) {
  if (!('writes' in plan)) throw new Error(`problem: ${JSON.stringify(plan)}`);
  return plan.writes;
}

function apply(objects: FakeRouteObjects, plan: RouterPlan): void {
  for (const w of writesOf(plan)) objects.apply(w);
}

const summary = (plan: RouterPlan) => writesOf(plan).map((w) => `${w.action} ${w.message}`);
const canarySpec = (objects: FakeRouteObjects, name = 'echo-canary') =>
  objects.get('mappings', 'default', name)?.spec;

test("the example's steps: created at the first weight, weighed, set to 0 and then deleted at the end", () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  const router = new AmbassadorRouter(setup());
  expect(router.type).toBe('Ambassador');
  expect(router.watches()).toEqual([
    { resource: 'mappings', namespace: 'default', name: 'echo' },
    { resource: 'mappings', namespace: 'default', name: 'echo-canary' },
  ]);
  // no canary Mapping until the canary has weight
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(router.plan(objects, intent(0))).toEqual({ writes: [] });
  const created = router.plan(objects, intent(30));
  expect(created).toEqual({
    writes: [
      {
        action: 'create',
        resource: 'mappings',
        message: 'Mapping default/echo-canary: canary weight 30',
        event: { reason: 'CanaryMappingWeightUpdate', message: 'Set canary mapping weight to 30' },
        // as Argo builds it: no labels, annotations or owner
        object: {
          apiVersion: 'getambassador.io/v2',
          kind: 'Mapping',
          metadata: { name: 'echo-canary', namespace: 'default' },
          spec: {
            resolver: 'endpoint',
            prefix: '/echo',
            rewrite: '/echo',
            service: 'echo-canary:80',
            weight: 30,
          },
        },
      },
    ],
  });
  apply(objects, created);
  expect(router.read(objects)).toEqual({ weight: 30 });
  expect(router.plan(objects, intent(30))).toEqual({ writes: [] });
  for (const weight of [60, 100]) {
    expect(summary(router.plan(objects, intent(weight)))).toEqual([
      `update Mapping default/echo-canary: canary weight ${weight}`,
    ]);
    apply(objects, router.plan(objects, intent(weight)));
    expect(router.read(objects)).toEqual({ weight });
  }
  // the end: first to 0 (Argo then sleeps 5 s), then, seen at 0, deleted
  expect(summary(router.plan(objects, intent(0)))).toEqual([
    'update Mapping default/echo-canary: canary weight 0',
  ]);
  apply(objects, router.plan(objects, intent(0)));
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(summary(router.plan(objects, intent(0)))).toEqual([
    'delete Mapping default/echo-canary: the canary weight is 0',
  ]);
  apply(objects, router.plan(objects, intent(0)));
  expect(objects.get('mappings', 'default', 'echo-canary')).toBeUndefined();
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(router.plan(objects, intent(0))).toEqual({ writes: [] });
  // the stable Mapping is never written
  expect(objects.get('mappings', 'default', 'echo')?.metadata.resourceVersion).toBe('1');
});

test.each([
  { service: 'main-service:8080', canary: 'canary-service:8080', why: "Argo's unit-test Mapping" },
  { service: 'main-service', canary: 'canary-service', why: 'no port' },
  { service: 'main-service.apps:8080', canary: 'canary-service.apps:8080', why: 'a namespace' },
  {
    service: 'https://main-service.apps.svc.cluster.local:8443',
    canary: 'https://canary-service.apps.svc.cluster.local:8443',
    why: 'a scheme and the cluster domain',
  },
])('the canary service keeps the form around the name: $why', ({ service, canary }) => {
  expect(canaryServiceOf(service, 'main-service', 'canary-service')).toBe(canary);
  const objects = new FakeRouteObjects();
  objects.put('mappings', {
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: { name: 'myapp-mapping', namespace: 'default' },
    spec: { prefix: '/myapp/', rewrite: '/myapp/', service },
  });
  const router = new AmbassadorRouter(
    setup({
      config: { mappings: ['myapp-mapping'] },
      services: { canary: 'canary-service', stable: 'main-service' },
    }),
  );
  apply(objects, router.plan(objects, intent(13)));
  expect(canarySpec(objects, 'myapp-mapping-canary')).toEqual({
    prefix: '/myapp/',
    rewrite: '/myapp/',
    service: canary,
    weight: 13,
  });
});

test('an Emissary v3alpha1 Mapping is copied at its version, hostname and all', () => {
  const objects = new FakeRouteObjects();
  objects.apiVersions.mappings = 'getambassador.io/v3alpha1';
  objects.put('mappings', {
    apiVersion: 'getambassador.io/v3alpha1',
    kind: 'Mapping',
    metadata: { name: 'echo', namespace: 'default' },
    spec: { hostname: 'example.com', prefix: '/echo/', service: 'echo-stable:80' },
  });
  const router = new AmbassadorRouter(setup());
  const writes = writesOf(router.plan(objects, intent(20)));
  expect(writes[0]?.action === 'create' && writes[0].object).toEqual({
    apiVersion: 'getambassador.io/v3alpha1',
    kind: 'Mapping',
    metadata: { name: 'echo-canary', namespace: 'default' },
    spec: { hostname: 'example.com', prefix: '/echo/', service: 'echo-canary:80', weight: 20 },
  });
});

test('an abort at 30 sets the canary Mapping to 0 first; one already at 0 is deleted at once', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  const router = new AmbassadorRouter(setup());
  apply(objects, router.plan(objects, intent(30)));
  const plan = writesOf(router.plan(objects, intent(0)));
  expect(plan.map((w) => w.action)).toEqual(['update']);
  expect(plan[0]?.action === 'update' && plan[0].object.spec).toMatchObject({ weight: 0 });
  // Argo's unit test: a canary Mapping found at 0 is deleted
  const other = new FakeRouteObjects();
  other.put('mappings', echoMapping());
  other.put('mappings', {
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: { name: 'echo-canary', namespace: 'default' },
    spec: { prefix: '/echo', service: 'echo-canary:80', weight: 0 },
  });
  expect(summary(router.plan(other, intent(0)))).toEqual([
    'delete Mapping default/echo-canary: the canary weight is 0',
  ]);
});

test('the canary Mapping follows edits to the stable Mapping; metadata others gave it stays', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  const router = new AmbassadorRouter(setup());
  apply(objects, router.plan(objects, intent(30)));
  const canary = objects.get('mappings', 'default', 'echo-canary')!;
  canary.metadata.labels = { 'argocd.argoproj.io/instance': 'echo' };
  objects.put('mappings', canary);
  objects.put('mappings', echoMapping({ prefix: '/echo/v2', timeout_ms: 3000 }));
  const plan = writesOf(router.plan(objects, intent(30)));
  expect(plan.map((w) => w.action)).toEqual(['update']);
  apply(objects, { writes: plan });
  const after = objects.get('mappings', 'default', 'echo-canary')!;
  expect(after.metadata.labels).toEqual({ 'argocd.argoproj.io/instance': 'echo' });
  expect(after.spec).toEqual({
    resolver: 'endpoint',
    prefix: '/echo/v2',
    rewrite: '/echo',
    service: 'echo-canary:80',
    timeout_ms: 3000,
    weight: 30,
  });
});

test('a Mapping named like the canary Mapping is taken over, as Argo does (nothing tells them apart)', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  objects.put('mappings', {
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: { name: 'echo-canary', namespace: 'default' },
    spec: { prefix: '/echo-preview', service: 'echo-canary:80' },
  });
  const router = new AmbassadorRouter(setup());
  // no weight: cannot be read
  expect(router.read(objects)).toEqual({ weight: undefined });
  apply(objects, router.plan(objects, intent(10)));
  expect(canarySpec(objects)).toMatchObject({ prefix: '/echo', weight: 10 });
});

test('several Mappings: one canary Mapping each; they read as one weight only when they agree', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  objects.put('mappings', {
    ...echoMapping({ prefix: '/echo-grpc', service: 'echo-stable:9090' }),
    metadata: { name: 'echo-grpc', namespace: 'default' },
  });
  const router = new AmbassadorRouter(setup({ config: { mappings: ['echo', 'echo-grpc'] } }));
  const created = writesOf(router.plan(objects, intent(25)));
  expect(created.map((w) => `${w.action} ${w.message}`)).toEqual([
    'create Mapping default/echo-canary: canary weight 25',
    'create Mapping default/echo-grpc-canary: canary weight 25',
  ]);
  // Argo's one event for the weight
  expect(created.map((w) => w.event?.reason)).toEqual(['CanaryMappingWeightUpdate', undefined]);
  apply(objects, router.plan(objects, intent(25)));
  expect(canarySpec(objects, 'echo-grpc-canary')).toMatchObject({ service: 'echo-canary:9090', weight: 25 });
  expect(router.read(objects)).toEqual({ weight: 25 });
  objects.remove('mappings', 'default', 'echo-grpc-canary');
  expect(router.read(objects)).toEqual({ weight: undefined });
});

test('with maxTrafficWeight, the Mapping weight is the percentage, read back on the Rollout scale', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  const router = new AmbassadorRouter(setup({ maxWeight: 1000 }));
  apply(objects, router.plan(objects, intent(250, 1000)));
  expect(canarySpec(objects)).toMatchObject({ weight: 25 });
  expect(router.read(objects)).toEqual({ weight: 250 });
});

test('a canary Mapping being deleted is left alone until it is gone', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  const router = new AmbassadorRouter(setup());
  apply(objects, router.plan(objects, intent(10)));
  const canary = objects.get('mappings', 'default', 'echo-canary')!;
  canary.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  objects.put('mappings', canary);
  expect(router.plan(objects, intent(20))).toEqual({ writes: [] });
  expect(router.plan(objects, intent(0))).toEqual({ writes: [] });
});

test("Argo's name rule: the stable Mapping's name cut to 246 characters, then -canary", () => {
  const long = 'very-long-mapping-name-'.repeat(12);
  expect(canaryMappingName(long)).toBe(`${long.slice(0, 246)}-canary`);
  expect(canaryMappingName(long)).toHaveLength(253);
  expect(canaryMappingName('echo')).toBe('echo-canary');
});

const CONFIG = 'spec.strategy.canary.trafficRouting.ambassador';
test.each<{ why: string; spec?: unknown; absent?: true; field: string; says: string }>([
  {
    why: 'the Mapping is missing',
    absent: true,
    field: `${CONFIG}.mappings[0]`,
    says: 'does not exist; create it',
  },
  {
    why: 'spec is a list',
    spec: [],
    field: 'spec',
    says: 'is a list; give the Mapping its prefix and service',
  },
  {
    why: 'no service',
    spec: { prefix: '/echo' },
    field: 'spec.service',
    says: 'is missing; name the stable Service',
  },
  {
    why: 'the service is another Service',
    spec: { prefix: '/echo', service: 'echo-v1:80' },
    field: 'spec.service',
    says: 'is "echo-v1:80", which is not the stable Service "echo-stable"',
  },
  {
    why: 'the stable name only inside another name (Argo would write "echo-canaryv2:80")',
    spec: { prefix: '/echo', service: 'echo-stablev2:80' },
    field: 'spec.service',
    says: 'which is not the stable Service',
  },
  {
    why: "the stable Mapping sets a weight (Argo's 'can not define weight')",
    spec: { prefix: '/echo', service: 'echo-stable:80', weight: 20 },
    field: 'spec.weight',
    says: 'is 20; the stable Mapping cannot set a weight',
  },
])('problem, in read and plan: $why', ({ spec, absent, field, says }) => {
  const objects = new FakeRouteObjects();
  if (!absent) objects.put('mappings', { ...echoMapping(), spec });
  const router = new AmbassadorRouter(setup());
  const expected = {
    problem: { object: 'Mapping default/echo', field, message: expect.stringContaining(says) },
  };
  expect(router.read(objects)).toEqual(expected);
  expect(router.plan(objects, intent(10))).toEqual(expected);
});

test('a stable Mapping with weight 0 is accepted (Argo reads it as no weight)', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping({ weight: 0 }));
  const router = new AmbassadorRouter(setup());
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(canarySpec(objects)).toBeUndefined();
  apply(objects, router.plan(objects, intent(5)));
  expect(canarySpec(objects)).toMatchObject({ weight: 5, service: 'echo-canary:80' });
});

test('while the cache has not listed: waiting (no writes); a failing list is a problem', () => {
  const objects = new FakeRouteObjects();
  objects.put('mappings', echoMapping());
  objects.unlisted.set('mappings', undefined);
  const router = new AmbassadorRouter(setup());
  expect(router.read(objects)).toEqual({ waiting: 'the Mapping cache to list' });
  expect(router.plan(objects, intent(10))).toEqual({ writes: [] });
  objects.unlisted.set('mappings', 'the server could not find the requested resource');
  expect(router.read(objects)).toMatchObject({ problem: { object: 'Mapping objects' } });
  expect(router.plan(objects, intent(10))).toMatchObject({ problem: { object: 'Mapping objects' } });
});

test('never throws on any JSON in the objects', () => {
  const values: unknown[] = [null, 0, 'x', true, [], {}, [null], { service: 5 }, { weight: 'x' }];
  const router = new AmbassadorRouter(setup());
  for (const value of values) {
    for (const [stable, canary] of [
      [value, undefined],
      [{ prefix: '/echo', service: 'echo-stable:80' }, value],
      [{ prefix: '/echo', service: value }, value],
    ]) {
      const objects = new FakeRouteObjects();
      objects.put('mappings', { ...echoMapping(), spec: stable });
      if (canary !== undefined)
        objects.put('mappings', {
          ...echoMapping(),
          metadata: { name: 'echo-canary', namespace: 'default' },
          spec: canary,
        });
      for (const weight of [0, 10]) {
        expect(() => router.read(objects)).not.toThrow();
        expect(() => router.plan(objects, intent(weight))).not.toThrow();
      }
    }
  }
  const odd = new AmbassadorRouter(setup({ config: { mappings: 'echo' as unknown as string[] } }));
  expect(odd.read(new FakeRouteObjects())).toEqual({ weight: undefined });
  expect(odd.watches()).toEqual([]);
});
