// Istio canaries end to end: the real controller against testkit with Istio's CRDs installed (as Argo's
// end-to-end suite installs them, so every VirtualService and DestinationRule Ramp writes passes their
// schema). A host-level split walked and checked after every step; a subset-level split (the
// DestinationRule's subsets relabelled to the canary's and the stable's pod-template hashes) walked,
// aborted (weight 0 first, then the canary subset back on the stable's pods), retried, and given a new
// revision mid-rollout; header and mirror routes added in managedRoutes order and removed; the
// controller stopped between the subset relabel and the weight change; ping-pong across two updates.
// The safety observer checks, on every stored change, that no weight goes to a canary subset or
// Service without a ready pod, and that the stable keeps the pods its share needs.
import type { CanaryStep, Rollout } from '@ramp/api';
import { canary, canaryServices, service } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';
import { routeWeights, subsetHashes } from '../testing/integration/route-weights';

const env = useHarness(60_000);
const ISTIO = 'networking.istio.io/v1alpha3';
const WALK: CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '1s' } },
];

interface Destination {
  destination: { host: string; subset?: string; port?: { number: number } };
  weight?: number;
}
interface HttpRoute {
  name?: string;
  match?: unknown[];
  route: Destination[];
  mirror?: { host: string; subset?: string };
  mirrorPercentage?: { value: number };
}
interface VirtualService {
  metadata: { name: string };
  spec: { hosts: string[]; http: HttpRoute[] };
}
interface DestinationRule {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { host: string; subsets: { name: string; labels?: Record<string, string> }[] };
}

const dest = (host: string, weight: number, subset?: string): Destination => ({
  destination: { host, ...(subset ? { subset } : {}), port: { number: 80 } },
  weight,
});

/** Host-level: the primary route between two Services (ping-pong: the pair). */
function hostVirtualService(stable = 'web-stable', canaryHost = 'web-canary'): Record<string, unknown> {
  return {
    apiVersion: ISTIO,
    kind: 'VirtualService',
    metadata: { name: 'web-vsvc', namespace: 'default' },
    spec: {
      hosts: ['web.example'],
      http: [{ name: 'primary', route: [dest(stable, 100), dest(canaryHost, 0)] }],
    },
  };
}

/** Subset-level: one host, the DestinationRule's two subsets. */
function subsetVirtualService(): Record<string, unknown> {
  return {
    apiVersion: ISTIO,
    kind: 'VirtualService',
    metadata: { name: 'web-vsvc', namespace: 'default' },
    spec: {
      hosts: ['web.example'],
      http: [{ name: 'primary', route: [dest('web', 100, 'stable'), dest('web', 0, 'canary')] }],
    },
  };
}

function destinationRule(): Record<string, unknown> {
  return {
    apiVersion: ISTIO,
    kind: 'DestinationRule',
    metadata: { name: 'web-destrule', namespace: 'default' },
    spec: {
      host: 'web',
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
      subsets: [
        { name: 'canary', labels: { app: 'web' } },
        { name: 'stable', labels: { app: 'web' } },
      ],
    },
  };
}

type Mode = 'host' | 'subset';

function istioRollout(mode: Mode, steps: CanaryStep[], extra: Record<string, unknown> = {}): Rollout {
  const { trafficRouting, ...rest } = extra;
  const istio =
    mode === 'host'
      ? { virtualService: { name: 'web-vsvc', routes: ['primary'] } }
      : {
          virtualService: { name: 'web-vsvc', routes: ['primary'] },
          destinationRule: { name: 'web-destrule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
        };
  return canary('web', steps, {
    trafficRouting: { istio, ...((trafficRouting as object) ?? {}) },
    scaleDownDelaySeconds: 1,
    abortScaleDownDelaySeconds: 1,
    ...rest,
  });
}

type Obj = { kind: string; metadata: { name: string } };

async function deploy(mode: Mode, steps: CanaryStep[] = WALK, extra?: Record<string, unknown>) {
  const h = await env.start({ crds: ['istio'] });
  await h.create(...canaryServices('web'), service('web', 'web'));
  if (mode === 'host') await h.create(hostVirtualService() as Obj);
  else await h.create(subsetVirtualService() as Obj, destinationRule() as Obj);
  await h.create(istioRollout(mode, steps, extra));
  await h.startController();
  await h.waitForPhase('web', 'Healthy');
  return h;
}

const vs = (h: Harness) => h.routeObject(ISTIO, 'VirtualService', 'web-vsvc') as unknown as VirtualService;
const dr = (h: Harness) =>
  h.routeObject(ISTIO, 'DestinationRule', 'web-destrule') as unknown as DestinationRule;
/** The canary's weight in the VirtualService's primary route. */
const weight = (h: Harness): number | undefined => {
  const weights = routeWeights(h.cluster.store, h.rollout('web'), 'default');
  return weights.length === 1 ? weights[0]?.weight : undefined;
};
const subsets = (h: Harness) => subsetHashes(h.cluster.store, h.rollout('web'), 'default');
const routeNames = (h: Harness) => vs(h).spec.http.map((r) => r.name);

test('host-level split: the primary route weighted at every step, back to 0 at the end', async () => {
  const h = await deploy('host');
  const v1 = h.rollout('web').status?.currentPodHash;
  expect(weight(h)).toBe(0);
  await h.setImage('web', 'web:v2');
  const at20 = await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const v2 = at20.status?.currentPodHash;
  expect(vs(h).spec.http[0]?.route).toEqual([dest('web-stable', 80), dest('web-canary', 20)]);
  expect(at20.status?.canary?.weights).toEqual({
    canary: { weight: 20, podTemplateHash: v2, serviceName: 'web-canary' },
    stable: { weight: 80, podTemplateHash: v1, serviceName: 'web-stable' },
    verified: true,
  });
  await h.promote('web');
  await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
  expect(weight(h)).toBe(50);
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === v2);
  await h.waitFor('the weight back to 0', () => weight(h) === 0);
  expect([h.selected('web-stable'), h.selected('web-canary')]).toEqual([v2, v2]);
  // the VirtualService's other fields are as the user wrote them
  expect(vs(h).spec.hosts).toEqual(['web.example']);
  expect(h.invalidWrites()).toEqual([]);
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('subset-level split: the subsets relabelled, the walk, then both subsets on the new revision', async () => {
  const h = await deploy('subset');
  const v1 = h.rollout('web').status?.currentPodHash;
  await h.waitFor('both subsets on the stable', () => subsets(h).canary === v1 && subsets(h).stable === v1);
  expect(dr(h).metadata.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts']).toBe('web');
  // the DestinationRule's other fields are kept
  expect((dr(h).spec as unknown as { trafficPolicy: unknown }).trafficPolicy).toEqual({
    loadBalancer: { simple: 'ROUND_ROBIN' },
  });
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const v2 = h.rollout('web').status?.currentPodHash;
  expect(subsets(h)).toEqual({ canary: v2, stable: v1 });
  expect(vs(h).spec.http[0]?.route).toEqual([dest('web', 80, 'stable'), dest('web', 20, 'canary')]);
  expect(dr(h).spec.subsets.find((s) => s.name === 'canary')?.labels).toEqual({
    app: 'web',
    'rollouts-pod-template-hash': v2,
  });
  await h.promote('web');
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === v2);
  await h.waitFor(
    'weight 0, both subsets on v2',
    () => weight(h) === 0 && subsets(h).canary === v2 && subsets(h).stable === v2,
  );
  await h.waitFor('the previous stable scaled down', () => h.counts('web')[v1!] === 0);
  h.observer.assertSafe();
  expect(h.invalidWrites()).toEqual([]);
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('subset-level abort at 50%: weight 0 first, the canary subset back on the stable, then scaled down; retry', async () => {
  const h = await deploy('subset');
  const v1 = h.rollout('web').status?.currentPodHash;
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  await h.promote('web');
  await h.waitFor('50%', () => h.rollout('web').status?.currentStepIndex === 3);
  const v2 = h.rollout('web').status?.currentPodHash;
  await h.abort('web');
  await h.waitForPhase('web', 'Degraded');
  await h.waitFor(
    'the weight 0 and the DestinationRule as before the update',
    () => weight(h) === 0 && subsets(h).canary === v1 && subsets(h).stable === v1,
  );
  await h.waitFor('the canary scaled down', () => h.counts('web')[v2!] === 0, 10_000);
  h.observer.assertSafe();
  await h.retry('web');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  expect(weight(h)).toBe(20);
  expect(subsets(h)).toEqual({ canary: v2, stable: v1 });
  expect(h.invalidWrites()).toEqual([]);
});

test('subset-level: a new revision at 20%: the weight back to 0 before the canary subset moves to it', async () => {
  const h = await deploy('subset');
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const v2 = h.rollout('web').status?.currentPodHash;
  // every stored state of the pair: the canary's weight and the hash its subset selects
  const states: string[] = [];
  const unsubscribe = h.cluster.store.subscribe((change) => {
    if (change.object.kind === 'VirtualService' || change.object.kind === 'DestinationRule')
      states.push(`${weight(h)} ${subsets(h).canary}`);
  });
  await h.setImage('web', 'web:v3');
  await h.waitForPhase(
    'web',
    'Paused',
    (ro) => ro.status?.currentStepIndex === 1 && ro.status.currentPodHash !== v2,
  );
  unsubscribe();
  const v3 = h.rollout('web').status?.currentPodHash;
  expect(states).toContain(`0 ${v2}`);
  expect(states.indexOf(`0 ${v2}`)).toBeLessThan(states.indexOf(`0 ${v3}`));
  expect(states.at(-1)).toBe(`20 ${v3}`);
  // the canary subset never moved while its weight was above 0
  const moves = states.filter((st, i) => i > 0 && st.split(' ')[1] !== states[i - 1]!.split(' ')[1]);
  expect(moves.every((st) => st.startsWith('0 '))).toBe(true);
  h.observer.assertSafe();
  expect(h.invalidWrites()).toEqual([]);
});

test('header and mirror routes: placed first in managedRoutes order at their steps, removed at promotion', async () => {
  const steps: CanaryStep[] = [
    { setWeight: 10 },
    { setHeaderRoute: { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { exact: 'yes' } }] } },
    { setMirrorRoute: { name: 'shadow', percentage: 30, match: [{ method: { exact: 'GET' } }] } },
    { pause: {} },
  ];
  const h = await deploy('host', steps, {
    trafficRouting: { managedRoutes: [{ name: 'beta' }, { name: 'shadow' }] },
  });
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 3);
  expect(routeNames(h)).toEqual(['beta', 'shadow', 'primary']);
  const [header, mirror] = vs(h).spec.http;
  expect(header?.route.map((r) => [r.destination.host, r.weight])).toEqual([['web-canary', 100]]);
  expect(mirror?.mirror?.host).toBe('web-canary');
  expect(mirror?.mirrorPercentage).toEqual({ value: 30 });
  await h.promote('web');
  await h.waitForPhase('web', 'Healthy', (ro) => ro.status?.stableRS === ro.status?.currentPodHash);
  await h.waitFor('the managed routes gone', () => routeNames(h).join() === 'primary');
  expect(h.invalidWrites()).toEqual([]);
});

test('header route removed on abort', async () => {
  const steps: CanaryStep[] = [
    { setWeight: 10 },
    { setHeaderRoute: { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { prefix: 'y' } }] } },
    { pause: {} },
  ];
  const h = await deploy('subset', steps, { trafficRouting: { managedRoutes: [{ name: 'beta' }] } });
  await h.setImage('web', 'web:v2');
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 2);
  expect(routeNames(h)).toEqual(['beta', 'primary']);
  expect(vs(h).spec.http[0]?.route.map((r) => r.destination.subset)).toEqual(['canary']);
  await h.abort('web');
  await h.waitFor(
    'the header route gone, weight 0',
    () => routeNames(h).join() === 'primary' && weight(h) === 0,
  );
  expect(h.invalidWrites()).toEqual([]);
});

test('the controller stopped between the subset relabel and the weight change: it picks up, nothing routed to an empty subset', async () => {
  const h = await deploy('subset');
  const v1 = h.rollout('web').status?.currentPodHash;
  // every VirtualService write fails: the controller relabels the canary subset, then cannot move the weight
  h.cluster.failWrites('virtualservices', 1_000_000);
  await h.setImage('web', 'web:v2');
  const v2 = await h.waitFor('the canary subset relabelled to the new revision', () => {
    const hash = h.rollout('web').status?.currentPodHash;
    return hash !== v1 && subsets(h).canary === hash ? hash : undefined;
  });
  await h.waitFor(
    'the canary pods available',
    () => (h.replicaSet('web', v2)?.status?.availableReplicas ?? 0) > 0,
  );
  expect(weight(h)).toBe(0);
  await h.stopController();
  h.cluster.failWrites('virtualservices', 0);
  await h.startController();
  await h.waitForPhase('web', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  expect(weight(h)).toBe(20);
  expect(subsets(h)).toEqual({ canary: v2, stable: v1 });
  h.observer.assertSafe();
  expect(h.invalidWrites()).toEqual([]);
});

test('ping-pong across two updates: the pair swaps roles at each end, the stable never repointed', async () => {
  const h = await env.start({ crds: ['istio'] });
  await h.create(service('web-ping', 'web'), service('web-pong', 'web'));
  await h.create(hostVirtualService('web-ping', 'web-pong') as Obj);
  const ro = istioRollout('host', WALK, { pingPong: { pingService: 'web-ping', pongService: 'web-pong' } });
  const spec = ro.spec.strategy!.canary!;
  delete spec.canaryService;
  delete spec.stableService;
  await h.create(ro);
  await h.startController();
  await h.waitForPhase('web', 'Healthy');
  // the first deploy made ping the stable (as Argo's promoteStable does)
  expect(h.rollout('web').status?.canary?.stablePingPong).toBe('ping');
  const route = () =>
    vs(h)
      .spec.http[0]?.route.map((r) => `${r.destination.host}=${r.weight}`)
      .join(' ');
  for (const [image, canarySvc, stableAfter] of [
    ['web:v2', 'web-pong', 'pong'],
    ['web:v3', 'web-ping', 'ping'],
  ] as const) {
    await h.setImage('web', image);
    await h.waitForPhase('web', 'Paused', (r) => r.status?.currentStepIndex === 1);
    const hash = h.rollout('web').status?.currentPodHash;
    expect(h.selected(canarySvc)).toBe(hash);
    expect(weight(h)).toBe(20);
    await h.promote('web');
    await h.waitForPhase('web', 'Healthy', (r) => r.status?.stableRS === hash);
    await h.waitFor(`${canarySvc} the stable, with all the traffic`, () => {
      const r = h.rollout('web');
      return r.status?.canary?.stablePingPong === stableAfter && weight(h) === 0 ? r : undefined;
    });
    expect(route()).toBe(canarySvc === 'web-pong' ? 'web-ping=0 web-pong=100' : 'web-ping=100 web-pong=0');
    expect(h.selected(canarySvc)).toBe(hash);
  }
  h.observer.assertSafe();
  expect(h.invalidWrites()).toEqual([]);
});
