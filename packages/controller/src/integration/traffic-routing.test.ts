// Routed canaries end to end: the real controller against testkit with the upstream Gateway API and
// SMI CRDs installed (their CEL rules evaluated, so every object Ramp writes passes them), for each
// router a walk (20% → pause → 50% → pause 1s → 100%) checked after every step; abort and retry;
// header routes; a route deleted mid-rollout; a controller restarted mid-walk. The safety observer
// checks, on every stored change, that no weight goes to a canary Service without a ready pod and
// that the stable keeps the pods its share of the traffic needs.
import type { CanaryStep, Rollout } from '@ramp/api';
import { canary, canaryServices } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';

const env = useHarness(60_000);
const GW = 'gateway.networking.k8s.io/v1';
const WALK: CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '1s' } },
];

type Router = 'gateway' | 'nginx' | 'smi';

const routing = {
  gateway: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } },
  nginx: { nginx: { stableIngress: 'web-ingress' } },
  smi: { smi: {} },
};

function httpRoute(): Record<string, unknown> {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: 'web-route', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        {
          backendRefs: [
            { name: 'web-stable', port: 80 },
            { name: 'web-canary', port: 80 },
          ],
        },
      ],
    },
  };
}

function stableIngress(): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web-ingress', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'web.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web-stable', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

function routedRollout(
  router: Router,
  steps: CanaryStep[] = WALK,
  extra: Record<string, unknown> = {},
): Rollout {
  const ro = canary('web', steps, {
    trafficRouting: { ...routing[router], ...((extra.trafficRouting as object) ?? {}) },
    scaleDownDelaySeconds: 1,
    abortScaleDownDelaySeconds: 1,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'trafficRouting')),
  });
  return ro;
}

async function deploy(
  router: Router,
  steps?: CanaryStep[],
  extra?: Record<string, unknown>,
): Promise<Harness> {
  const h = await env.start({ crds: ['gateway-api-experimental', 'smi'] });
  await h.create(...canaryServices('web'));
  if (router === 'gateway') await h.create(httpRoute() as { kind: string; metadata: { name: string } });
  if (router === 'nginx') await h.create(stableIngress() as { kind: string; metadata: { name: string } });
  await h.create(routedRollout(router, steps, extra));
  await h.startController();
  await h.waitForPhase('web', 'Healthy');
  return h;
}

/** The canary's weight in the routing objects, as the server stores them. */
function weightIn(h: Harness, router: Router): number | undefined {
  if (router === 'gateway') {
    const route = h.routeObject(GW, 'HTTPRoute', 'web-route') as {
      spec: { rules: { backendRefs: { name: string; weight?: number }[] }[] };
    };
    return route.spec.rules[0]?.backendRefs.find((r) => r.name === 'web-canary')?.weight;
  }
  if (router === 'nginx') {
    const ingress = h.routeObject('networking.k8s.io/v1', 'Ingress', 'web-web-ingress-canary') as
      | { metadata: { annotations: Record<string, string> } }
      | undefined;
    return ingress
      ? Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'])
      : undefined;
  }
  const split = h.routeObject('split.smi-spec.io/v1alpha4', 'TrafficSplit', 'web') as
    | { spec: { backends: { service: string; weight: number }[] } }
    | undefined;
  return split?.spec.backends.find((b) => b.service === 'web-canary')?.weight;
}

const managedRules = (h: Harness) =>
  (
    h.routeObject(GW, 'HTTPRoute', 'web-route') as { spec: { rules: { name?: string }[] } }
  ).spec.rules.flatMap((r) => (r.name ? [r.name] : []));

describe.each<Router>(['gateway', 'nginx', 'smi'])('%s', (router) => {
  test('a walk: the routing objects, status.canary.weights, replicas and Services after every step', async () => {
    const h = await deploy(router);
    const v1 = h.rollout('web').status?.currentPodHash;
    expect(weightIn(h, router)).toBe(0);

    await h.setImage('web', 'web:v2');
    const at20 = await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
    const v2 = at20.status?.currentPodHash;
    expect(weightIn(h, router)).toBe(20);
    expect(at20.status?.canary?.weights).toEqual({
      canary: { weight: 20, podTemplateHash: v2, serviceName: 'web-canary' },
      stable: { weight: 80, podTemplateHash: v1, serviceName: 'web-stable' },
      verified: true,
    });
    expect(h.counts('web')).toEqual({ [v1!]: 5, [v2!]: 1 });
    expect([h.selected('web-stable'), h.selected('web-canary')]).toEqual([v1, v2]);

    await h.promote('web');
    await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
    expect(weightIn(h, router)).toBe(50);
    expect(h.counts('web')).toEqual({ [v1!]: 5, [v2!]: 3 });

    await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === v2);
    // the reconcile after the promotion switches the stable Service, then takes the weight back to 0
    const done = await h.waitFor('the weight back to 0', () => {
      const ro = h.rollout('web');
      const weights = ro.status?.canary?.weights;
      return weightIn(h, router) === 0 && weights?.canary.weight === 0 && weights.verified ? ro : undefined;
    });
    expect([h.selected('web-stable'), h.selected('web-canary')]).toEqual([v2, v2]);
    expect(done.status?.canary?.weights?.stable).toEqual({
      weight: 100,
      podTemplateHash: v2,
      serviceName: 'web-stable',
    });
    await h.waitFor('the previous stable scaled down after its delay', () => h.counts('web')[v1!] === 0);
    expect(h.invalidWrites()).toEqual([]);
    expect(await h.writesWhileIdle()).toEqual([]);
  });
});

test.each<Router>(['gateway', 'nginx', 'smi'])(
  '%s: abort at 50%%: the weight back to 0, the canary down after abortScaleDownDelaySeconds; retry walks again',
  async (router) => {
    const h = await deploy(router);
    await h.setImage('web', 'web:v2');
    await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
    await h.promote('web');
    await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
    const v2 = h.rollout('web').status?.currentPodHash;
    await h.abort('web');
    await h.waitForPhase('web', 'Degraded');
    await h.waitFor('the weight back to 0', () => weightIn(h, router) === 0);
    await h.waitFor('the canary scaled down', () => h.counts('web')[v2!] === 0, 10_000);
    // the canary kept its pods until the weight was 0
    const history = h.observer.replicasOf('web', v2!);
    expect(history.at(-1)).toBe(0);
    await h.retry('web');
    await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
    expect(weightIn(h, router)).toBe(20);
    expect(h.invalidWrites()).toEqual([]);
  },
);

test('header routes: added at their step (passing the CRD rules), removed at promotion', async () => {
  const steps: CanaryStep[] = [
    { setWeight: 10 },
    { setHeaderRoute: { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { exact: 'yes' } }] } },
    { pause: {} },
  ];
  const h = await deploy('gateway', steps, { trafficRouting: { managedRoutes: [{ name: 'beta' }] } });
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 2);
  expect(managedRules(h)).toEqual(['beta']);
  await h.promote('web');
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === ro.status?.currentPodHash);
  await h.waitFor('the managed rule gone', () => managedRules(h).length === 0);
  expect(h.invalidWrites()).toEqual([]);
});

test('the HTTPRoute deleted mid-rollout: TrafficRouting False naming it; recreated, the rollout goes on', async () => {
  const h = await deploy('gateway');
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  await h.client.delete(
    { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', namespaced: true },
    'web-route',
    {
      namespace: 'default',
    },
  );
  await h.promote('web');
  const stuck = await h.waitForPhase('web', 'Degraded');
  expect(stuck.status?.message).toMatch(
    /^TrafficRoutingError: HTTPRoute default\/web-route: .* does not exist/,
  );
  const counts = h.counts('web');
  await h.create(httpRoute() as { kind: string; metadata: { name: string } });
  await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
  expect(Object.values(counts)).toEqual([5, 1]);
  expect(h.rollout('web').status?.conditions?.some((c) => c.type === 'TrafficRouting')).toBe(false);
});

test('the controller restarted mid-walk picks up from the objects: no duplicate write, the walk ends', async () => {
  const h = await deploy('smi');
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  await h.stopController();
  await h.promote('web');
  await h.startController();
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === ro.status?.currentPodHash);
  const creates = h.requests.writes().filter((w) => w.startsWith('POST') && w.includes('trafficsplits'));
  expect(creates).toHaveLength(1);
  expect(h.invalidWrites()).toEqual([]);
});

test('promote-full at 20%: the canary to full size, then promoted, the route back to 0', async () => {
  const h = await deploy('gateway');
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const v2 = h.rollout('web').status?.currentPodHash;
  await h.promoteFull('web');
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === v2);
  await h.waitFor('the weight back to 0', () => weightIn(h, 'gateway') === 0);
  await h.waitFor(
    'the previous stable scaled down',
    () => Object.values(h.counts('web')).sort().join() === '0,5',
  );
  expect(h.invalidWrites()).toEqual([]);
});

test('dynamicStableScale: the stable shrinks to its share once the traffic left it, and grows back before an abort', async () => {
  const h = await deploy('gateway', [{ setWeight: 60 }, { pause: {} }], {
    dynamicStableScale: true,
    scaleDownDelaySeconds: undefined,
  });
  const v1 = h.rollout('web').status?.currentPodHash;
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const v2 = h.rollout('web').status?.currentPodHash;
  await h.waitFor('the stable at its share', () => h.counts('web')[v1!] === 2);
  expect(weightIn(h, 'gateway')).toBe(60);
  await h.abort('web');
  await h.waitFor('the weight back to 0', () => weightIn(h, 'gateway') === 0, 15_000);
  await h.waitFor('the canary scaled down', () => h.counts('web')[v2!] === 0, 15_000);
  expect(h.counts('web')[v1!]).toBe(5);
  expect(h.invalidWrites()).toEqual([]);
});
