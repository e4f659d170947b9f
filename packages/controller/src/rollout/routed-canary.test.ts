// A routed canary walked on the fake cluster, for each router: the weights in the routing objects and
// in status.canary.weights, the replica counts and the Services after every step; abort, retry,
// promote-full, a new revision mid-rollout, managed routes, setCanaryScale, dynamicStableScale, a
// routing object deleted or broken mid-rollout, and a controller killed between the weight and the status.
import type { CanaryStep } from '@ramp/api';
import type { FakeCluster } from '../testing/rollout/fake-cluster';
import {
  CANARY,
  checkRouted,
  httpRoute,
  managedRules,
  type Router,
  routedCluster,
  routeWeight,
  STABLE,
} from '../testing/routing/routed-world';

const WALK: CanaryStep[] = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: 30 } }];

function converge(c: FakeCluster, router: Router) {
  return c.converge(40, () => checkRouted(c, router));
}

function deployed(
  router: Router,
  steps: CanaryStep[] = WALK,
  canary: Record<string, unknown> = {},
): FakeCluster {
  const c = routedCluster(router, steps, canary);
  converge(c, router);
  expect(c.rollout.status?.phase).toBe('Healthy');
  return c;
}

const resume = (c: FakeCluster) => c.patchStatus({ pauseConditions: [], controllerPause: true });
const hashOf = (c: FakeCluster, image: string) =>
  c.replicaSets.find((r) => r.spec.template.spec?.containers[0]?.image === image)?.metadata.labels?.[
    'rollouts-pod-template-hash'
  ];
const selector = (c: FakeCluster, svc: string) =>
  c.services.get(svc)?.spec.selector?.['rollouts-pod-template-hash'];

describe.each<Router>(['gateway', 'nginx', 'smi'])(
  'a %s canary walk: 20%, pause, 50%, pause 30s, 100%',
  (router) => {
    test('every step, then promotion and the previous stable kept 30 s', () => {
      const c = deployed(router);
      expect(routeWeight(c, router)).toBe(0);
      expect(c.rollout.status?.canary?.weights).toMatchObject({
        canary: { weight: 0 },
        stable: { weight: 100 },
        verified: true,
      });

      c.setImage('demo:2');
      converge(c, router);
      const v1 = hashOf(c, 'demo:1');
      const v2 = hashOf(c, 'demo:2');
      expect(c.rollout.status?.currentStepIndex).toBe(1);
      expect(routeWeight(c, router)).toBe(20);
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 1 });
      expect([selector(c, STABLE), selector(c, CANARY)]).toEqual([v1, v2]);
      expect(c.rollout.status?.canary?.weights).toEqual({
        canary: { weight: 20, podTemplateHash: v2, serviceName: CANARY },
        stable: { weight: 80, podTemplateHash: v1, serviceName: STABLE },
        verified: true,
      });
      expect(c.events).toContain('TrafficWeightUpdated: Traffic weight updated from 0 to 20');

      resume(c);
      converge(c, router);
      expect(c.rollout.status?.currentStepIndex).toBe(3);
      expect(routeWeight(c, router)).toBe(50);
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 3 });

      c.advance(30);
      c.plans.length = 0;
      converge(c, router);
      expect(c.rollout.status?.stableRS).toBe(v2);
      expect([selector(c, STABLE), selector(c, CANARY)]).toEqual([v2, v2]);
      expect(routeWeight(c, router)).toBe(0);
      // on the way: 100% to the canary, then the stable Service switched before the weight went back to 0
      const at100 = c.plans.findIndex((p) => p.status.canary?.weights?.canary.weight === 100);
      const switched = c.plans.findIndex((p) => p.updateServices.some((s) => s.name === STABLE));
      const back = c.plans.findIndex((p, i) => i > at100 && p.status.canary?.weights?.canary.weight === 0);
      expect(at100).toBeGreaterThanOrEqual(0);
      expect(switched).toBe(back);
      const order = c.writesOf(c.plans[back]!).map((w) => w.kind);
      expect(order.indexOf('service')).toBeLessThan(order.indexOf('route'));
      // the previous stable keeps its pods for scaleDownDelaySeconds (default 30 s)
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 5 });
      expect(c.rs(v1!)?.metadata.annotations?.['scale-down-deadline']).toBeDefined();
      c.advance(30);
      converge(c, router);
      expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
      expect(c.rollout.status?.phase).toBe('Healthy');
    });

    test('abort at 50%: the weight to 0 first, the canary scaled down 30 s after, then retry', () => {
      const c = deployed(router);
      c.setImage('demo:2');
      converge(c, router);
      resume(c);
      converge(c, router);
      expect(routeWeight(c, router)).toBe(50);
      c.patchStatus({ abort: true });
      c.plans.length = 0;
      converge(c, router);
      expect(routeWeight(c, router)).toBe(0);
      expect(selector(c, CANARY)).toBe(hashOf(c, 'demo:1'));
      // no scale-down in the plan that took the weight away; the canary keeps its pods until the deadline
      const first = c.plans[0]!;
      expect(first.status.canary?.weights?.canary.weight).toBe(0);
      expect(first.updateReplicaSets.every((u) => u.replicas === undefined)).toBe(true);
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 3 });
      expect(c.rollout.status?.phase).toBe('Degraded');
      c.advance(30);
      converge(c, router);
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0 });

      c.patchStatus({ abort: false });
      converge(c, router);
      expect(c.rollout.status?.currentStepIndex).toBe(1);
      expect(routeWeight(c, router)).toBe(20);
      expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 1 });
    });
  },
);

describe('routed canary cases (Gateway API)', () => {
  test('promote-full at 20%: the canary to full size, then promoted', () => {
    const c = deployed('gateway');
    c.setImage('demo:2');
    converge(c, 'gateway');
    c.patchStatus({ promoteFull: true });
    converge(c, 'gateway');
    expect(c.rollout.status?.stableRS).toBe(hashOf(c, 'demo:2'));
    expect(routeWeight(c, 'gateway')).toBe(0);
    c.advance(30);
    converge(c, 'gateway');
    expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
  });

  test('a new revision right after the promotion: the previous stable still keeps its pods for scaleDownDelaySeconds', () => {
    const c = deployed('gateway', [{ setWeight: 50 }, { pause: {} }]);
    c.setImage('demo:2');
    converge(c, 'gateway');
    resume(c);
    for (let i = 0; i < 20 && c.rollout.status?.stableRS !== hashOf(c, 'demo:2'); i++) {
      c.reconcile();
      c.settlePods();
    }
    const v1 = hashOf(c, 'demo:1')!;
    expect(c.rs(v1)?.metadata.annotations?.['scale-down-deadline']).toBeDefined();
    c.setImage('demo:3');
    converge(c, 'gateway');
    expect(c.counts()['demo:1']).toBe(5);
    c.advance(30);
    converge(c, 'gateway');
    expect(c.counts()['demo:1']).toBe(0);
  });

  test('a new revision at 20%: the weight back to 0, the interrupted revision scaled away, the new one walks', () => {
    const c = deployed('gateway');
    c.setImage('demo:2');
    converge(c, 'gateway');
    c.setImage('demo:3');
    converge(c, 'gateway');
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0, 'demo:3': 1 });
    expect(routeWeight(c, 'gateway')).toBe(20);
    expect(selector(c, CANARY)).toBe(hashOf(c, 'demo:3'));
  });

  test('header and mirror routes: added at their steps, kept through the pause, removed at promotion and on abort', () => {
    const steps: CanaryStep[] = [
      { setWeight: 10 },
      { setHeaderRoute: { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { exact: 'yes' } }] } },
      { setMirrorRoute: { name: 'shadow', match: [{ path: { prefix: '/api' } }], percentage: 50 } },
      { pause: {} },
      { setHeaderRoute: { name: 'beta' } },
      { pause: {} },
    ];
    const c = deployed('gateway', steps, {
      trafficRouting: { managedRoutes: [{ name: 'beta' }, { name: 'shadow' }] },
    });
    c.setImage('demo:2');
    converge(c, 'gateway');
    expect(c.rollout.status?.currentStepIndex).toBe(3);
    expect(managedRules(c)).toEqual(['beta', 'shadow']);
    resume(c);
    converge(c, 'gateway');
    expect(c.rollout.status?.currentStepIndex).toBe(5);
    expect(managedRules(c)).toEqual(['shadow']);
    c.patchStatus({ abort: true });
    converge(c, 'gateway');
    expect(managedRules(c)).toEqual([]);
    c.patchStatus({ abort: false });
    converge(c, 'gateway');
    expect(managedRules(c)).toEqual(['beta', 'shadow']);
    c.patchStatus({ promoteFull: true });
    converge(c, 'gateway');
    expect(managedRules(c)).toEqual([]);
  });

  test('setCanaryScale: replicas while the weight stays, then matchTrafficWeight', () => {
    const steps = [
      { setCanaryScale: { replicas: 2 } },
      { setWeight: 10 },
      { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } },
      { pause: {} },
    ];
    const c = deployed('gateway', steps);
    c.setImage('demo:2');
    converge(c, 'gateway');
    expect(c.rollout.status?.currentStepIndex).toBe(2);
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 2 });
    expect(routeWeight(c, 'gateway')).toBe(10);
    resume(c);
    converge(c, 'gateway');
    expect(c.rollout.status?.currentStepIndex).toBe(4);
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 1 });
  });

  test('dynamicStableScale: the stable shrinks only after the traffic left it, and grows back before an abort moves it', () => {
    const c = deployed('gateway', [{ setWeight: 60 }, { pause: {} }], { dynamicStableScale: true });
    c.setImage('demo:2');
    converge(c, 'gateway');
    expect(routeWeight(c, 'gateway')).toBe(60);
    expect(c.counts()).toEqual({ 'demo:1': 2, 'demo:2': 3 });
    c.patchStatus({ abort: true });
    converge(c, 'gateway');
    expect(routeWeight(c, 'gateway')).toBe(0);
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0 });
  });

  test('the route deleted mid-rollout: the Rollout waits with TrafficRouting False, nothing written; back on its return', () => {
    const c = deployed('gateway');
    c.setImage('demo:2');
    converge(c, 'gateway');
    c.routes.remove('httproutes', 'default', 'demo-route');
    resume(c);
    const plan = c.reconcile();
    expect(plan.updateReplicaSets).toEqual([]);
    expect(plan.routeWrites).toEqual([]);
    expect(plan.status.phase).toBe('Degraded');
    expect(plan.status.conditions?.find((x) => x.type === 'TrafficRouting')).toMatchObject({
      status: 'False',
      reason: 'TrafficRoutingError',
      message: expect.stringContaining(
        'HTTPRoute default/demo-route: spec.strategy.canary.trafficRouting.plugins',
      ),
    });
    expect(c.events.at(-1)).toMatch(/^TrafficRoutingError: HTTPRoute default\/demo-route/);
    expect(c.reconcile().events).toEqual([]);
    c.routes.put('httproutes', httpRoute());
    converge(c, 'gateway');
    expect(c.rollout.status?.conditions?.some((x) => x.type === 'TrafficRouting')).toBe(false);
    expect(c.rollout.status?.currentStepIndex).toBe(3);
    expect(routeWeight(c, 'gateway')).toBe(50);
  });

  test('a route made invalid mid-rollout (no backendRef to the canary): a clear condition, the weight left as it was', () => {
    const c = deployed('gateway');
    c.setImage('demo:2');
    converge(c, 'gateway');
    const route = c.routes.get('httproutes', 'default', 'demo-route')!;
    (route.spec as { rules: { backendRefs: { name: string }[] }[] }).rules[0]!.backendRefs = [
      { name: STABLE },
    ];
    c.routes.put('httproutes', route);
    const plan = c.reconcile();
    expect(plan.status.message).toContain(
      `HTTPRoute default/demo-route: spec.rules[].backendRefs: no rule sends traffic to both the canary Service "${CANARY}"`,
    );
    expect(plan.routeWrites).toEqual([]);
  });

  test('killed between the weight change and the status write: the next reconcile converges, nothing twice', () => {
    const c = deployed('gateway');
    c.setImage('demo:2');
    for (let i = 0; i < 40 && routeWeight(c, 'gateway') !== 20; i++) {
      const plan = c.decide();
      if (plan.routeWrites.length > 0) c.applyOnly(plan, (w) => w.kind !== 'status');
      else c.reconcile();
      c.settlePods();
    }
    expect(routeWeight(c, 'gateway')).toBe(20);
    expect(c.rollout.status?.canary?.weights?.canary.weight ?? 0).toBe(0);
    const events = c.events.length;
    converge(c, 'gateway');
    expect(c.rollout.status?.canary?.weights).toMatchObject({ canary: { weight: 20 }, verified: true });
    expect(c.events.slice(events).filter((e) => e.startsWith('TrafficRoutingUpdated'))).toEqual([]);
    expect(c.rollout.status?.currentStepIndex).toBe(1);
  });
});
