// `get rollout` of routed canaries against the in-memory cluster with the upstream Gateway API, SMI and
// Istio CRDs: a canary mid-walk through each router (the objects and the status put straight into the
// store, no controller; Istio: a subset split, the DestinationRule's hashes), a missing HTTPRoute with the TrafficRouting condition, a route the user may not read, the
// routing objects followed by `get -w`, and once through the real kubectl plugin dispatch.
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { forbiddingProxy } from '../testing/forbidding-proxy';
import {
  type CliRun,
  type Harness,
  kubectlRamp,
  normalise,
  RO,
  startHarness,
  waitFor,
  within,
} from '../testing/kube';
import { seedRoutedCanary } from '../testing/routed-cluster';
import { GATEWAY_V1, ISTIO_V1ALPHA3 } from '../testing/routing';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ controller: false, crds: ['gateway-api-experimental', 'smi'] });
}, 30_000);
afterAll(() => h.stop());

/** The page with hashes as h1/h2, pod suffixes, ages and column widths made stable. */
async function page(name: string, on: Harness = h): Promise<string> {
  const run = await kubectlRamp(on, ['get', 'rollout', name]);
  expect(run).toMatchObject({ code: 0, err: '' });
  return normalise(on, name, run.out);
}

test('Gateway API canary at 20%: the route in the header and in the tree, with its weights (golden)', async () => {
  await seedRoutedCanary(h, 'gw', { router: 'gateway', weight: 20 });
  expect(await page('gw')).toBe(`Name:  gw
Namespace:  default
Status:  ॥ Paused
Message:  CanaryPauseStep
Strategy:  Canary
  Step:  1/4
  SetWeight:  20
  ActualWeight:  20
  Verified:  yes
Traffic:  GatewayAPI HTTPRoute default/gw-route
Images:  web:v1 (stable)
                 web:v2 (canary)
Replicas:
  Desired:  5
  Current:  6
  Updated:  1
  Ready:  6
  Available:  6

NAME  KIND  STATUS  AGE  INFO
⟳ gw  Rollout  ॥ Paused  AGE
├──⇄ gw-route  HTTPRoute  ✔ Synced  AGE  canary 20 / stable 80
├──# revision:2
│  └──⧉ gw-h2  ReplicaSet  ✔ Healthy  AGE  canary
│  └──□ gw-h2-xxxxx  Pod  ✔ Running  AGE  ready:1/1
└──# revision:1
   └──⧉ gw-h1  ReplicaSet  ✔ Healthy  AGE  stable
      ├──□ gw-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
      ├──□ gw-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
      ├──□ gw-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
      ├──□ gw-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
      └──□ gw-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
`);
  const json = JSON.parse((await kubectlRamp(h, ['get', 'rollout', 'gw', '-o', 'json'])).out);
  expect(json).toMatchObject({ setWeight: 20, actualWeight: 20 });
  expect(json.traffic).toMatchObject({
    routers: ['GatewayAPI'],
    weights: { canary: { weight: 20, serviceName: 'gw-canary' }, verified: true },
    objects: [
      {
        kind: 'HTTPRoute',
        name: 'gw-route',
        apiVersion: GATEWAY_V1,
        status: 'Synced',
        splits: [{ canary: 20, stable: 80, share: 20 }],
      },
    ],
  });
});

test('NGINX canary at 20%: the canary Ingress Ramp keeps beside the stable one', async () => {
  await seedRoutedCanary(h, 'ngx', { router: 'nginx', weight: 20 });
  const text = await page('ngx');
  expect(text).toContain(
    '  Verified:  yes\nTraffic:  Nginx Ingress default/ngx-ngx-ingress-canary (canary of ngx-ingress)\n',
  );
  expect(text).toContain('\n├──⇄ ngx-ngx-ingress-canary  Ingress  ✔ Synced  AGE  canary 20 / stable 80\n');
});

test('SMI canary: the TrafficSplit at the version the cluster serves; one not at the recorded weight yet', async () => {
  await seedRoutedCanary(h, 'split', { router: 'smi', weight: 20 });
  const text = await page('split');
  expect(text).toContain('Traffic:  SMI TrafficSplit default/split\n');
  expect(text).toContain('\n├──⇄ split  TrafficSplit  ✔ Synced  AGE  canary 20 / stable 80\n');
  const json = JSON.parse((await kubectlRamp(h, ['get', 'rollout', 'split', '-o', 'json'])).out);
  expect(json.traffic.objects[0].apiVersion).toBe('split.smi-spec.io/v1alpha4');

  await seedRoutedCanary(h, 'lagging', { router: 'smi', step: 3, weight: 50, carried: 20 });
  const lagging = await page('lagging');
  expect(lagging).toContain(
    '  Step:  3/4\n  SetWeight:  50\n  ActualWeight:  50\n  Verified:  no (the routing objects do not carry weight 50 yet)\n',
  );
  expect(lagging).toContain(
    '\n├──⇄ lagging  TrafficSplit  ◌ OutOfSync  AGE  canary 20 / stable 80 (the rollout records canary 50)\n',
  );
});

test('a missing HTTPRoute: a note on its node, and the TrafficRouting condition says why the rollout waits', async () => {
  const message =
    'HTTPRoute default/lost-route: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute: does not exist; create the HTTPRoute, or name an existing one at spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute';
  await seedRoutedCanary(h, 'lost', { router: 'gateway', weight: 20, carried: null, routingError: message });
  const text = await page('lost');
  expect(text).toContain('Status:  ✖ Degraded\n');
  expect(text).toContain(
    `Traffic:  GatewayAPI HTTPRoute default/lost-route\nTrafficRouting:  ✖ TrafficRoutingError: ${message}\n`,
  );
  expect(text).toContain('\n├──⇄ lost-route  HTTPRoute  ⚠ NotFound  -  not found in namespace default\n');
});

test('a route the user may not read (403): a note on its node, the rest of the page as usual', async () => {
  const proxy = await forbiddingProxy(h.cluster.url, /\/httproutes(\/|$)/);
  try {
    const kubeconfig = join(h.dir, 'viewer');
    writeFileSync(kubeconfig, h.cluster.kubeconfigYaml().replace(h.cluster.url, proxy.url));
    const run = await kubectlRamp(undefined, ['get', 'rollout', 'gw', '--kubeconfig', kubeconfig]);
    expect(run).toMatchObject({ code: 0, err: '' });
    const text = normalise(h, 'gw', run.out);
    expect(text).toContain('Traffic:  GatewayAPI HTTPRoute default/gw-route\n');
    expect(text).toContain(
      '\n├──⇄ gw-route  HTTPRoute  ⚠ Forbidden  -  forbidden: you may not get httproutes.gateway.networking.k8s.io in namespace default\n',
    );
    expect(text).toContain('└──⧉ gw-h1  ReplicaSet  ✔ Healthy  AGE  stable\n');
  } finally {
    await proxy.stop();
  }
});

test('get rollout -w: the routing objects are read again, so a weight the controller writes shows up', async () => {
  await seedRoutedCanary(h, 'walk', { router: 'gateway', weight: 20 });
  const ctrlC = new AbortController();
  let out = '';
  const watching = kubectlRamp(
    h,
    ['get', 'rollout', 'walk', '-w'],
    { redrawMs: 20, routeRefreshMs: 100, signal: ctrlC.signal },
    (text) => {
      out += text;
    },
  );
  const shows = (what: string, row: RegExp) => waitFor(what, () => row.test(out), 5000);
  await shows('the route at 20', /⇄ walk-route +HTTPRoute +✔ Synced .* canary 20 \/ stable 80\n/);
  // the controller moves the route to 50 first (the rollout does not change), then records it
  const route = h.cluster.store.get(GATEWAY_V1, 'HTTPRoute', 'walk-route', 'default') as unknown as {
    spec: { rules: { backendRefs: { name: string; port: number; weight: number }[] }[] };
  };
  for (const ref of route.spec.rules[0]!.backendRefs) ref.weight = 50;
  h.cluster.store.patch(GATEWAY_V1, 'HTTPRoute', 'walk-route', 'default', { spec: route.spec });
  await shows(
    'the route at 50',
    /⇄ walk-route +HTTPRoute +◌ OutOfSync .* canary 50 \/ stable 50 \(the rollout records canary 20\)\n/,
  );
  h.cluster.store.patchStatus(RO, 'Rollout', 'walk', 'default', {
    status: {
      currentStepIndex: 3,
      canary: { weights: { canary: { weight: 50 }, stable: { weight: 50 }, verified: true } },
    },
  });
  await shows('the status at 50', /⇄ walk-route +HTTPRoute +✔ Synced .* canary 50 \/ stable 50\n/);
  ctrlC.abort();
  const done = await within(watching, 5000, 'get -w after Ctrl-C');
  expect(done).toMatchObject({ code: 0, err: '' });
  const frames = done.out.split(/\n\n(?=Name:)/);
  const rows = frames.map((f) =>
    /⇄ walk-route +HTTPRoute +(\S+ \S+) +\S+ +(.*)/.exec(f)?.slice(1).join(' | '),
  );
  // a frame per change (ages move on too): the route's row went through these states, in order
  expect(rows.filter((row, i) => row !== rows[i - 1])).toEqual([
    '✔ Synced | canary 20 / stable 80',
    '◌ OutOfSync | canary 50 / stable 50 (the rollout records canary 20)',
    '✔ Synced | canary 50 / stable 50',
  ]);
  expect(frames.at(-1)).toContain(
    '  Step:          3/4\n  SetWeight:     50\n  ActualWeight:  50\n  Verified:      yes\n',
  );
});

describe('with Istio CRDs', () => {
  let istio: Harness;
  beforeAll(async () => {
    istio = await startHarness({ controller: false, crds: ['istio'] });
  }, 30_000);
  afterAll(() => istio?.stop());

  test('Istio subset split at 20%: the VirtualService and the DestinationRule with the hashes its subsets select', async () => {
    await seedRoutedCanary(istio, 'mesh', { router: 'istio', weight: 20 });
    const text = await page('mesh', istio);
    expect(text).toContain(
      '  Verified:  yes\nTraffic:  Istio VirtualService default/mesh-vsvc\n' +
        '                 Istio DestinationRule default/mesh-destrule\n',
    );
    expect(text).toContain(
      '\n├──⇄ mesh-vsvc  VirtualService  ✔ Synced  AGE  canary 20 / stable 80\n' +
        '├──⇄ mesh-destrule  DestinationRule  ✔ Synced  AGE  subset canary → h2 / subset stable → h1\n',
    );
    const json = JSON.parse((await kubectlRamp(istio, ['get', 'rollout', 'mesh', '-o', 'json'])).out);
    expect(json.traffic.routers).toEqual(['Istio']);
    expect(json.traffic.objects.map((o: { apiVersion: string }) => o.apiVersion)).toEqual([
      ISTIO_V1ALPHA3,
      ISTIO_V1ALPHA3,
    ]);

    // the canary subset back on the stable's hash (as after an abort): not the hashes the rollout records
    const dr = istio.cluster.store.get(
      ISTIO_V1ALPHA3,
      'DestinationRule',
      'mesh-destrule',
      'default',
    ) as unknown as {
      spec: { subsets: { name: string; labels: Record<string, string> }[] };
    };
    const stableHash = dr.spec.subsets[0]!.labels['rollouts-pod-template-hash']!;
    dr.spec.subsets[1]!.labels['rollouts-pod-template-hash'] = stableHash;
    istio.cluster.store.patch(ISTIO_V1ALPHA3, 'DestinationRule', 'mesh-destrule', 'default', {
      spec: dr.spec,
    });
    expect(await page('mesh', istio)).toContain(
      '├──⇄ mesh-destrule  DestinationRule  ◌ OutOfSync  AGE  subset canary → h1 / subset stable → h1 (the rollout records canary h2, stable h1)\n',
    );
    // the VirtualService deleted: a note on its node
    istio.cluster.store.delete(ISTIO_V1ALPHA3, 'VirtualService', 'mesh-vsvc', 'default');
    expect(await page('mesh', istio)).toContain(
      '\n├──⇄ mesh-vsvc  VirtualService  ⚠ NotFound  -  not found in namespace default\n',
    );
  });
});

const bin = resolve(__dirname, '..', '..', '..', '..', 'bin');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

(hasKubectl ? test : test.skip)(
  'through kubectl: `kubectl ramp get rollout` of a routed canary',
  async () => {
    await waitFor('gw seeded', () => h.cluster.store.get(RO, 'Rollout', 'gw', 'default'));
    const run = await new Promise<CliRun>((done) => {
      execFile(
        'kubectl',
        ['ramp', 'get', 'rollout', 'gw', '--kubeconfig', h.kubeconfig],
        { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: '' }, timeout: 60_000 },
        (error, out, err) =>
          done({ code: error ? Number(error.code ?? -1) : 0, out: String(out), err: String(err) }),
      );
    });
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('Traffic:         GatewayAPI HTTPRoute default/gw-route\n');
    expect(run.out).toMatch(/\n├──⇄ gw-route +HTTPRoute +✔ Synced +\S+ +canary 20 \/ stable 80\n/);
  },
  60_000,
);
