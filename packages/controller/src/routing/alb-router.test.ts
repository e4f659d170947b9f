// The ALB router's annotations on the Ingresses, as Argo's alb reconciler writes them, from the objects
// as Argo's e2e fixtures have people write them (test/e2e/alb, header-routing, functional/alb-*).

import { join } from 'node:path';
import type { Rollout } from '@ramp/api';
import { COMPAT_CORPUS, COMPAT_CORPUS_PRESENT, corpusDocuments, corpusFiles } from '@ramp/api/testing';
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import { AlbRouter, type AlbSetup } from './alb-router';
import type { ManagedRoute, RouteIntent, RouteObject, RouterPlan } from './router';
import { routersFor } from './routers';

const MANAGED = 'rollouts.argoproj.io/managed-alb-annotations';
const ACTION = 'alb.ingress.kubernetes.io/actions.action1';

/** header-routing/alb-header-route.yaml's Rollout, as the router gets it. */
function setup(config: Partial<AlbSetup['config']> = {}, more: Partial<AlbSetup> = {}): AlbSetup {
  return {
    rollout: { name: 'rollouts-demo', namespace: 'default' },
    config: { ingress: 'alb-rollout-ingress', rootService: 'action1', servicePort: 8080, ...config },
    services: { canary: 'canary-service', stable: 'stable-service' },
    stableService: 'stable-service',
    configPath: 'spec.strategy.canary.trafficRouting.alb',
    ...more,
  };
}

/** header-routing/alb-header-route.yaml's Ingress: one rule, /* to the action. */
function ingress(name = 'alb-rollout-ingress', action = 'action1'): RouteObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'alb' } },
    spec: {
      rules: [
        {
          http: {
            paths: [
              {
                path: '/*',
                pathType: 'ImplementationSpecific',
                backend: { service: { name: action, port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  };
}

const HEADER_ROUTE: ManagedRoute = {
  type: 'header',
  name: 'header-route',
  match: [{ headerName: 'Custom-Header', headerValue: { exact: 'Mozilla*' } }],
};

function intent(
  weight: number,
  managedRoutes: ManagedRoute[] = [],
  managedNames: string[] = [],
): RouteIntent {
  return { weight, maxWeight: 100, managedRoutes, managedNames };
}

/** Argo's forward action text for canary-service / stable-service on 8080. */
const forward = (canary: number, extra = '') =>
  `{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"canary-service","ServicePort":"8080","Weight":${canary}},{"ServiceName":"stable-service","ServicePort":"8080","Weight":${100 - canary}}]${extra}}}`;

function writesOf(plan: RouterPlan) {
  if (!('writes' in plan)) throw new Error(`problem: ${JSON.stringify(plan.problem)}`);
  return plan.writes;
}

function applyPlan(objects: FakeRouteObjects, plan: RouterPlan): void {
  for (const w of writesOf(plan)) objects.apply(w);
}

function withIngresses(...ingresses: RouteObject[]): FakeRouteObjects {
  const objects = new FakeRouteObjects();
  for (const i of ingresses) objects.put('ingresses', i);
  return objects;
}

test('the action annotation and the managed record on the Ingress as written; nothing else changes', () => {
  const objects = withIngresses(ingress());
  const router = new AlbRouter(setup());
  expect(router.type).toBe('ALB');
  expect(router.verifiable).toBe(false);
  expect(router.watches()).toEqual([
    { resource: 'ingresses', namespace: 'default', name: 'alb-rollout-ingress' },
  ]);
  expect(router.read(objects)).toEqual({ weight: undefined });
  const before = objects.get('ingresses', 'default', 'alb-rollout-ingress')!;
  const plan = router.plan(objects, intent(0));
  expect(plan).toEqual({
    writes: [
      {
        action: 'update',
        resource: 'ingresses',
        current: before,
        message:
          'Ingress default/alb-rollout-ingress: canary weight 0 (canary-service), stable 100 (stable-service)',
        event: {
          reason: 'PatchingALBIngress',
          message: "Updating Ingress `alb-rollout-ingress` to desiredWeight '0'",
        },
        object: {
          ...before,
          metadata: {
            ...before.metadata,
            annotations: {
              'kubernetes.io/ingress.class': 'alb',
              [ACTION]: forward(0),
              [MANAGED]: `{"rollouts-demo":["${ACTION}"]}`,
            },
          },
        },
      },
    ],
  });
  applyPlan(objects, plan);
  expect(router.read(objects)).toEqual({ weight: 0 });
  expect(router.plan(objects, intent(0))).toEqual({ writes: [] });
  const second = writesOf(router.plan(objects, intent(20)));
  expect(second.map((w) => w.event?.message)).toEqual([
    "Updating Ingress `alb-rollout-ingress` to desiredWeight '20'",
  ]);
  applyPlan(objects, { writes: second });
  const after = objects.get('ingresses', 'default', 'alb-rollout-ingress')!;
  expect(after.metadata.annotations?.[ACTION]).toBe(forward(20));
  expect(after.spec).toEqual(before.spec);
  expect(router.read(objects)).toEqual({ weight: 20 });
});

test.each([
  [
    'rootService names the action',
    { rootService: 'action1' },
    'stable-service',
    'alb.ingress.kubernetes.io/actions.action1',
    'action1',
  ],
  [
    'the stableService names it without rootService',
    { rootService: undefined },
    'stable-service',
    'alb.ingress.kubernetes.io/actions.stable-service',
    'stable-service',
  ],
  [
    'a custom annotationPrefix',
    { annotationPrefix: 'custom.alb.io' },
    'stable-service',
    'custom.alb.io/actions.action1',
    'action1',
  ],
  [
    'an empty annotationPrefix is the default',
    { annotationPrefix: '' },
    'stable-service',
    'alb.ingress.kubernetes.io/actions.action1',
    'action1',
  ],
])('%s', (_, config, stableService, key, path) => {
  const objects = withIngresses(ingress('alb-rollout-ingress', path));
  const router = new AlbRouter(setup(config, { stableService }));
  const [write] = writesOf(router.plan(objects, intent(30)));
  expect(write?.action === 'update' && write.object.metadata.annotations).toEqual({
    'kubernetes.io/ingress.class': 'alb',
    [key]: forward(30),
    [MANAGED]: `{"rollouts-demo":["${key}"]}`,
  });
});

test.each([
  [
    'enabled: written after the target groups',
    { enabled: true, durationSeconds: 300 },
    forward(10, ',"TargetGroupStickinessConfig":{"Enabled":true,"DurationSeconds":300}'),
  ],
  ['disabled: left out', { enabled: false, durationSeconds: 0 }, forward(10)],
])('stickinessConfig %s', (_, stickinessConfig, text) => {
  const objects = withIngresses(ingress());
  const [write] = writesOf(new AlbRouter(setup({ stickinessConfig })).plan(objects, intent(10)));
  expect(write?.action === 'update' && write.object.metadata.annotations?.[ACTION]).toBe(text);
});

test.each([0, -1, 604801])('stickiness of %s seconds is a problem, as in Argo', (durationSeconds) => {
  const objects = withIngresses(ingress());
  const plan = new AlbRouter(setup({ stickinessConfig: { enabled: true, durationSeconds } })).plan(
    objects,
    intent(10),
  );
  expect(plan).toMatchObject({
    problem: {
      object: 'Rollout default/rollouts-demo',
      field: 'spec.strategy.canary.trafficRouting.alb.stickinessConfig.durationSeconds',
    },
  });
});

test('ingresses: one update each, in order; read agrees only when every Ingress does', () => {
  const objects = withIngresses(
    ingress('alb-rollout-multi-ingress-1'),
    ingress('alb-rollout-multi-ingress-2'),
  );
  const router = new AlbRouter(
    setup({ ingress: undefined, ingresses: ['alb-rollout-multi-ingress-1', 'alb-rollout-multi-ingress-2'] }),
  );
  expect(router.watches().map((w) => w.name)).toEqual([
    'alb-rollout-multi-ingress-1',
    'alb-rollout-multi-ingress-2',
  ]);
  const plan = router.plan(objects, intent(25));
  expect(writesOf(plan).map((w) => w.message)).toEqual([
    'Ingress default/alb-rollout-multi-ingress-1: canary weight 25 (canary-service), stable 75 (stable-service)',
    'Ingress default/alb-rollout-multi-ingress-2: canary weight 25 (canary-service), stable 75 (stable-service)',
  ]);
  applyPlan(objects, plan);
  expect(router.read(objects)).toEqual({ weight: 25 });
  const second = objects.get('ingresses', 'default', 'alb-rollout-multi-ingress-2')!;
  second.metadata.annotations = { ...second.metadata.annotations, [ACTION]: forward(50) };
  objects.put('ingresses', second);
  expect(router.read(objects)).toEqual({ weight: undefined });
  // only the one that differs is written
  expect(writesOf(router.plan(objects, intent(25))).map((w) => w.message)).toEqual([
    'Ingress default/alb-rollout-multi-ingress-2: canary weight 25 (canary-service), stable 75 (stable-service)',
  ]);
  objects.remove('ingresses', 'default', 'alb-rollout-multi-ingress-2');
  expect(router.read(objects)).toMatchObject({
    problem: {
      object: 'Ingress default/alb-rollout-multi-ingress-2',
      field: 'spec.strategy.canary.trafficRouting.alb.ingresses[1]',
    },
  });
});

test('a header route: its action, its conditions and a path naming it; taken out again when no longer in force', () => {
  const objects = withIngresses(ingress());
  const router = new AlbRouter(setup());
  applyPlan(objects, router.plan(objects, intent(20, [], ['header-route'])));
  const weighted = objects.get('ingresses', 'default', 'alb-rollout-ingress')!;
  const plan = router.plan(objects, intent(20, [HEADER_ROUTE], ['header-route']));
  expect(writesOf(plan).map((w) => [w.message, w.event?.message])).toEqual([
    [
      'Ingress default/alb-rollout-ingress: canary weight 20 (canary-service), stable 80 (stable-service), header routes header-route',
      "Updating Ingress `alb-rollout-ingress` to headerRoute 'header-route'",
    ],
  ]);
  applyPlan(objects, plan);
  const routed = objects.get('ingresses', 'default', 'alb-rollout-ingress')!;
  expect(routed.metadata.annotations).toEqual({
    'kubernetes.io/ingress.class': 'alb',
    [ACTION]: forward(20),
    'alb.ingress.kubernetes.io/actions.header-route':
      '{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"canary-service","ServicePort":"8080","Weight":100}]}}',
    'alb.ingress.kubernetes.io/conditions.header-route':
      '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"Custom-Header","values":["Mozilla*"]}}]',
    [MANAGED]:
      '{"rollouts-demo":["alb.ingress.kubernetes.io/actions.action1","alb.ingress.kubernetes.io/actions.header-route","alb.ingress.kubernetes.io/conditions.header-route"]}',
  });
  expect((routed.spec as { rules: { http: { paths: unknown[] } }[] }).rules[0]!.http.paths).toEqual([
    {
      path: '/*',
      pathType: 'ImplementationSpecific',
      backend: { service: { name: 'header-route', port: { name: 'use-annotation' } } },
    },
    {
      path: '/*',
      pathType: 'ImplementationSpecific',
      backend: { service: { name: 'action1', port: { name: 'use-annotation' } } },
    },
  ]);
  expect(router.read(objects)).toEqual({ weight: 20 });
  expect(router.plan(objects, intent(20, [HEADER_ROUTE], ['header-route']))).toEqual({ writes: [] });
  const removal = router.plan(objects, intent(20, [], ['header-route']));
  expect(writesOf(removal).map((w) => w.event?.message)).toEqual([
    'Updating Ingress `alb-rollout-ingress` removing managed routes',
  ]);
  applyPlan(objects, removal);
  const back = objects.get('ingresses', 'default', 'alb-rollout-ingress')!;
  expect(back.metadata.annotations).toEqual(weighted.metadata.annotations);
  expect(back.spec).toEqual(weighted.spec);
});

test('a header route goes into every rule of every Ingress, managed routes first in managedRoutes order', () => {
  const two = ingress();
  const spec = two.spec as { rules: Record<string, unknown>[] };
  spec.rules.push(
    {
      host: 'b.example',
      http: {
        paths: [
          { path: '/b', pathType: 'Prefix', backend: { service: { name: 'other', port: { number: 80 } } } },
        ],
      },
    },
    { host: 'no-http.example' },
  );
  const objects = withIngresses(two);
  const router = new AlbRouter(setup());
  const route = (name: string): ManagedRoute => ({ ...HEADER_ROUTE, name });
  applyPlan(objects, router.plan(objects, intent(10, [route('second')], ['first', 'second'])));
  applyPlan(
    objects,
    router.plan(objects, intent(10, [route('first'), route('second')], ['first', 'second'])),
  );
  const rules = (objects.get('ingresses', 'default', 'alb-rollout-ingress')!.spec as typeof spec).rules;
  const names = rules.map((r) =>
    ((r.http as { paths?: { backend: { service: { name: string } } }[] } | undefined)?.paths ?? []).map(
      (p) => p.backend.service.name,
    ),
  );
  expect(names).toEqual([['first', 'second', 'action1'], ['first', 'second', 'other'], []]);
  expect(rules[2]).toEqual({ host: 'no-http.example' });
  const managed = objects.get('ingresses', 'default', 'alb-rollout-ingress')!.metadata.annotations?.[MANAGED];
  expect(JSON.parse(managed ?? '')).toEqual({
    'rollouts-demo': [
      ACTION,
      'alb.ingress.kubernetes.io/actions.second',
      'alb.ingress.kubernetes.io/conditions.second',
      'alb.ingress.kubernetes.io/actions.first',
      'alb.ingress.kubernetes.io/conditions.first',
    ],
  });
});

test.each([
  [
    'two values of one header: one condition with both (Argo upsertCondition)',
    [
      { headerName: 'origin', headerValue: { exact: 'https://www.fake-origin1.com' } },
      { headerName: 'origin', headerValue: { exact: 'https://www.fake-origin2.com' } },
    ],
    '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"origin","values":["https://www.fake-origin1.com","https://www.fake-origin2.com"]}}]',
  ],
  [
    'two headers: a condition each, in match order',
    [
      { headerName: 'origin', headerValue: { exact: 'https://www.fake-origin1.com' } },
      { headerName: 'Agent', headerValue: { exact: 'Chrome' } },
    ],
    '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"origin","values":["https://www.fake-origin1.com"]}},{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"Agent","values":["Chrome"]}}]',
  ],
  [
    "Go's escapes for <, > and &",
    [{ headerName: 'X-Q', headerValue: { exact: 'a<b>&"c"' } }],
    '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"X-Q","values":["a\\u003cb\\u003e\\u0026\\"c\\""]}}]',
  ],
])('header conditions: %s', (_, match, text) => {
  const objects = withIngresses(ingress());
  const route: ManagedRoute = { type: 'header', name: 'header-route', match };
  const [write] = writesOf(new AlbRouter(setup()).plan(objects, intent(0, [route], ['header-route'])));
  expect(
    write?.action === 'update' &&
      write.object.metadata.annotations?.['alb.ingress.kubernetes.io/conditions.header-route'],
  ).toBe(text);
});

test('a mirror route changes nothing (Argo: SetMirrorRoute is a no-op for ALB); no managedRoutes leaves the paths alone', () => {
  const objects = withIngresses(ingress());
  const router = new AlbRouter(setup());
  applyPlan(objects, router.plan(objects, intent(10)));
  const mirror: ManagedRoute = {
    type: 'mirror',
    name: 'mirror-route',
    match: [{ method: { exact: 'GET' } }],
  };
  expect(router.plan(objects, intent(10, [mirror], ['mirror-route']))).toEqual({ writes: [] });
  expect(router.plan(objects, intent(10, [], ['mirror-route']))).toEqual({ writes: [] });
});

test.each([
  ['pong stable (status unset)', { stable: 'pong-service', canary: 'ping-service' }],
  ['ping stable', { stable: 'ping-service', canary: 'pong-service' }],
])('ping-pong, %s: the target groups are the pair, canary first', (_, services) => {
  const objects = withIngresses(ingress('alb-canary-ingress', 'alb-rollout-root'));
  const router = new AlbRouter({
    ...setup({ ingress: 'alb-canary-ingress', rootService: 'alb-rollout-root', servicePort: 80 }),
    services,
    stableService: '',
  });
  const plan = router.plan(objects, intent(25));
  applyPlan(objects, plan);
  const annotations = objects.get('ingresses', 'default', 'alb-canary-ingress')!.metadata.annotations;
  expect(annotations?.['alb.ingress.kubernetes.io/actions.alb-rollout-root']).toBe(
    `{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"${services.canary}","ServicePort":"80","Weight":25},{"ServiceName":"${services.stable}","ServicePort":"80","Weight":75}]}}`,
  );
  expect(router.read(objects)).toEqual({ weight: 25 });
});

/** functional/alb-pingpong-rollout.yaml's Rollout, with the ping-pong roles status.canary.stablePingPong says. */
function pingPongRollout(stablePingPong?: 'ping' | 'pong'): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'alb-canary', namespace: 'default', uid: 'u' },
    spec: {
      strategy: {
        canary: {
          pingPong: { pingService: 'ping-service', pongService: 'pong-service' },
          trafficRouting: {
            alb: { ingress: 'alb-canary-ingress', rootService: 'alb-rollout-root', servicePort: 80 },
          },
          steps: [{ setWeight: 25 }],
        },
      },
    },
    ...(stablePingPong ? { status: { canary: { stablePingPong } } } : {}),
  } as Rollout;
}

test.each([
  [undefined, 'ping-service'],
  ['pong' as const, 'ping-service'],
  ['ping' as const, 'pong-service'],
])('routersFor: stablePingPong %s makes %s the canary target group', (stablePingPong, canary) => {
  const routers = routersFor(pingPongRollout(stablePingPong));
  expect(routers.map((r) => [r.type, r.verifiable])).toEqual([['ALB', false]]);
  const objects = withIngresses(ingress('alb-canary-ingress', 'alb-rollout-root'));
  const [write] = writesOf(routers[0]!.plan(objects, intent(40)));
  const text =
    write?.action === 'update'
      ? write.object.metadata.annotations?.['alb.ingress.kubernetes.io/actions.alb-rollout-root']
      : '';
  expect(JSON.parse(text ?? '').ForwardConfig.TargetGroups[0]).toEqual({
    ServiceName: canary,
    ServicePort: '80',
    Weight: 40,
  });
});

test("other Rollouts' records and annotations are kept; the record's Rollouts are sorted, as Go writes a map", () => {
  const shared = ingress();
  shared.metadata.annotations = {
    ...shared.metadata.annotations,
    [MANAGED]: '{"zeta":["alb.ingress.kubernetes.io/actions.z"],"alpha":null}',
    'alb.ingress.kubernetes.io/actions.z': 'owned by zeta',
    'rollouts.argoproj.io/managed-alb-actions': 'old:record',
  };
  const objects = withIngresses(shared);
  const [write] = writesOf(new AlbRouter(setup()).plan(objects, intent(5)));
  expect(write?.action === 'update' && write.object.metadata.annotations).toEqual({
    ...shared.metadata.annotations,
    [ACTION]: forward(5),
    [MANAGED]: `{"alpha":null,"rollouts-demo":["${ACTION}"],"zeta":["alb.ingress.kubernetes.io/actions.z"]}`,
  });
});

test.each([
  [
    'Argo lowercase keys, as the AWS docs write them',
    '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"canary-service","servicePort":"8080","weight":35},{"serviceName":"stable-service","servicePort":"8080","weight":65}]}}',
    35,
  ],
  [
    'no canary target group: it gets nothing',
    '{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"stable-service","ServicePort":"8080","Weight":100}]}}',
    0,
  ],
  [
    'a canary target group without a weight',
    '{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"canary-service"}]}}',
    undefined,
  ],
  ['another action type', '{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503"}}', 0],
])('read: %s', (_, text, weight) => {
  const written = ingress();
  written.metadata.annotations = { [ACTION]: text };
  expect(new AlbRouter(setup()).read(withIngresses(written))).toEqual({ weight });
});

const HOSTILE_ACTIONS: [string, string][] = [
  ['not JSON', '{"Type":"forward",'],
  ['empty', ''],
  ['a number', '42'],
  ['a list', '[]'],
  ['null', 'null'],
  ['ForwardConfig a list', '{"ForwardConfig":[]}'],
  ['TargetGroups a string', '{"ForwardConfig":{"TargetGroups":"canary-service"}}'],
  ['a target group null', '{"ForwardConfig":{"TargetGroups":[null]}}'],
  [
    'a weight as a string',
    '{"ForwardConfig":{"TargetGroups":[{"ServiceName":"canary-service","Weight":"20"}]}}',
  ],
  ['a negative weight', '{"ForwardConfig":{"TargetGroups":[{"ServiceName":"stable-service","Weight":-1}]}}'],
  [
    'a fractional weight',
    '{"ForwardConfig":{"TargetGroups":[{"ServiceName":"canary-service","Weight":2.5}]}}',
  ],
  ['a Service name as a number', '{"ForwardConfig":{"TargetGroups":[{"ServiceName":7,"Weight":1}]}}'],
];

test.each(HOSTILE_ACTIONS)(
  'an action annotation that is %s is a problem for read and plan, never a throw',
  (_, text) => {
    const written = ingress();
    written.metadata.annotations = { [ACTION]: text };
    const objects = withIngresses(written);
    const router = new AlbRouter(setup());
    const problem = {
      problem: { object: 'Ingress default/alb-rollout-ingress', field: `metadata.annotations["${ACTION}"]` },
    };
    expect(router.read(objects)).toMatchObject(problem);
    expect(router.plan(objects, intent(10))).toMatchObject(problem);
  },
);

test.each([
  ['not JSON (Argo: TestErrorOnInvalidManagedBy)', 'test'],
  ['a list', '["rollouts-demo"]'],
  ['a Rollout mapped to a string', '{"rollouts-demo":"alb.ingress.kubernetes.io/actions.action1"}'],
  ['a key list holding a number', '{"rollouts-demo":[1]}'],
])('a managed-alb-annotations record that is %s is a problem', (_, text) => {
  const written = ingress();
  written.metadata.annotations = { [MANAGED]: text };
  const objects = withIngresses(written);
  const router = new AlbRouter(setup());
  const problem = {
    problem: { object: 'Ingress default/alb-rollout-ingress', field: `metadata.annotations["${MANAGED}"]` },
  };
  expect(router.read(objects)).toMatchObject(problem);
  expect(router.plan(objects, intent(10))).toMatchObject(problem);
});

/** An Ingress whose spec is `spec`. */
const shaped = (spec: unknown): RouteObject => ({ ...ingress(), spec });
const toAction = (port: unknown) => ({ backend: { service: { name: 'action1', port } } });

test.each([
  ['missing', undefined, 'spec.strategy.canary.trafficRouting.alb.ingress', /does not exist/],
  [
    'without a path to the action',
    shaped({
      rules: [{ http: { paths: [{ backend: { service: { name: 'other', port: { number: 80 } } } }] } }],
    }),
    'spec.rules[].http.paths[].backend.service.name',
    /ingress does not have service `action1` in rules/,
  ],
  [
    'with only a defaultBackend',
    shaped({ defaultBackend: { service: { name: 'action1', port: { name: 'use-annotation' } } } }),
    'spec.rules[].http.paths[].backend.service.name',
    /no path/,
  ],
  ['with no spec', shaped(undefined), 'spec.rules[].http.paths[].backend.service.name', /no path/],
  [
    'with rules that are not a list',
    shaped({ rules: 'action1' }),
    'spec.rules[].http.paths[].backend.service.name',
    /no path/,
  ],
  [
    'with resource backends and null paths',
    shaped({
      rules: [null, { http: { paths: [null, { backend: { resource: { kind: 'Bucket', name: 'b' } } }] } }],
    }),
    'spec.rules[].http.paths[].backend.service.name',
    /no path/,
  ],
  [
    'routing the action by port number',
    shaped({ rules: [{ http: { paths: [toAction({ number: 8080 })] } }] }),
    'spec.rules[0].http.paths[0].backend.service.port',
    /use-annotation/,
  ],
])('an Ingress %s is a problem for read and plan', (_, object, field, message) => {
  const objects = object ? withIngresses(object) : new FakeRouteObjects();
  const router = new AlbRouter(setup());
  const expected = {
    problem: {
      object: 'Ingress default/alb-rollout-ingress',
      field,
      message: expect.stringMatching(message),
    },
  };
  expect(router.read(objects)).toMatchObject(expected);
  expect(router.plan(objects, intent(10))).toMatchObject(expected);
});

test('a path to the action by port is fine beside one through use-annotation', () => {
  const objects = withIngresses(
    shaped({
      rules: [{ http: { paths: [toAction({ number: 8080 }), toAction({ name: 'use-annotation' })] } }],
    }),
  );
  expect(new AlbRouter(setup()).read(objects)).toEqual({ weight: undefined });
});

test('before the Ingress cache lists: waiting, or the list error as a problem; plan writes nothing', () => {
  const objects = withIngresses(ingress());
  const router = new AlbRouter(setup());
  objects.unlisted.set('ingresses', undefined);
  expect(router.read(objects)).toEqual({ waiting: 'the Ingress cache to list' });
  expect(router.plan(objects, intent(10))).toEqual({ writes: [] });
  objects.unlisted.set('ingresses', 'forbidden');
  expect(router.read(objects)).toEqual({
    problem: { object: 'Ingress objects', message: 'cannot be listed: forbidden' },
  });
});

test('no Ingress named (validation refuses it): nothing read, nothing written', () => {
  const router = new AlbRouter(setup({ ingress: undefined, ingresses: [] }));
  expect(router.watches()).toEqual([]);
  expect(router.read(new FakeRouteObjects())).toEqual({ weight: undefined });
  expect(router.plan(new FakeRouteObjects(), intent(10))).toEqual({ writes: [] });
});

/**
 * Fixtures Argo itself refuses: its rootService is not the Service its Ingresses' paths name (Argo's e2e
 * test of it runs only against AWS, when E2E_ALB_INGESS_ANNOTATIONS is set).
 */
const ARGO_BROKEN: Record<string, string> = {
  'test/e2e/functional/alb-canary-multi-ingress-rollout.yaml':
    'ingress does not have service `alb-canary-root` in rules',
};

/** Every ALB Rollout of Argo's corpus with the Ingresses of its file: written, read back, then no-op. */
const corpusAlbRollouts = () =>
  ['test/e2e/alb', 'test/e2e/header-routing', 'test/e2e/functional'].flatMap((folder) =>
    corpusFiles(folder, false).flatMap((file) => {
      const docs = corpusDocuments(file.path).flatMap((d) => (d.value ? [d.value] : []));
      const ingresses = docs.filter((d) => d.kind === 'Ingress') as RouteObject[];
      return docs
        .filter((d) => d.kind === 'Rollout')
        .filter((d) => !!(d as Rollout).spec.strategy?.canary?.trafficRouting?.alb)
        .map((d) => [file.file, d as Rollout, ingresses] as const);
    }),
  );

(COMPAT_CORPUS_PRESENT ? describe : describe.skip)(
  `Argo's ALB fixtures (${join(COMPAT_CORPUS, 'test/e2e')})`,
  () => {
    const cases = COMPAT_CORPUS_PRESENT ? corpusAlbRollouts() : [];
    test('there are some', () => expect(cases.length).toBeGreaterThanOrEqual(8));
    test.each(cases)('%s', (file, rollout, ingresses) => {
      const objects = withIngresses(...ingresses);
      const router = routersFor(rollout).find((r) => r.type === 'ALB')!;
      const names = (rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((r) => r.name);
      const steps = rollout.spec.strategy?.canary?.steps ?? [];
      const header = steps.find((s) => s.setHeaderRoute?.match)?.setHeaderRoute;
      const routes: ManagedRoute[] =
        header?.name && header.match ? [{ type: 'header', name: header.name, match: header.match }] : [];
      const broken = ARGO_BROKEN[file];
      if (broken) {
        expect(router.read(objects)).toMatchObject({ problem: { message: expect.stringContaining(broken) } });
        return;
      }
      expect(router.read(objects)).toEqual({ weight: undefined });
      const plan = router.plan(objects, intent(20, routes, names));
      expect(writesOf(plan)).toHaveLength(ingresses.length);
      applyPlan(objects, plan);
      expect(router.read(objects)).toEqual({ weight: 20 });
      expect(router.plan(objects, intent(20, routes, names))).toEqual({ writes: [] });
      applyPlan(objects, router.plan(objects, intent(0, [], names)));
      expect(router.read(objects)).toEqual({ weight: 0 });
    });
  },
);
