// The APISIX router's ApisixRoute weights and header routes, as Argo's apisix reconciler writes them:
// built from the objects of Argo's APISIX e2e tests, example and unit tests.
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import { ApisixRouter, type ApisixSetup } from './apisix-router';
import type { ManagedRoute, RouteIntent, RouteObject, RouterPlan } from './router';

const ROLLOUT = { name: 'rollout-apisix-canary', namespace: 'default', uid: 'rollout-uid' };
const SERVICES = { canary: 'rollout-apisix-canary-canary', stable: 'rollout-apisix-canary-stable' };
const OWNER = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  name: 'rollout-apisix-canary',
  uid: 'rollout-uid',
  controller: true,
  blockOwnerDeletion: true,
};

const setup = (over: Partial<ApisixSetup> = {}): ApisixSetup => ({
  rollout: ROLLOUT,
  config: { route: { name: 'rollouts-apisix-route', rules: ['rollouts-apisix'] } },
  services: SERVICES,
  configPath: 'spec.strategy.canary.trafficRouting.apisix',
  ...over,
});

const intent = (weight: number, managedRoutes: ManagedRoute[] = [], maxWeight = 100): RouteIntent => ({
  weight,
  maxWeight,
  managedRoutes,
  managedNames: ['set-header'],
});

const setHeader = (value: Extract<ManagedRoute, { type: 'header' }>) => value;
const TRACE_DEBUG = setHeader({
  type: 'header',
  name: 'set-header',
  match: [{ headerName: 'trace', headerValue: { exact: 'debug' } }],
});

/** The match of the e2e ApisixRoute's rule. */
const MATCH = {
  paths: ['/*'],
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
  hosts: ['rollouts-demo.apisix.local'],
};

/** Argo's e2e ApisixRoute (test/e2e/apisix): the stable at 100, the canary at 0. */
function e2eRoute(weights: [number?, number?] = [100, 0]): RouteObject {
  const weight = (w: number | undefined) => (w === undefined ? {} : { weight: w });
  return {
    apiVersion: 'apisix.apache.org/v2',
    kind: 'ApisixRoute',
    metadata: {
      name: 'rollouts-apisix-route',
      namespace: 'default',
      labels: { app: 'rollout-apisix-canary' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apisix.apache.org/v2"}',
        team: 'web',
      },
    },
    spec: {
      ingressClassName: 'apisix',
      http: [
        {
          name: 'rollouts-apisix',
          match: structuredClone(MATCH),
          backends: [
            { serviceName: SERVICES.stable, servicePort: 80, ...weight(weights[0]) },
            { serviceName: SERVICES.canary, servicePort: 80, ...weight(weights[1]) },
          ],
        },
      ],
    },
  };
}

/** Argo's unit-test ApisixRoute: its one rule named like the route. */
function unitTestRoute(): RouteObject {
  return {
    apiVersion: 'apisix.apache.org/v2',
    kind: 'ApisixRoute',
    metadata: { name: 'mocks-apisix-route', namespace: 'default' },
    spec: {
      http: [
        {
          name: 'mocks-apisix-route',
          match: { paths: ['/*'], methods: ['GET'] },
          backends: [
            { serviceName: 'stable-rollout', servicePort: 80, weight: 100 },
            { serviceName: 'canary-rollout', servicePort: 80, weight: 0 },
          ],
        },
        {
          name: 'admin',
          match: { paths: ['/admin/*'] },
          backends: [{ serviceName: 'admin', servicePort: 80 }],
        },
      ],
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

const httpOf = (object: RouteObject | undefined) => (object!.spec as { http: unknown[] }).http;

test("the e2e ApisixRoute: its named rule's canary and stable backends carry the weights, nothing else changes", () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  expect(router.type).toBe('Apisix');
  expect(router.watches()).toEqual([{ resource: 'apisixroutes', namespace: 'default' }]);
  expect(router.read(objects)).toEqual({ weight: 0 });
  const current = objects.get('apisixroutes', 'default', 'rollouts-apisix-route')!;
  const plan = router.plan(objects, intent(5));
  expect(plan).toEqual({
    writes: [
      {
        action: 'update',
        resource: 'apisixroutes',
        current,
        message: 'ApisixRoute default/rollouts-apisix-route: canary weight 5, stable 95',
        object: {
          ...current,
          spec: {
            ingressClassName: 'apisix',
            http: [
              {
                name: 'rollouts-apisix',
                match: MATCH,
                backends: [
                  { serviceName: SERVICES.stable, servicePort: 80, weight: 95 },
                  { serviceName: SERVICES.canary, servicePort: 80, weight: 5 },
                ],
              },
            ],
          },
        },
      },
    ],
  });
  apply(objects, plan);
  expect(router.read(objects)).toEqual({ weight: 5 });
  expect(router.plan(objects, intent(5))).toEqual({ writes: [] });
});

test.each([
  [0, 50],
  [50, 100],
  [100, 0],
  [80, 20],
])('weights %i → %i read back, and a second plan writes nothing', (from, to) => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  apply(objects, router.plan(objects, intent(from)));
  expect(router.read(objects)).toEqual({ weight: from });
  apply(objects, router.plan(objects, intent(to)));
  expect(router.read(objects)).toEqual({ weight: to });
  expect(httpOf(objects.get('apisixroutes', 'default', 'rollouts-apisix-route'))).toEqual([
    expect.objectContaining({
      backends: [
        { serviceName: SERVICES.stable, servicePort: 80, weight: 100 - to },
        { serviceName: SERVICES.canary, servicePort: 80, weight: to },
      ],
    }),
  ]);
  expect(router.plan(objects, intent(to))).toEqual({ writes: [] });
});

test("the example's ApisixRoute sets no weights: APISIX weighs each backend 100, so it reads 50", () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute([undefined, undefined]));
  const router = new ApisixRouter(setup());
  expect(router.read(objects)).toEqual({ weight: 50 });
  apply(objects, router.plan(objects, intent(20)));
  expect(router.read(objects)).toEqual({ weight: 20 });
});

test('without rules, the rule named like the ApisixRoute is routed (as Argo picks it); the other rules are untouched', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', unitTestRoute());
  const router = new ApisixRouter(
    setup({
      config: { route: { name: 'mocks-apisix-route' } },
      services: { canary: 'canary-rollout', stable: 'stable-rollout' },
    }),
  );
  apply(objects, router.plan(objects, intent(30)));
  expect(httpOf(objects.get('apisixroutes', 'default', 'mocks-apisix-route'))).toEqual([
    {
      name: 'mocks-apisix-route',
      match: { paths: ['/*'], methods: ['GET'] },
      backends: [
        { serviceName: 'stable-rollout', servicePort: 80, weight: 70 },
        { serviceName: 'canary-rollout', servicePort: 80, weight: 30 },
      ],
    },
    { name: 'admin', match: { paths: ['/admin/*'] }, backends: [{ serviceName: 'admin', servicePort: 80 }] },
  ]);
  expect(router.read(objects)).toEqual({ weight: 30 });
});

test('several rules: each carries the weights; rules that disagree read undefined', () => {
  const route = e2eRoute();
  const http = httpOf(route) as Record<string, unknown>[];
  http.push({ ...structuredClone(http[0]), name: 'api', match: { paths: ['/api/*'] } });
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', route);
  const router = new ApisixRouter(
    setup({ config: { route: { name: 'rollouts-apisix-route', rules: ['rollouts-apisix', 'api'] } } }),
  );
  apply(objects, router.plan(objects, intent(40)));
  expect(router.read(objects)).toEqual({ weight: 40 });
  const changed = objects.get('apisixroutes', 'default', 'rollouts-apisix-route')!;
  const backends = (httpOf(changed)[1] as { backends: { weight: number }[] }).backends;
  backends[1]!.weight = 10;
  objects.put('apisixroutes', changed);
  expect(router.read(objects)).toEqual({ weight: undefined });
  expect(writesOf(router.plan(objects, intent(40)))).toHaveLength(1);
});

test('with maxTrafficWeight the two weights add up to it (Argo writes 100 − weight) and read back on that scale', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup({ maxWeight: 1000 }));
  apply(objects, router.plan(objects, intent(200, [], 1000)));
  expect(httpOf(objects.get('apisixroutes', 'default', 'rollouts-apisix-route'))).toEqual([
    expect.objectContaining({
      backends: [
        { serviceName: SERVICES.stable, servicePort: 80, weight: 800 },
        { serviceName: SERVICES.canary, servicePort: 80, weight: 200 },
      ],
    }),
  ]);
  expect(router.read(objects)).toEqual({ weight: 200 });
});

test('setHeaderRoute (the e2e set-header Rollout): an ApisixRoute of its own, owned by the Rollout, to the canary only, a priority higher, matching the header', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  const plan = router.plan(objects, intent(0, [TRACE_DEBUG]));
  expect(plan).toEqual({
    writes: [
      {
        action: 'create',
        resource: 'apisixroutes',
        message:
          'ApisixRoute default/set-header: header route "set-header" to the canary Service "rollout-apisix-canary-canary"',
        object: {
          apiVersion: 'apisix.apache.org/v2',
          kind: 'ApisixRoute',
          metadata: {
            name: 'set-header',
            namespace: 'default',
            labels: { app: 'rollout-apisix-canary' },
            annotations: { team: 'web' },
            ownerReferences: [OWNER],
          },
          spec: {
            ingressClassName: 'apisix',
            http: [
              {
                name: 'rollouts-apisix',
                match: {
                  ...MATCH,
                  exprs: [{ subject: { scope: 'Header', name: 'trace' }, op: 'Equal', value: 'debug' }],
                },
                backends: [{ serviceName: SERVICES.canary, servicePort: 80, weight: 100 }],
                priority: 1,
              },
            ],
          },
        },
      },
    ],
  });
  apply(objects, plan);
  // the routed ApisixRoute keeps its weights; the header route does not count in the weight
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(router.plan(objects, intent(0, [TRACE_DEBUG]))).toEqual({ writes: [] });
  // weights move on while the header route stays
  const next = writesOf(router.plan(objects, intent(5, [TRACE_DEBUG])));
  expect(next.map((w) => `${w.action} ${w.message}`)).toEqual([
    'update ApisixRoute default/rollouts-apisix-route: canary weight 5, stable 95',
  ]);
});

test('a header route changed by a later step is updated; one no longer in force is deleted, before the weights are written', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  apply(objects, router.plan(objects, intent(0, [TRACE_DEBUG])));
  const regex = setHeader({
    type: 'header',
    name: 'set-header',
    match: [
      { headerName: 'trace', headerValue: { regex: 'debug|trace' } },
      { headerName: 'x-version', headerValue: { prefix: 'v1.2' } },
    ],
  });
  const changed = writesOf(router.plan(objects, intent(0, [regex])));
  expect(changed).toHaveLength(1);
  expect(changed[0]?.action === 'update' && changed[0].object.spec).toEqual({
    ingressClassName: 'apisix',
    http: [
      expect.objectContaining({
        priority: 1,
        match: {
          ...MATCH,
          exprs: [
            { subject: { scope: 'Header', name: 'trace' }, op: 'RegexMatch', value: 'debug|trace' },
            // the prefix literal (Argo writes ^v1.2.*, its dot matching any character)
            { subject: { scope: 'Header', name: 'x-version' }, op: 'RegexMatch', value: '^v1\\.2.*' },
          ],
        },
      }),
    ],
  });
  apply(objects, { writes: changed });
  // the update keeps labels another controller added to the header route
  const added = objects.get('apisixroutes', 'default', 'set-header')!;
  added.metadata.labels = { ...added.metadata.labels, 'added-by': 'someone' };
  objects.put('apisixroutes', added);
  expect(router.plan(objects, intent(0, [regex]))).toEqual({ writes: [] });
  // the next step ends the header route and sets a weight: the delete comes first
  const ended = writesOf(router.plan(objects, intent(20)));
  expect(ended.map((w) => `${w.action} ${w.message}`)).toEqual([
    'delete ApisixRoute default/set-header: the header route "set-header" is no longer in force',
    'update ApisixRoute default/rollouts-apisix-route: canary weight 20, stable 80',
  ]);
  apply(objects, { writes: ended });
  expect(objects.get('apisixroutes', 'default', 'set-header')).toBeUndefined();
  expect(router.plan(objects, intent(20))).toEqual({ writes: [] });
});

test("a header route copies the rule's other backends and match expressions; the stable's backends go, the priority is the rule's plus one", () => {
  const route = e2eRoute();
  const rule = httpOf(route)[0] as Record<string, unknown>;
  rule.priority = 5;
  rule.match = {
    ...MATCH,
    exprs: [{ subject: { scope: 'Query', name: 'beta' }, op: 'Equal', value: '1' }],
  };
  rule.backends = [
    { serviceName: SERVICES.stable, servicePort: 80, weight: 90 },
    { serviceName: SERVICES.canary, servicePort: 80, weight: 10 },
    { serviceName: 'fallback', servicePort: 8080, weight: 1 },
    { serviceName: SERVICES.stable, servicePort: 8443, weight: 3 },
  ];
  rule.plugins = [{ name: 'cors', enable: true }];
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', route);
  const router = new ApisixRouter(setup());
  const writes = writesOf(router.plan(objects, intent(10, [TRACE_DEBUG])));
  expect(writes.map((w) => w.action)).toEqual(['create']);
  expect(writes[0]?.action === 'create' && httpOf(writes[0].object)).toEqual([
    {
      name: 'rollouts-apisix',
      priority: 6,
      match: {
        ...MATCH,
        exprs: [
          { subject: { scope: 'Query', name: 'beta' }, op: 'Equal', value: '1' },
          { subject: { scope: 'Header', name: 'trace' }, op: 'Equal', value: 'debug' },
        ],
      },
      backends: [
        { serviceName: SERVICES.canary, servicePort: 80, weight: 100 },
        { serviceName: 'fallback', servicePort: 8080, weight: 1 },
      ],
      plugins: [{ name: 'cors', enable: true }],
    },
  ]);
});

test('only the routed rules go into a header route (Argo copies every rule and never updates the copies)', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', unitTestRoute());
  const router = new ApisixRouter(
    setup({
      config: { route: { name: 'mocks-apisix-route' } },
      services: { canary: 'canary-rollout', stable: 'stable-rollout' },
    }),
  );
  const writes = writesOf(router.plan(objects, intent(0, [TRACE_DEBUG])));
  expect(writes[0]?.action === 'create' && httpOf(writes[0].object)).toEqual([
    expect.objectContaining({ name: 'mocks-apisix-route', priority: 1 }),
  ]);
  expect(writes[0]?.action === 'create' && writes[0].object.metadata).toEqual({
    name: 'set-header',
    namespace: 'default',
    ownerReferences: [OWNER],
  });
});

test('setMirrorRoute writes nothing (Argo has no mirror routes for APISIX), and a header route of that name is removed', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  apply(objects, router.plan(objects, intent(0, [TRACE_DEBUG])));
  const mirror: ManagedRoute = { type: 'mirror', name: 'set-header', match: [{ path: { prefix: '/' } }] };
  expect(writesOf(router.plan(objects, intent(0, [mirror]))).map((w) => w.action)).toEqual(['delete']);
  const fresh = new FakeRouteObjects();
  fresh.put('apisixroutes', e2eRoute());
  expect(
    router.plan(fresh, { ...intent(0, [{ ...mirror, name: 'mirror' }]), managedNames: ['mirror'] }),
  ).toEqual({
    writes: [],
  });
});

test('an ApisixRoute of a managed route name that the Rollout does not own is never deleted, and blocks the header route', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  objects.put('apisixroutes', { ...e2eRoute(), metadata: { name: 'set-header', namespace: 'default' } });
  const router = new ApisixRouter(setup());
  expect(router.plan(objects, intent(0))).toEqual({ writes: [] });
  expect(router.plan(objects, intent(0, [TRACE_DEBUG]))).toEqual({
    problem: {
      object: 'ApisixRoute default/set-header',
      field: 'metadata.ownerReferences',
      message: expect.stringContaining('is not controlled by the Rollout "rollout-apisix-canary"'),
    },
  });
});

test('a managed route named like the routed ApisixRoute is a problem, and never deletes it', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  const named = { ...TRACE_DEBUG, name: 'rollouts-apisix-route' };
  expect(router.plan(objects, { ...intent(0, [named]), managedNames: ['rollouts-apisix-route'] })).toEqual({
    problem: {
      object: 'ApisixRoute default/rollouts-apisix-route',
      field: 'spec.strategy.canary.trafficRouting.managedRoutes',
      message: expect.stringContaining('give the managed route "rollouts-apisix-route" another name'),
    },
  });
  expect(router.plan(objects, { ...intent(0), managedNames: ['rollouts-apisix-route'] })).toEqual({
    writes: [],
  });
});

test('a header route matching no header value, or a rule priority that is no integer, is a problem', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  const router = new ApisixRouter(setup());
  const empty = setHeader({
    type: 'header',
    name: 'set-header',
    match: [{ headerName: 'trace', headerValue: {} }],
  });
  expect(router.plan(objects, intent(0, [empty]))).toMatchObject({
    problem: { object: 'ApisixRoute default/set-header', field: 'setHeaderRoute "set-header".match' },
  });
  const route = e2eRoute();
  (httpOf(route)[0] as Record<string, unknown>).priority = '1';
  objects.put('apisixroutes', route);
  expect(router.plan(objects, intent(0, [TRACE_DEBUG]))).toEqual({
    problem: {
      object: 'ApisixRoute default/rollouts-apisix-route',
      field: 'spec.http[0].priority',
      message: expect.stringContaining('is a string, not an integer'),
    },
  });
  // without a header route the priority is not used
  expect(writesOf(router.plan(objects, intent(10)))).toHaveLength(1);
});

const CONFIG = 'spec.strategy.canary.trafficRouting.apisix';
test.each<{
  why: string;
  spec?: unknown;
  absent?: true;
  config?: ApisixSetup['config'];
  field: string;
  says: string;
}>([
  {
    why: 'the ApisixRoute is missing',
    absent: true,
    field: `${CONFIG}.route.name`,
    says: 'does not exist; create it, or name an existing ApisixRoute',
  },
  { why: 'no route is configured', config: {}, field: `${CONFIG}.route.name`, says: 'is empty' },
  { why: 'spec is a string', spec: 'x', field: 'spec', says: 'is a string' },
  {
    why: 'a stream-only ApisixRoute',
    spec: { stream: [] },
    field: 'spec.http',
    says: 'is missing, not a list',
  },
  {
    why: 'rules lists none',
    config: { route: { name: 'rollouts-apisix-route', rules: [] } },
    field: `${CONFIG}.route.rules`,
    says: 'lists no rule',
  },
  {
    why: 'a listed rule is missing',
    config: { route: { name: 'rollouts-apisix-route', rules: ['rollouts-apisix', 'other'] } },
    field: 'spec.http',
    says: `has no rule named "other"; add it, or fix ${CONFIG}.route.rules[1]`,
  },
  {
    why: 'no rule is named like the ApisixRoute (rules absent)',
    config: { route: { name: 'rollouts-apisix-route' } },
    field: 'spec.http',
    says: 'has no rule named "rollouts-apisix-route"; spec.strategy.canary.trafficRouting.apisix.route.rules is not set',
  },
  {
    why: 'the rule routes to upstreams',
    spec: { http: [{ name: 'rollouts-apisix', match: MATCH, upstreams: [{ name: 'up' }] }] },
    field: 'spec.http[0].backends',
    says: 'is missing, not a list',
  },
  {
    why: 'a backend is no object',
    spec: { http: [{ name: 'rollouts-apisix', match: MATCH, backends: [null] }] },
    field: 'spec.http[0].backends[0]',
    says: 'is null, not a backend',
  },
  {
    why: 'no backend for the canary',
    spec: {
      http: [
        { name: 'x', match: MATCH, backends: [] },
        {
          name: 'rollouts-apisix',
          match: MATCH,
          backends: [{ serviceName: SERVICES.stable, servicePort: 80 }],
        },
      ],
    },
    field: 'spec.http[1].backends',
    says: `has no backend with serviceName "${SERVICES.canary}" (the canaryService); add {serviceName: ${SERVICES.canary}, servicePort: <port>, weight: 0}`,
  },
  {
    why: 'no backend for the stable',
    spec: {
      http: [
        {
          name: 'rollouts-apisix',
          match: MATCH,
          backends: [{ serviceName: SERVICES.canary, servicePort: 80 }],
        },
      ],
    },
    field: 'spec.http[0].backends',
    says: `has no backend with serviceName "${SERVICES.stable}" (the stableService)`,
  },
])('problem, in read and plan: $why', ({ spec, absent, config, field, says }) => {
  const objects = new FakeRouteObjects();
  if (!absent) objects.put('apisixroutes', spec === undefined ? e2eRoute() : { ...e2eRoute(), spec });
  const router = new ApisixRouter(setup(config ? { config } : {}));
  const name = config ? (config.route?.name ?? '') : 'rollouts-apisix-route';
  const expected = {
    problem: { object: `ApisixRoute default/${name}`, field, message: expect.stringContaining(says) },
  };
  expect(router.read(objects)).toEqual(expected);
  expect(router.plan(objects, intent(10, [TRACE_DEBUG]))).toEqual(expected);
});

test('weights that are no integers cannot be read (undefined), and the plan writes over them', () => {
  const route = e2eRoute();
  const backends = (httpOf(route)[0] as { backends: Record<string, unknown>[] }).backends;
  backends[0]!.weight = '100';
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', route);
  const router = new ApisixRouter(setup());
  expect(router.read(objects)).toEqual({ weight: undefined });
  apply(objects, router.plan(objects, intent(0)));
  expect(router.read(objects)).toEqual({ weight: 0 });
  objects.put('apisixroutes', e2eRoute([0, 0]));
  expect(router.read(objects)).toEqual({ weight: undefined });
});

test('while the cache has not listed: waiting (no writes); a failing list is a problem', () => {
  const objects = new FakeRouteObjects();
  objects.put('apisixroutes', e2eRoute());
  objects.unlisted.set('apisixroutes', undefined);
  const router = new ApisixRouter(setup());
  expect(router.read(objects)).toEqual({ waiting: 'the ApisixRoute cache to list' });
  expect(router.plan(objects, intent(10, [TRACE_DEBUG]))).toEqual({ writes: [] });
  objects.unlisted.set('apisixroutes', 'connection refused');
  expect(router.read(objects)).toMatchObject({ problem: { object: 'ApisixRoute objects' } });
  expect(router.plan(objects, intent(10))).toMatchObject({ problem: { object: 'ApisixRoute objects' } });
});

test('never throws on any JSON in the objects', () => {
  const values: unknown[] = [null, 0, 'x', true, [], {}, [null], [1, 'a'], { name: 5 }, { http: {} }];
  const router = new ApisixRouter(setup());
  for (const value of values) {
    const shapes = [
      value,
      { http: value },
      { http: [value] },
      { http: [{ name: 'rollouts-apisix', backends: value, match: value, priority: value }] },
      {
        http: [
          {
            name: 'rollouts-apisix',
            match: value,
            backends: [value, ...(httpOf(e2eRoute())[0] as { backends: unknown[] }).backends],
          },
        ],
      },
    ];
    for (const spec of shapes) {
      const objects = new FakeRouteObjects();
      objects.put('apisixroutes', { ...e2eRoute(), spec });
      objects.put('apisixroutes', {
        ...e2eRoute(),
        metadata: { name: 'set-header', namespace: 'default', ownerReferences: [OWNER] },
        spec: value,
      });
      expect(() => router.read(objects)).not.toThrow();
      expect(() => router.plan(objects, intent(10, [TRACE_DEBUG]))).not.toThrow();
      expect(() => router.plan(objects, intent(10))).not.toThrow();
    }
  }
  const odd = new ApisixRouter(
    setup({ config: { route: { name: 7 as unknown as string, rules: 'x' as unknown as string[] } } }),
  );
  expect(odd.read(new FakeRouteObjects())).toMatchObject({ problem: { field: `${CONFIG}.route.name` } });
});
