// The Gateway API router's pure change, from routes as the plugin's users write them (its chainsaw
// e2e case "advanced-header-based-httproute" is the first table), read back, and planned again.
import type { GatewayAPIPluginConfig } from '@ramp/api';
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import { GatewayApiRouter } from './gateway-api-router';
import type { ManagedRoute, RouteIntent, RouteObject, RouteWrite } from './router';

const STABLE = 'web-stable';
const CANARY = 'web-canary';

function router(config: GatewayAPIPluginConfig, maxWeight = 100) {
  return new GatewayApiRouter({
    namespace: 'default',
    config,
    services: { canary: CANARY, stable: STABLE },
    configPath: 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]',
    maxWeight,
  });
}

function httpRoute(name: string, rules: unknown[], labels?: Record<string, string>): RouteObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { parentRefs: [{ name: 'gw' }], rules },
  };
}

const splitRule = () => ({
  backendRefs: [
    { name: STABLE, port: 80 },
    { name: CANARY, port: 80 },
  ],
});

const intent = (
  weight: number,
  managedRoutes: ManagedRoute[] = [],
  managedNames?: string[],
): RouteIntent => ({
  weight,
  maxWeight: 100,
  managedRoutes,
  managedNames: managedNames ?? managedRoutes.map((r) => r.name),
});

const header = (name: string, headerName: string, exact: string): ManagedRoute => ({
  type: 'header',
  name,
  match: [{ headerName, headerValue: { exact } }],
});

/** Applies the writes, then fills in what the Gateway API CRDs default (weight 1, group, kind, path). */
function applyWithDefaults(objects: FakeRouteObjects, writes: RouteWrite[]): void {
  for (const write of writes) objects.apply(write);
  for (const route of objects.list('httproutes', 'default')) {
    const rules = (route.spec as { rules: Record<string, unknown>[] }).rules;
    for (const rule of rules) {
      for (const ref of (rule.backendRefs as Record<string, unknown>[]) ?? []) {
        ref.weight ??= 1;
        ref.group ??= '';
        ref.kind ??= 'Service';
      }
      for (const m of (rule.matches as Record<string, unknown>[]) ?? [])
        m.path ??= { type: 'PathPrefix', value: '/' };
    }
    objects.put('httproutes', route);
  }
}

const rulesOf = (o: RouteObject | undefined) =>
  (o?.spec as { rules?: Record<string, unknown>[] } | undefined)?.rules ?? [];
const weightsOf = (rule: Record<string, unknown> | undefined) =>
  ((rule?.backendRefs as { name: string; weight?: number }[]) ?? []).map(
    (r) => `${r.name}=${r.weight ?? '-'}`,
  );

describe('the plugin chainsaw case advanced-header-based-httproute', () => {
  const objects = new FakeRouteObjects();
  objects.put('httproutes', httpRoute('route', [splitRule()]));
  const r = router({ httpRoutes: [{ name: 'route', useHeaderRoutes: true }], namespace: 'default' });
  const names = ['canary-route1', 'canary-route2'];
  const step = (weight: number, routes: ManagedRoute[]) => {
    const plan = r.plan(objects, intent(weight, routes, names));
    if (!('writes' in plan)) throw new Error(JSON.stringify(plan));
    applyWithDefaults(objects, plan.writes);
    return plan.writes;
  };

  test('as written: both backends weigh 1, read back as a 50/50 split', () => {
    expect(r.read(objects)).toEqual({ weight: 50 });
    expect(r.watches()).toEqual([{ resource: 'httproutes', namespace: 'default', name: 'route' }]);
  });

  test('setWeight 30 and the first header route: the split, then the managed rule after it', () => {
    const writes = step(30, [header('canary-route1', 'X-Test', 'test')]);
    expect(writes.map((w) => w.message)).toEqual([
      'HTTPRoute default/route: canary weight 30, stable 70, managed routes canary-route1',
    ]);
    const rules = rulesOf(objects.get('httproutes', 'default', 'route'));
    expect(rules).toHaveLength(2);
    expect(weightsOf(rules[0])).toEqual([`${STABLE}=70`, `${CANARY}=30`]);
    expect(rules[1]).toMatchObject({
      name: 'canary-route1',
      matches: [{ headers: [{ name: 'X-Test', type: 'Exact', value: 'test' }] }],
      backendRefs: [{ name: CANARY, port: 80 }],
    });
    expect(r.read(objects)).toEqual({ weight: 30 });
    expect(objects.get('httproutes', 'default', 'route')?.metadata.labels).toEqual({
      'rollouts.argoproj.io/gatewayapi-canary': 'in-progress',
    });
  });

  test('planned again on the stored route (with the CRD defaults filled in): nothing to write', () => {
    expect(step(30, [header('canary-route1', 'X-Test', 'test')])).toEqual([]);
  });

  test('setWeight 90 and the second header route: three rules, the header rules keep one canary backend', () => {
    step(90, [header('canary-route1', 'X-Test', 'test'), header('canary-route2', 'X-Version', 'v2')]);
    const rules = rulesOf(objects.get('httproutes', 'default', 'route'));
    expect(rules.map((x) => x.name ?? '(user)')).toEqual(['(user)', 'canary-route1', 'canary-route2']);
    expect(weightsOf(rules[0])).toEqual([`${STABLE}=10`, `${CANARY}=90`]);
    expect(weightsOf(rules[1])).toEqual([`${CANARY}=1`]);
    expect(weightsOf(rules[2])).toEqual([`${CANARY}=1`]);
  });

  test('after the rollout: one rule, the canary at 0, the in-progress label gone', () => {
    step(0, []);
    const route = objects.get('httproutes', 'default', 'route');
    expect(rulesOf(route)).toHaveLength(1);
    expect(weightsOf(rulesOf(route)[0])).toEqual([`${STABLE}=100`, `${CANARY}=0`]);
    expect(route?.metadata.labels).toEqual({});
    expect(r.read(objects)).toEqual({ weight: 0 });
  });
});

describe('routes and rules', () => {
  test('httpRoute (the single field) gets header routes; a route of httpRoutes only with useHeaderRoutes', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('one', [splitRule()]));
    objects.put('httproutes', httpRoute('two', [splitRule()]));
    const r = router({ httpRoute: 'one', httpRoutes: [{ name: 'two' }] });
    const plan = r.plan(objects, intent(20, [header('h', 'X-Canary', 'yes')]));
    if (!('writes' in plan)) throw new Error('problem');
    applyWithDefaults(objects, plan.writes);
    expect(rulesOf(objects.get('httproutes', 'default', 'one'))).toHaveLength(2);
    expect(rulesOf(objects.get('httproutes', 'default', 'two'))).toHaveLength(1);
  });

  test('a header route on a rule with matches keeps each match and adds the headers; prefix becomes a regex', () => {
    const objects = new FakeRouteObjects();
    const rule = {
      matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'X-Tenant', value: 'a' }] }],
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-A', value: '1' }] } },
      ],
      ...splitRule(),
    };
    objects.put('httproutes', httpRoute('r', [rule]));
    const route: ManagedRoute = {
      type: 'header',
      name: 'beta',
      match: [{ headerName: 'X-Beta', headerValue: { prefix: 'v1.' } }],
    };
    const plan = router({ httpRoute: 'r' }).plan(objects, intent(10, [route]));
    if (!('writes' in plan)) throw new Error('problem');
    const rules = rulesOf(plan.writes[0]?.action === 'update' ? plan.writes[0].object : undefined);
    expect(rules[1]).toEqual({
      name: 'beta',
      matches: [
        {
          path: { type: 'PathPrefix', value: '/api' },
          headers: [
            { name: 'X-Tenant', value: 'a' },
            { name: 'X-Beta', type: 'RegularExpression', value: 'v1\\..*' },
          ],
        },
      ],
      filters: rule.filters,
      backendRefs: [{ group: '', kind: 'Service', name: CANARY, port: 80 }],
    });
  });

  test('a mirror route: the same backends for its matches, with a RequestMirror filter to the canary', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('r', [splitRule()]));
    const mirror: ManagedRoute = {
      type: 'mirror',
      name: 'shadow',
      match: [{ method: { exact: 'get' }, path: { prefix: '/search' } }],
      percentage: 25,
    };
    const plan = router({ httpRoute: 'r' }).plan(objects, intent(20, [mirror]));
    if (!('writes' in plan)) throw new Error('problem');
    const rules = rulesOf(plan.writes[0]?.action === 'update' ? plan.writes[0].object : undefined);
    expect(rules[1]).toEqual({
      name: 'shadow',
      matches: [{ path: { type: 'PathPrefix', value: '/search' }, method: 'GET' }],
      filters: [
        {
          type: 'RequestMirror',
          requestMirror: { backendRef: { group: '', kind: 'Service', name: CANARY, port: 80 }, percent: 25 },
        },
      ],
      backendRefs: [
        { name: STABLE, port: 80, weight: 80, group: '', kind: 'Service' },
        { name: CANARY, port: 80, weight: 20, group: '', kind: 'Service' },
      ],
    });
  });

  test('a mirror route matching a method by regex cannot be an HTTPRoute match: a problem naming the step', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('r', [splitRule()]));
    const mirror: ManagedRoute = { type: 'mirror', name: 'm', match: [{ method: { regex: 'GET|HEAD' } }] };
    expect(router({ httpRoute: 'r' }).plan(objects, intent(20, [mirror]))).toEqual({
      problem: {
        object: 'HTTPRoute default/r',
        field: 'setMirrorRoute "m"',
        message: 'match[0].method: an HTTPRoute matches a method exactly; use "exact" (GET, POST, ...)',
      },
    });
  });

  test('GRPCRoute: weights and header routes; TCPRoute and TLSRoute: weights only', () => {
    const objects = new FakeRouteObjects();
    for (const [resource, kind] of [
      ['grpcroutes', 'GRPCRoute'],
      ['tcproutes', 'TCPRoute'],
      ['tlsroutes', 'TLSRoute'],
    ] as const) {
      objects.put(resource, { ...httpRoute('r', [splitRule()]), kind });
    }
    const r = router({ grpcRoute: 'r', tcpRoute: 'r', tlsRoute: 'r' });
    const plan = r.plan(objects, intent(40, [header('h', 'X-Canary', 'yes')]));
    if (!('writes' in plan)) throw new Error('problem');
    expect(
      plan.writes.map((w) => `${w.resource} ${rulesOf(w.action === 'update' ? w.object : undefined).length}`),
    ).toEqual(['grpcroutes 2', 'tcproutes 1', 'tlsroutes 1']);
  });

  test('routes found by httpRouteSelector get weights and no header routes, as the plugin has it', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('a', [splitRule()], { canary: 'web' }));
    objects.put('httproutes', httpRoute('b', [splitRule()], { canary: 'other' }));
    const r = router({ httpRouteSelector: { matchLabels: { canary: 'web' } } });
    expect(r.watches()).toEqual([{ resource: 'httproutes', namespace: 'default' }]);
    const plan = r.plan(objects, intent(20, [header('h', 'X-Canary', 'yes')]));
    if (!('writes' in plan)) throw new Error('problem');
    expect(
      plan.writes.map((w) =>
        w.action === 'update' ? `${w.current.metadata.name} ${rulesOf(w.object).length}` : '',
      ),
    ).toEqual(['a 1']);
  });

  test('maxTrafficWeight: the stable gets the rest of it, and the split reads back on that scale', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('r', [splitRule()]));
    const r = router({ httpRoute: 'r' }, 1000);
    const plan = r.plan(objects, { ...intent(250), maxWeight: 1000 });
    if (!('writes' in plan)) throw new Error('problem');
    applyWithDefaults(objects, plan.writes);
    expect(weightsOf(rulesOf(objects.get('httproutes', 'default', 'r'))[0])).toEqual([
      `${STABLE}=750`,
      `${CANARY}=250`,
    ]);
    expect(r.read(objects)).toEqual({ weight: 250 });
  });

  test('the in-progress label: a custom key and value, or none at all', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('r', [splitRule()]));
    const custom = router({
      httpRoute: 'r',
      inProgressLabelKey: 'team/canary',
      inProgressLabelValue: 'yes',
    }).plan(objects, intent(5));
    const off = router({ httpRoute: 'r', disableInProgressLabel: true }).plan(objects, intent(5));
    const labels = (p: typeof custom) =>
      'writes' in p && p.writes[0]?.action === 'update' ? p.writes[0].object.metadata.labels : 'none';
    expect(labels(custom)).toEqual({ 'team/canary': 'yes' });
    expect(labels(off)).toBeUndefined();
  });

  test('too many rules for a route: a problem, not a write the API server would refuse', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('r', Array.from({ length: 9 }, splitRule)));
    const plan = router({ httpRoute: 'r' }).plan(objects, intent(10, [header('h', 'X-Canary', 'yes')]));
    expect(plan).toEqual({
      problem: {
        object: 'HTTPRoute default/r',
        field: 'spec.rules',
        message:
          'would hold 18 rules with the managed routes h, more than the 16 a route may have; split the route, or match fewer rules in the managed routes',
      },
    });
  });
});

describe('routes that cannot carry the canary', () => {
  test('a missing route names the route and the config field', () => {
    const objects = new FakeRouteObjects();
    expect(router({ httpRoutes: [{ name: 'nope' }] }).read(objects)).toEqual({
      problem: {
        object: 'HTTPRoute default/nope',
        field: 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoutes[0].name',
        message:
          'does not exist; create the HTTPRoute, or name an existing one at spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoutes[0].name',
      },
    });
  });

  test('a route with no rule to both Services, or rules that are not a list', () => {
    const objects = new FakeRouteObjects();
    objects.put('httproutes', httpRoute('only-stable', [{ backendRefs: [{ name: STABLE }] }]));
    objects.put('httproutes', { ...httpRoute('broken', []), spec: { rules: 'none' } });
    expect(router({ httpRoute: 'only-stable' }).read(objects)).toMatchObject({
      problem: { object: 'HTTPRoute default/only-stable', field: 'spec.rules[].backendRefs' },
    });
    expect(router({ httpRoute: 'broken' }).plan(objects, intent(0))).toMatchObject({
      problem: { object: 'HTTPRoute default/broken', field: 'spec.rules' },
    });
  });

  test('a selector that matches nothing, with no named route', () => {
    const objects = new FakeRouteObjects();
    expect(router({ httpRouteSelector: { matchLabels: { x: 'y' } } }).read(objects)).toMatchObject({
      problem: { message: expect.stringContaining('names no route and its selectors match none') },
    });
  });

  test('a cache that has not listed yet waits; one whose list fails is a problem', () => {
    const objects = new FakeRouteObjects();
    objects.unlisted.set('httproutes', undefined);
    expect(router({ httpRoute: 'r' }).read(objects)).toEqual({ waiting: 'the HTTPRoute cache to list' });
    objects.unlisted.set('httproutes', 'the API server does not serve httproutes.gateway.networking.k8s.io');
    expect(router({ httpRoute: 'r' }).read(objects)).toEqual({
      problem: {
        object: 'HTTPRoute objects',
        message: 'cannot be listed: the API server does not serve httproutes.gateway.networking.k8s.io',
      },
    });
  });

  test('rules a person wrote with the canary alone are theirs: only managed names are replaced', () => {
    const objects = new FakeRouteObjects();
    const preview = {
      name: 'preview',
      matches: [{ headers: [{ name: 'X-Preview', value: '1' }] }],
      backendRefs: [{ name: CANARY }],
    };
    objects.put('httproutes', httpRoute('r', [splitRule(), preview]));
    const plan = router({ httpRoute: 'r' }).plan(objects, intent(0, [], ['h']));
    if (!('writes' in plan)) throw new Error('problem');
    const rules = rulesOf(plan.writes[0]?.action === 'update' ? plan.writes[0].object : undefined);
    expect(rules.map((x) => x.name ?? '(split)')).toEqual(['(split)', 'preview']);
  });
});
