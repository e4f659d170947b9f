// The AWS ALB, APISIX, Traefik and Ambassador routers end to end: the real controller against testkit
// with the APISIX CRDs (as Argo's end-to-end suite installs them: objects checked against their
// schema) and CRDs of Traefik's and Ambassador's group, version and kind (schemaless: their objects are
// stored as written). For each, a walk (20% → pause → 50% → pause 1s → 100%) with the routing object
// checked after every step, and an abort (weight 0 before the canary is scaled down); for ALB,
// ping-pong across two updates. The safety observer checks every stored change.
import type { CanaryStep, Rollout } from '@ramp/api';
import { canary, canaryServices, service } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';
import { routeWeights } from '../testing/integration/route-weights';

const env = useHarness(60_000);
const WALK: CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '1s' } },
];

type Router = 'alb' | 'apisix' | 'traefik' | 'ambassador';
type Obj = { kind: string; metadata: { name: string } };

/** An Ingress the AWS Load Balancer Controller serves: its backend is the stable's action annotation. */
function albIngress(action = 'web-stable'): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'web-ingress',
      namespace: 'default',
      annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' },
    },
    spec: {
      ingressClassName: 'alb',
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
  } as unknown as Obj;
}

const objects: Record<Router, () => Obj[]> = {
  alb: () => [albIngress()],
  apisix: () => [
    {
      apiVersion: 'apisix.apache.org/v2',
      kind: 'ApisixRoute',
      metadata: { name: 'web-route', namespace: 'default' },
      spec: {
        http: [
          {
            name: 'web-rule',
            match: { hosts: ['web.example'], paths: ['/*'] },
            backends: [
              { serviceName: 'web-stable', servicePort: 80 },
              { serviceName: 'web-canary', servicePort: 80, weight: 0 },
            ],
          },
        ],
      },
    } as unknown as Obj,
  ],
  traefik: () => [
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'TraefikService',
      metadata: { name: 'web-ts', namespace: 'default' },
      spec: {
        weighted: {
          services: [
            { name: 'web-stable', port: 80 },
            { name: 'web-canary', port: 80 },
          ],
        },
      },
    } as unknown as Obj,
  ],
  ambassador: () => [
    {
      apiVersion: 'getambassador.io/v2',
      kind: 'Mapping',
      metadata: { name: 'web-mapping', namespace: 'default' },
      spec: { prefix: '/', service: 'web-stable:80' },
    } as unknown as Obj,
  ],
};

const routing: Record<Router, Record<string, unknown>> = {
  alb: { alb: { ingress: 'web-ingress', servicePort: 80 } },
  apisix: { apisix: { route: { name: 'web-route', rules: ['web-rule'] } } },
  traefik: { traefik: { weightedTraefikServiceName: 'web-ts' } },
  ambassador: { ambassador: { mappings: ['web-mapping'] } },
};

function routedRollout(router: Router, extra: Record<string, unknown> = {}): Rollout {
  return canary('web', WALK, {
    trafficRouting: routing[router],
    scaleDownDelaySeconds: 1,
    abortScaleDownDelaySeconds: 1,
    ...extra,
  });
}

async function deploy(router: Router): Promise<Harness> {
  const h = await env.start({ crds: ['apisix', 'traefik', 'ambassador'] });
  await h.create(...canaryServices('web'), ...objects[router]());
  await h.create(routedRollout(router));
  await h.startController();
  await h.waitForPhase('web', 'Healthy');
  return h;
}

/** The canary's share in the Rollout's one routing object (the Ambassador canary Mapping absent: 0). */
function weight(h: Harness): number | undefined {
  const weights = routeWeights(h.cluster.store, h.rollout('web'), 'default');
  return weights.length === 1 ? weights[0]?.weight : undefined;
}

describe.each<Router>(['alb', 'apisix', 'traefik', 'ambassador'])('%s', (router) => {
  test('a walk: the routing object at every step, back to 0, the Services on the new revision', async () => {
    const h = await deploy(router);
    const v1 = h.rollout('web').status?.currentPodHash;
    await h.setImage('web', 'web:v2');
    const at20 = await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
    const v2 = at20.status?.currentPodHash;
    expect(weight(h)).toBe(20);
    expect(at20.status?.canary?.weights).toMatchObject({
      canary: { weight: 20, podTemplateHash: v2, serviceName: 'web-canary' },
      stable: { weight: 80, podTemplateHash: v1, serviceName: 'web-stable' },
    });
    // ALB's weights are never verified: Ramp does not call the AWS API
    expect(at20.status?.canary?.weights?.verified).toBe(router === 'alb' ? undefined : true);
    await h.promote('web');
    await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
    expect(weight(h)).toBe(50);
    await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === v2);
    await h.waitFor('the weight back to 0', () => weight(h) === 0);
    expect([h.selected('web-stable'), h.selected('web-canary')]).toEqual([v2, v2]);
    if (router === 'ambassador')
      await h.waitFor(
        'the canary Mapping deleted',
        () => !h.routeObject('getambassador.io/v2', 'Mapping', 'web-mapping-canary'),
      );
    await h.waitFor('the previous stable scaled down', () => h.counts('web')[v1!] === 0);
    h.observer.assertSafe();
    expect(h.invalidWrites()).toEqual([]);
    expect(await h.writesWhileIdle()).toEqual([]);
  });

  test('abort at 50%: the weight back to 0 before the canary is scaled down', async () => {
    const h = await deploy(router);
    await h.setImage('web', 'web:v2');
    await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
    await h.promote('web');
    await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
    const v2 = h.rollout('web').status?.currentPodHash;
    await h.abort('web');
    await h.waitForPhase('web', 'Degraded');
    await h.waitFor('the weight back to 0', () => weight(h) === 0);
    await h.waitFor('the canary scaled down', () => h.counts('web')[v2!] === 0, 10_000);
    h.observer.assertSafe();
    expect(h.invalidWrites()).toEqual([]);
  });
});

test('ALB ping-pong across two updates: the pair swaps roles at each end, the action forwards to the new stable', async () => {
  const h = await env.start();
  await h.create(service('web-ping', 'web'), service('web-pong', 'web'), albIngress('web-root'));
  await h.create(service('web-root', 'web'));
  const ro = routedRollout('alb', {
    trafficRouting: { alb: { ingress: 'web-ingress', servicePort: 80, rootService: 'web-root' } },
    pingPong: { pingService: 'web-ping', pongService: 'web-pong' },
  });
  const spec = ro.spec.strategy!.canary!;
  delete spec.canaryService;
  delete spec.stableService;
  await h.create(ro);
  await h.startController();
  await h.waitForPhase('web', 'Healthy');
  expect(h.rollout('web').status?.canary?.stablePingPong).toBe('ping');
  for (const [image, canarySvc, stableAfter] of [
    ['web:v2', 'web-pong', 'pong'],
    ['web:v3', 'web-ping', 'ping'],
  ] as const) {
    await h.setImage('web', image);
    const paused = await h.waitForPhase('web', 'Paused', (r) => r.status?.currentStepIndex === 1);
    const hash = paused.status?.currentPodHash;
    expect(h.selected(canarySvc)).toBe(hash);
    expect(weight(h)).toBe(20);
    expect(paused.status?.canary?.weights?.canary.serviceName).toBe(canarySvc);
    await h.promote('web');
    await h.waitForPhase('web', 'Healthy', (r) => r.status?.stableRS === hash);
    await h.waitFor(`${canarySvc} the stable with all the traffic`, () =>
      h.rollout('web').status?.canary?.stablePingPong === stableAfter && weight(h) === 0 ? true : undefined,
    );
    expect(h.selected(canarySvc)).toBe(hash);
  }
  h.observer.assertSafe();
  expect(h.invalidWrites()).toEqual([]);
});
