/**
 * The traffic app against a testkit cluster with the upstream Gateway API (standard channel) and SMI CRDs
 * installed: Services, ready pods and routing objects, time injected, one tick at a time; /metrics, /ratio
 * and /status read over HTTP.
 */
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import { installCrds, startTestCluster, type TestCluster } from '../index';
import { startTrafficApp, type TrafficApp } from './traffic-app';

const NS = 'default';
const RECEIVED = 'number_of_request_receive_by_master_total';

let cluster: TestCluster;
let core: CoreV1Api;
let custom: CustomObjectsApi;

function readyPod(name: string, hash: string, image: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'shop', 'rollouts-pod-template-hash': hash } },
    spec: { containers: [{ name: 'app', image }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  };
}

function service(name: string, hash: string) {
  return {
    metadata: { name, namespace: NS },
    spec: { selector: { app: 'shop', 'rollouts-pod-template-hash': hash }, ports: [{ port: 80 }] },
  };
}

function httpRoute(stableWeight: unknown, canaryWeight: unknown) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'shop', namespace: NS },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        {
          backendRefs: [
            { name: 'shop-stable', port: 80, weight: stableWeight },
            { name: 'shop-canary', port: 80, weight: canaryWeight },
          ],
        },
        {
          matches: [{ headers: [{ name: 'X-Canary', value: 'yes' }] }],
          backendRefs: [{ name: 'shop-canary', port: 80 }],
        },
      ],
    },
  };
}

async function get(app: TrafficApp, path: string): Promise<string> {
  const res = await fetch(`${app.url}${path}`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return res.text();
}

/** The sum of a counter's series whose labels include `labels` (`k="v"` pairs). */
function sum(exposition: string, metric: string, labels: string[] = []): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const close = line.lastIndexOf('}');
    const set = line.slice(metric.length + 1, close);
    if (labels.every((l) => set.split(',').includes(l))) total += Number(line.slice(close + 1));
  }
  return total;
}

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: [], crds: ['gateway-api-standard', 'smi'] });
  const kc = cluster.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  for (let i = 0; i < 4; i++) cluster.store.put(readyPod(`shop-s1-${i}`, 's1', 'shop:v1'));
  cluster.store.put(readyPod('shop-c2-0', 'c2', 'shop:v2-errors'));
  await core.createNamespacedService({ namespace: NS, body: service('shop-stable', 's1') });
  await core.createNamespacedService({ namespace: NS, body: service('shop-canary', 'c2') });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('the traffic app following an HTTPRoute', () => {
  let app: TrafficApp;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const logged: string[] = [];

  beforeAll(async () => {
    await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'httproutes',
      body: httpRoute(80, 20),
    });
    app = await startTrafficApp({
      kubeConfig: cluster.kubeConfig(),
      namespace: NS,
      route: 'httproute/shop',
      requests: { headers: { 'X-Canary': 'yes' }, headerShare: 0.1 },
      requestsPerSecond: 100,
      tickMs: 1_000_000,
      now: () => now,
      log: (line) => logged.push(line),
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const tickAfter = async (seconds: number) => {
    now += seconds * 1000;
    await app.tick();
  };

  test('sends the requests the way the route weighs them, the header rule first', async () => {
    await tickAfter(10);
    const metrics = await get(app, '/metrics');
    // 1000 requests: 100 carry the header (all to the canary), 900 split 80/20.
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="s1"'])).toBe(720);
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="c2"'])).toBe(280);
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(280);
    expect(metrics).toContain(
      `${RECEIVED}{service="sgdecoding-online-scaled-master",rollouts_pod_template_hash="s1",pod="shop-s1-0",backend="shop-stable"} 180`,
    );
    // The canary's image rejects half; the stable's 0.5%.
    expect(sum(metrics, 'number_of_request_reject_total', ['rollouts_pod_template_hash="c2"'])).toBe(140);
    const ratio = JSON.parse(await get(app, '/ratio')) as { rejectRatio: number };
    expect(ratio.rejectRatio).toBeCloseTo((140 + 4 * Math.floor(180 * 0.005)) / 1000);
    // One version's pods only: the canary's own ratio; a version without requests reads 0, as /ratio does.
    expect(JSON.parse(await get(app, '/ratio?version=c2'))).toEqual({ rejectRatio: 0.5 });
    expect(JSON.parse(await get(app, '/ratio?version=none'))).toEqual({ rejectRatio: 0 });
    expect(logged).toEqual([]);
  });

  test('follows a new weight at the next tick', async () => {
    await custom.patchNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'httproutes',
      name: 'shop',
      body: [{ op: 'replace', path: '/spec/rules/0/backendRefs/1/weight', value: 80 }],
    });
    await tickAfter(10);
    const metrics = await get(app, '/metrics');
    // 100 by header, then 900 split 80/80.
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="c2"'])).toBe(280 + 100 + 450);
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="s1"'])).toBe(720 + 450);
    const status = JSON.parse(await get(app, '/status'));
    expect(status).toMatchObject({
      mode: 'route',
      following: 'HTTPRoute default/shop',
      lastTick: '2026-01-01T00:00:20.000Z',
      sent: 2000,
      problems: [],
    });
    expect(status.routes).toEqual([
      {
        request: 'with-headers',
        share: 0.1,
        rule: 'rules[1]',
        destinations: [{ to: 'Service shop-canary', weight: 1, share: 1 }],
        mirrors: [],
      },
      {
        request: 'plain',
        share: 0.9,
        rule: 'rules[0]',
        destinations: [
          { to: 'Service shop-stable', weight: 80, share: 0.5 },
          { to: 'Service shop-canary', weight: 80, share: 0.5 },
        ],
        mirrors: [],
      },
    ]);
  });

  test('a backendRef to a port the Service lacks: 500 for its share, logged once and on /status with its field', async () => {
    await custom.patchNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'httproutes',
      name: 'shop',
      body: [{ op: 'replace', path: '/spec/rules/0/backendRefs/1/port', value: 8080 }],
    });
    await tickAfter(10);
    await tickAfter(10);
    const problem = {
      object: 'HTTPRoute default/shop',
      field: 'spec.rules[0].backendRefs[1].port',
      message: 'Service "shop-canary" has no port 8080',
    };
    expect(logged).toEqual([`${problem.object}: ${problem.field}: ${problem.message}`]);
    expect(JSON.parse(await get(app, '/status')).problems).toEqual([problem]);
    const metrics = await get(app, '/metrics');
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="s1"'])).toBe(720 + 450 + 2 * 450);
    expect(metrics).toContain(
      'ramp_traffic_data_plane_answers_total{service="sgdecoding-online-scaled-master",backend="shop-canary",code="500"} 900',
    );
  });

  test('the canary Service gone: 500 for its share, counted as the data plane answers', async () => {
    await custom.patchNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'httproutes',
      name: 'shop',
      body: [
        { op: 'replace', path: '/spec/rules/0/backendRefs/1/port', value: 80 },
        { op: 'replace', path: '/spec/rules/0/backendRefs/1/weight', value: 20 },
      ],
    });
    await core.deleteNamespacedService({ namespace: NS, name: 'shop-canary' });
    logged.length = 0;
    await tickAfter(10);
    const metrics = await get(app, '/metrics');
    // 900 × 20% and the 100 header requests meant for the canary, after the 900 of the port test.
    expect(metrics).toContain(
      'ramp_traffic_data_plane_answers_total{service="sgdecoding-online-scaled-master",backend="shop-canary",code="500"} 1180',
    );
    expect(logged).toEqual([
      'HTTPRoute default/shop: spec.rules[0].backendRefs[1].name: Service "shop-canary" not found',
      'HTTPRoute default/shop: spec.rules[1].backendRefs[0].name: Service "shop-canary" not found',
      'resolved: HTTPRoute default/shop: spec.rules[0].backendRefs[1].port: Service "shop-canary" has no port 8080',
    ]);
    await core.createNamespacedService({ namespace: NS, body: service('shop-canary', 'c2') });
  });

  test('the route deleted: 404 for every request, reported; the app keeps serving', async () => {
    await custom.deleteNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'httproutes',
      name: 'shop',
    });
    logged.length = 0;
    await tickAfter(10);
    expect(logged).toContain('HTTPRoute default/shop: not found: every request gets 404');
    const metrics = await get(app, '/metrics');
    expect(metrics).toContain(
      'ramp_traffic_data_plane_answers_total{service="sgdecoding-online-scaled-master",backend="",code="404"} 1000',
    );
  });
});

describe('the traffic app with a selector, as before routing existed', () => {
  test('counts per pod without a backend label, and no routed metrics', async () => {
    let now = 0;
    const app = await startTrafficApp({
      kubeConfig: cluster.kubeConfig(),
      namespace: NS,
      selector: 'app=shop',
      tickMs: 1_000_000,
      now: () => now,
    });
    try {
      now += 10_000;
      await app.tick();
      const metrics = await get(app, '/metrics');
      expect(metrics).toContain(
        `${RECEIVED}{service="sgdecoding-online-scaled-master",rollouts_pod_template_hash="s1",pod="shop-s1-0"} 200`,
      );
      expect(metrics).not.toContain('backend=');
      expect(metrics).not.toContain('ramp_traffic_');
      expect(JSON.parse(await get(app, '/status'))).toMatchObject({
        mode: 'selector',
        following: 'pods default/app=shop',
      });
    } finally {
      await app.close();
    }
  });
});

describe('the traffic app reading the other routing objects from the cluster', () => {
  const run = async (route: string, seconds = 10) => {
    let now = 0;
    const logged: string[] = [];
    const app = await startTrafficApp({
      kubeConfig: cluster.kubeConfig(),
      namespace: NS,
      route,
      tickMs: 1_000_000,
      now: () => now,
      log: (line) => logged.push(line),
    });
    try {
      now += seconds * 1000;
      await app.tick();
      return { metrics: await get(app, '/metrics'), logged };
    } finally {
      await app.close();
    }
  };

  test('an SMI TrafficSplit, at the version the installed CRD serves (v1alpha4), found through discovery', async () => {
    await custom.createNamespacedCustomObject({
      group: 'split.smi-spec.io',
      version: 'v1alpha4',
      namespace: NS,
      plural: 'trafficsplits',
      body: {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'shop' },
        spec: {
          service: 'shop-stable',
          backends: [
            { service: 'shop-stable', weight: 70 },
            { service: 'shop-canary', weight: 30 },
          ],
        },
      },
    });
    const { metrics, logged } = await run('trafficsplit/shop');
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(300);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(700);
    expect(logged).toEqual([]);
  });

  test('ingress-nginx canary Ingresses, read through the networking API', async () => {
    const networking = cluster.kubeConfig().makeApiClient(NetworkingV1Api);
    const ingress = (name: string, backend: string, annotations?: Record<string, string>) => ({
      metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: backend, port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    await networking.createNamespacedIngress({ namespace: NS, body: ingress('shop', 'shop-stable') });
    await networking.createNamespacedIngress({
      namespace: NS,
      body: ingress('shop-canary', 'shop-canary', {
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '40',
      }),
    });
    const { metrics, logged } = await run('ingress/shop');
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(400);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(600);
    expect(logged).toEqual([]);
  });

  test('a TCPRoute of the standard channel (v1): connections by weight', async () => {
    await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: NS,
      plural: 'tcproutes',
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'TCPRoute',
        metadata: { name: 'db' },
        spec: {
          parentRefs: [{ name: 'gateway' }],
          rules: [
            {
              backendRefs: [
                { name: 'shop-stable', port: 80, weight: 9 },
                { name: 'shop-canary', port: 80, weight: 1 },
              ],
            },
          ],
        },
      },
    });
    const { metrics, logged } = await run('tcproute/db');
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(100);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(900);
    expect(logged).toEqual([]);
  });

  test('a kind the server stops serving (its CRD deleted): reported, every request answered, no crash', async () => {
    await cluster
      .kubeConfig()
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: 'grpcroutes.gateway.networking.k8s.io' });
    await cluster.settled();
    const { metrics, logged } = await run('grpcroute/shop');
    expect(logged).toEqual([
      'GRPCRoute default/shop: the API server serves no grpcroutes.gateway.networking.k8s.io at v1, v1alpha2: install its CRD',
      'GRPCRoute default/shop: not found: every request gets UNIMPLEMENTED',
    ]);
    expect(metrics).toContain(
      'ramp_traffic_data_plane_answers_total{service="sgdecoding-online-scaled-master",backend="",code="UNIMPLEMENTED"} 1000',
    );
  });
});

describe('the traffic app following the routers of part 2, their upstream CRDs installed', () => {
  const MIRRORED = 'ramp_traffic_mirrored_requests_total';
  let networking: NetworkingV1Api;

  beforeAll(async () => {
    installCrds(cluster, 'istio', 'apisix', 'traefik', 'ambassador');
    await cluster.settled();
    networking = cluster.kubeConfig().makeApiClient(NetworkingV1Api);
    await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: 'shop', namespace: NS },
        spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] },
      },
    });
  });

  const run = async (
    route: string,
    options: {
      requests?: Parameters<typeof startTrafficApp>[0]['requests'];
      albAnnotationPrefix?: string;
    } = {},
  ) => {
    let now = 0;
    const logged: string[] = [];
    const app = await startTrafficApp({
      kubeConfig: cluster.kubeConfig(),
      namespace: NS,
      route,
      ...options,
      tickMs: 1_000_000,
      now: () => now,
      log: (line) => logged.push(line),
    });
    try {
      now += 10_000;
      await app.tick();
      return { metrics: await get(app, '/metrics'), status: JSON.parse(await get(app, '/status')), logged };
    } finally {
      await app.close();
    }
  };

  const create = (group: string, version: string, plural: string, body: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({ group, version, namespace: NS, plural, body });

  test('Istio: subsets of one Service by a DestinationRule, 80/20, and a mirror of half the requests to the canary', async () => {
    await create('networking.istio.io', 'v1alpha3', 'destinationrules', {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'DestinationRule',
      metadata: { name: 'shop' },
      spec: {
        host: 'shop',
        subsets: [
          { name: 'stable', labels: { 'rollouts-pod-template-hash': 's1' } },
          { name: 'canary', labels: { 'rollouts-pod-template-hash': 'c2' } },
        ],
      },
    });
    await create('networking.istio.io', 'v1alpha3', 'virtualservices', {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: 'shop' },
      spec: {
        hosts: ['shop'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'shop', subset: 'stable' }, weight: 80 },
              { destination: { host: 'shop', subset: 'canary' }, weight: 20 },
            ],
            mirror: { host: 'shop', subset: 'canary' },
            mirrorPercentage: { value: 50 },
          },
        ],
      },
    });
    const { metrics, status, logged } = await run('virtualservice/shop');
    expect(logged).toEqual([]);
    // The answered split is the route's; the copies are counted apart and never as received or rejected.
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="s1"'])).toBe(800);
    expect(sum(metrics, RECEIVED, ['rollouts_pod_template_hash="c2"'])).toBe(200);
    expect(sum(metrics, 'number_of_request_reject_total', ['rollouts_pod_template_hash="c2"'])).toBe(100);
    expect(sum(metrics, MIRRORED, ['rollouts_pod_template_hash="c2"', 'backend="shop"'])).toBe(500);
    expect(sum(metrics, MIRRORED, ['rollouts_pod_template_hash="s1"'])).toBe(0);
    expect(sum(metrics, 'ramp_traffic_mirrored_rejected_total', ['rollouts_pod_template_hash="c2"'])).toBe(
      250,
    );
    expect(status.routes).toEqual([
      {
        request: 'plain',
        share: 1,
        rule: 'http[0]',
        destinations: [
          { to: 'Service shop subset stable', weight: 80, share: 0.8 },
          { to: 'Service shop subset canary', weight: 20, share: 0.2 },
        ],
        mirrors: [{ service: 'shop', subset: 'canary', fraction: 0.5 }],
      },
    ]);
  });

  test('Istio: a subset the DestinationRule does not define is reported, its share 503', async () => {
    await custom.patchNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1alpha3',
      namespace: NS,
      plural: 'virtualservices',
      name: 'shop',
      body: [{ op: 'replace', path: '/spec/http/0/route/1/destination/subset', value: 'preview' }],
    });
    const { metrics, logged } = await run('virtualservice/shop');
    expect(logged).toEqual([
      'VirtualService default/shop: spec.http[0].route[1].destination.subset: no DestinationRule for host shop defines subset "preview": its share gets 503',
    ]);
    expect(metrics).toContain(
      'ramp_traffic_data_plane_answers_total{service="sgdecoding-online-scaled-master",backend="shop",code="503"} 200',
    );
  });

  test("AWS ALB: Argo's forward action and header route, through the networking API", async () => {
    const forward = (groups: unknown[]) =>
      JSON.stringify({ Type: 'forward', ForwardConfig: { TargetGroups: groups } });
    const path = (service: string) => ({
      path: '/*',
      pathType: 'ImplementationSpecific',
      backend: { service: { name: service, port: { name: 'use-annotation' } } },
    });
    await networking.createNamespacedIngress({
      namespace: NS,
      body: {
        metadata: {
          name: 'shop-alb',
          namespace: NS,
          annotations: {
            'alb.ingress.kubernetes.io/actions.shop-stable': forward([
              { ServiceName: 'shop-canary', ServicePort: '80', Weight: 30 },
              { ServiceName: 'shop-stable', ServicePort: '80', Weight: 70 },
            ]),
            'alb.ingress.kubernetes.io/actions.canary-route': forward([
              { ServiceName: 'shop-canary', ServicePort: '80', Weight: 100 },
            ]),
            'alb.ingress.kubernetes.io/conditions.canary-route': JSON.stringify([
              { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'X-Canary', values: ['yes'] } },
            ]),
          },
        },
        spec: {
          ingressClassName: 'alb',
          rules: [{ host: 'shop.example.com', http: { paths: [path('canary-route'), path('shop-stable')] } }],
        },
      },
    });
    const { metrics, logged } = await run('alb/shop-alb', {
      requests: { headers: { 'X-Canary': 'yes' }, headerShare: 0.1 },
    });
    expect(logged).toEqual([]);
    // 100 by the header rule; 900 split 30/70.
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(100 + 270);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(630);
  });

  test('APISIX: an ApisixRoute at v2, its backends by weight', async () => {
    await create('apisix.apache.org', 'v2', 'apisixroutes', {
      apiVersion: 'apisix.apache.org/v2',
      kind: 'ApisixRoute',
      metadata: { name: 'shop' },
      spec: {
        http: [
          {
            name: 'shop',
            match: { paths: ['/*'] },
            backends: [
              { serviceName: 'shop-stable', servicePort: 80, weight: 60 },
              { serviceName: 'shop-canary', servicePort: 80, weight: 40 },
            ],
          },
        ],
      },
    });
    const { metrics, logged } = await run('apisixroute/shop');
    expect(logged).toEqual([]);
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(400);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(600);
  });

  test('Traefik: a TraefikService (traefik.io) nesting another', async () => {
    const ts = (name: string, services: unknown[]) => ({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'TraefikService',
      metadata: { name },
      spec: { weighted: { services } },
    });
    await create(
      'traefik.io',
      'v1alpha1',
      'traefikservices',
      ts('inner', [{ name: 'shop-canary', port: 80 }]),
    );
    await create(
      'traefik.io',
      'v1alpha1',
      'traefikservices',
      ts('shop', [
        { name: 'shop-stable', port: 80, weight: 90 },
        { name: 'inner', kind: 'TraefikService', weight: 10 },
      ]),
    );
    const { metrics, logged } = await run('traefikservice/shop');
    expect(logged).toEqual([]);
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(100);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(900);
  });

  test("Ambassador: Argo's canary Mapping next to the base Mapping", async () => {
    const mapping = (name: string, service: string, weight?: number) => ({
      apiVersion: 'getambassador.io/v2',
      kind: 'Mapping',
      metadata: { name },
      spec: { prefix: '/shop/', service, ...(weight !== undefined ? { weight } : {}) },
    });
    await create('getambassador.io', 'v2', 'mappings', mapping('shop', 'shop-stable:80'));
    await create('getambassador.io', 'v2', 'mappings', mapping('shop-shop-canary', 'shop-canary:80', 25));
    const { metrics, logged } = await run('mapping/shop', { requests: { path: '/shop/cart' } });
    expect(logged).toEqual([]);
    expect(sum(metrics, RECEIVED, ['backend="shop-canary"'])).toBe(250);
    expect(sum(metrics, RECEIVED, ['backend="shop-stable"'])).toBe(750);
  });
});
