/** The HTTP surface: discovery, OpenAPI, Tables, field validation, faults, the store API, the crds/ folder. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startTestCluster, type TestCluster } from '../index';
import { ROLLOUT_CRD, readWatch, request } from '../testing/helpers';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: ROLLOUT_CRD });
});

afterAll(async () => {
  await cluster.stop();
});

const ROLLOUTS = '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts';
const rollout = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name },
  spec: { selector: {}, ...spec },
});

test('discovery documents', async () => {
  expect((await request(cluster, 'GET', '/version')).body).toMatchObject({ major: '1', minor: '32' });
  expect((await request(cluster, 'GET', '/api')).body).toMatchObject({
    kind: 'APIVersions',
    versions: ['v1'],
  });
  const groups = (await request(cluster, 'GET', '/apis')).body as {
    groups: { name: string; preferredVersion: { version: string } }[];
  };
  expect(groups.groups.find((g) => g.name === 'networking.istio.io')?.preferredVersion.version).toBe(
    'v1beta1',
  );
  expect(groups.groups.map((g) => g.name)).toEqual(
    expect.arrayContaining(['apps', 'argoproj.io', 'gateway.networking.k8s.io', 'split.smi-spec.io']),
  );
  const argo = (await request(cluster, 'GET', '/apis/argoproj.io/v1alpha1')).body as {
    resources: Record<string, unknown>[];
  };
  expect(argo.resources).toEqual([
    {
      name: 'rollouts',
      singularName: 'rollout',
      namespaced: true,
      kind: 'Rollout',
      verbs: expect.any(Array),
      shortNames: ['ro'],
      categories: ['all'],
    },
    {
      name: 'rollouts/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'rollouts/status',
      singularName: '',
      namespaced: true,
      kind: 'Rollout',
      verbs: ['get', 'patch', 'update'],
    },
  ]);
  expect((await request(cluster, 'GET', '/apis/nothing.example.com/v1')).status).toBe(404);
  expect((await request(cluster, 'GET', '/openapi/v2')).status).toBe(404);
  const root = (await request(cluster, 'GET', '/openapi/v3')).body as {
    paths: Record<string, { serverRelativeURL: string }>;
  };
  const doc = (await request(cluster, 'GET', root.paths['apis/argoproj.io/v1alpha1']!.serverRelativeURL))
    .body as {
    paths: Record<string, { patch?: { parameters: { name: string }[] } }>;
  };
  const patch = doc.paths['/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}']?.patch;
  expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
});

test('Table output with printer columns', async () => {
  await request(cluster, 'POST', ROLLOUTS, rollout('tbl', { replicas: 2 }));
  const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
  const table = (await request(cluster, 'GET', ROLLOUTS, undefined, accept)).body as {
    kind: string;
    columnDefinitions: { name: string; type: string }[];
    rows: { cells: unknown[]; object: { kind: string } }[];
  };
  expect(table.kind).toBe('Table');
  expect(table.columnDefinitions.map((c) => c.name)).toEqual([
    'Name',
    'Desired',
    'Current',
    'Up-to-date',
    'Available',
    'Phase',
    'Age',
  ]);
  expect(table.rows[0]?.cells.slice(0, 3)).toEqual(['tbl', 2, null]);
  expect(table.rows[0]?.object.kind).toBe('PartialObjectMetadata');
  const pods = (await request(cluster, 'GET', '/api/v1/namespaces', undefined, accept)).body as {
    columnDefinitions: { name: string }[];
  };
  expect(pods.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
});

test('unknown fields: pruned with a Warning by default, refused with fieldValidation=Strict', async () => {
  const warned = await request(cluster, 'POST', ROLLOUTS, {
    ...rollout('prune'),
    spec: { selector: {}, bogus: 1 },
  });
  expect(warned.status).toBe(201);
  expect((warned.body as { spec: Record<string, unknown> }).spec.bogus).toBeUndefined();
  expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.bogus\\""');
  const strict = await request(cluster, 'POST', `${ROLLOUTS}?fieldValidation=Strict`, {
    ...rollout('strict'),
    spec: { selector: {}, bogus: 1 },
  });
  expect(strict.status).toBe(400);
  expect((strict.body as { message: string }).message).toBe(
    'Rollout in version "v1alpha1" cannot be handled as a Rollout: strict decoding error: unknown field "spec.bogus"',
  );
  const dry = await request(cluster, 'POST', `${ROLLOUTS}?dryRun=All`, rollout('dry'));
  expect(dry.status).toBe(201);
  expect((await request(cluster, 'GET', `${ROLLOUTS}/dry`)).status).toBe(404);
});

test('injected faults: errors with Retry-After, conflicts, latency, watch cuts', async () => {
  cluster.setFaults('error=1,codes=429,retry-after=2s');
  const limited = await request(cluster, 'GET', ROLLOUTS);
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('2');
  expect(limited.body).toMatchObject({
    kind: 'Status',
    reason: 'TooManyRequests',
    code: 429,
    details: { retryAfterSeconds: 2 },
  });
  expect((await request(cluster, 'GET', '/apis')).status).toBe(200);
  cluster.setFaults({ errorRate: 1, errorCodes: [503] });
  expect((await request(cluster, 'GET', ROLLOUTS)).body).toMatchObject({
    reason: 'ServiceUnavailable',
    code: 503,
  });
  cluster.setFaults({ conflictRate: 1 });
  expect((await request(cluster, 'GET', `${ROLLOUTS}/tbl`)).status).toBe(200);
  const conflict = await request(
    cluster,
    'PATCH',
    `${ROLLOUTS}/tbl`,
    { spec: { paused: true } },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  expect(conflict.body).toMatchObject({
    reason: 'Conflict',
    code: 409,
    message: expect.stringContaining('rollouts.argoproj.io "tbl"'),
  });
  cluster.setFaults({ latencyMs: 150 });
  const started = Date.now();
  await request(cluster, 'GET', ROLLOUTS);
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  cluster.setFaults('watch-cut=200ms');
  const events = await readWatch(cluster, `${ROLLOUTS}?watch=1`, () => false);
  expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
  cluster.setFaults(undefined);
});

test('failWrites: the next N writes to one resource answered 500, reads and other resources untouched', async () => {
  cluster.failWrites('rollouts', 2);
  const patch = () =>
    request(
      cluster,
      'PATCH',
      `${ROLLOUTS}/tbl`,
      { metadata: { labels: { tried: 'yes' } } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
  expect((await request(cluster, 'GET', `${ROLLOUTS}/tbl`)).status).toBe(200);
  expect((await patch()).status).toBe(500);
  expect((await patch()).body).toMatchObject({ kind: 'Status', code: 500 });
  expect((await patch()).status).toBe(200);
  cluster.failWrites('rollouts', 5);
  cluster.failWrites('rollouts', 0);
  expect((await patch()).status).toBe(200);
});

test('the store API: put, get, list, subscribe, with the same semantics as HTTP', async () => {
  const changes: string[] = [];
  const unsubscribe = cluster.store.subscribe((c) => changes.push(`${c.type} ${c.object.metadata.name}`), {
    apiVersion: 'v1',
    kind: 'Pod',
  });
  const pod = cluster.store.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running' },
  });
  expect(pod.status).toEqual({ phase: 'Running' });
  expect(cluster.store.list('v1', 'Pod', { labelSelector: 'app=p' }).map((p) => p.metadata.name)).toEqual([
    'p',
  ]);
  cluster.store.patchStatus('v1', 'Pod', 'p', 'default', { status: { podIP: '10.0.0.1' } });
  expect(cluster.store.get('v1', 'Pod', 'p', 'default')?.status).toEqual({
    phase: 'Running',
    podIP: '10.0.0.1',
  });
  cluster.store.delete('v1', 'Pod', 'p', 'default');
  unsubscribe();
  expect(changes).toEqual(['ADDED p', 'MODIFIED p', 'MODIFIED p', 'DELETED p']);
  const res = await request(cluster, 'GET', '/api/v1/namespaces/default/pods/p');
  expect(res.status).toBe(404);
});

const repoCrds = path.resolve(__dirname, '..', '..', '..', '..', 'crds');
const hasRepoCrds = existsSync(repoCrds) && readdirSync(repoCrds).some((f) => /\.ya?ml$/.test(f));

(hasRepoCrds ? test : test.skip)("the repository's crds/ folder loads and is served", async () => {
  const repo = await startTestCluster({ crdsDir: repoCrds });
  try {
    const crds = (await request(repo, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'))
      .body as { items: { metadata: { name: string } }[] };
    expect(crds.items.length).toBeGreaterThan(0);
    for (const crd of crds.items) {
      const [plural, ...group] = crd.metadata.name.split('.');
      const groupDoc = (await request(repo, 'GET', `/apis/${group.join('.')}`)).body as {
        preferredVersion: { groupVersion: string };
      };
      const list = await request(repo, 'GET', `/apis/${groupDoc.preferredVersion.groupVersion}/${plural}`);
      expect(list.status).toBe(200);
    }
  } finally {
    await repo.stop();
  }
});

test('settled() resolves once the garbage collector has nothing pending', async () => {
  await request(cluster, 'DELETE', `${ROLLOUTS}/tbl`);
  await cluster.settled();
  expect((await request(cluster, 'GET', `${ROLLOUTS}/tbl`)).status).toBe(404);
});
