import type { Rollout } from '@ramp/api';
import { FakeClock, startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import { isAlreadyExists, isConflict, isNotFound, KubeApiError } from './kube-api-error';
import { KubeClient, type WatchEvent } from './kube-client';
import { TokenBucket } from './rate-limiter';
import { RESOURCES } from './resources';
import { type ReplicaSetObject as ReplicaSet, RequestLog, replicaSetObject, rolloutObject } from './testing';

let cluster: TestCluster;
let client: KubeClient;
const log = new RequestLog();

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new KubeClient(cluster.kubeConfig(), { onRequest: log.record, qps: 1000, burst: 1000 });
});

afterAll(async () => {
  client.close();
  await cluster.stop();
});

async function failure(p: Promise<unknown>): Promise<KubeApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KubeApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

test('create, get, list with a label selector, delete; timestamps stay strings', async () => {
  const created = await client.create(RESOURCES.rollouts, rolloutObject('crud'));
  expect(typeof created.metadata.creationTimestamp).toBe('string');
  expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const got = await client.get<Rollout>(RESOURCES.rollouts, 'crud', 'default');
  expect(got.metadata.uid).toBe(created.metadata.uid);
  await client.create(RESOURCES.rollouts, rolloutObject('other'));
  const list = await client.list<Rollout>(RESOURCES.rollouts, {
    namespace: 'default',
    labelSelector: 'app=crud',
  });
  expect(list.items.map((r) => r.metadata.name)).toEqual(['crud']);
  expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
  await client.delete(RESOURCES.rollouts, 'crud', { namespace: 'default', propagationPolicy: 'Background' });
  expect(isNotFound(await failure(client.get(RESOURCES.rollouts, 'crud', 'default')))).toBe(true);
});

test('list items of built-in kinds get their apiVersion and kind; listAll pages', async () => {
  for (let i = 0; i < 5; i++) {
    await client.create(RESOURCES.replicaSets, replicaSetObject(`page-${i}`, `h${i}`, undefined));
  }
  const all = await client.listAll<ReplicaSet>(RESOURCES.replicaSets, { namespace: 'default' }, 2);
  expect(all.items.map((r) => r.metadata.name)).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  expect(all.items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet' });
});

test('merge, JSON and strategic merge patches; status subresource', async () => {
  await client.create(RESOURCES.replicaSets, replicaSetObject('patched', 'abc', undefined));
  const ns = 'default';
  let rs = await client.patch<ReplicaSet>(
    RESOURCES.replicaSets,
    'patched',
    { spec: { replicas: 3 } },
    { namespace: ns },
  );
  expect(rs.spec.replicas).toBe(3);
  rs = await client.patch<ReplicaSet>(
    RESOURCES.replicaSets,
    'patched',
    [{ op: 'replace', path: '/spec/replicas', value: 4 }],
    { namespace: ns, type: 'json' },
  );
  expect(rs.spec.replicas).toBe(4);
  rs = await client.patch<ReplicaSet>(
    RESOURCES.replicaSets,
    'patched',
    { metadata: { annotations: { a: 'b' } } },
    { namespace: ns, type: 'strategic' },
  );
  expect(rs.metadata.annotations).toEqual({ a: 'b' });
  await client.create(RESOURCES.rollouts, rolloutObject('st'));
  const ro = await client.patchStatus<Rollout>(
    RESOURCES.rollouts,
    'st',
    { status: { phase: 'Paused' } },
    { namespace: ns },
  );
  expect(ro.status?.phase).toBe('Paused');
  const spec = await client.patch<Rollout>(
    RESOURCES.rollouts,
    'st',
    { status: { phase: 'Healthy' } },
    { namespace: ns },
  );
  expect(spec.status?.phase).toBe('Paused'); // the main resource ignores status
});

test('errors are KubeApiErrors parsed from the Status body', async () => {
  await client.create(RESOURCES.rollouts, rolloutObject('dup'));
  const exists = await failure(client.create(RESOURCES.rollouts, rolloutObject('dup')));
  expect(exists).toMatchObject({ code: 409, reason: 'AlreadyExists' });
  expect(isAlreadyExists(exists)).toBe(true);
  expect(isConflict(exists)).toBe(false);
  const stale = await failure(
    client.patchStatus(
      RESOURCES.rollouts,
      'dup',
      { metadata: { resourceVersion: '1' }, status: { phase: 'Healthy' } },
      {
        namespace: 'default',
      },
    ),
  );
  expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
  expect(stale.message).toContain('the object has been modified');
  expect(isConflict(stale)).toBe(true);
  const invalid = await failure(
    client.create(RESOURCES.rollouts, {
      ...rolloutObject('bad'),
      spec: { replicas: 'x' },
    } as unknown as Rollout),
  );
  expect(invalid.code).toBe(422);
  expect(invalid.reason).toBe('Invalid');
  expect(invalid.status?.details?.causes?.[0]?.field).toBe('spec.replicas');
  const missing = await failure(client.get(RESOURCES.rollouts, 'nope', 'default'));
  expect(missing).toMatchObject({
    code: 404,
    reason: 'NotFound',
    message: 'rollouts.argoproj.io "nope" not found',
  });
});

test('injected server errors carry their code and Retry-After', async () => {
  cluster.setFaults('error=1,codes=503,retry-after=2s');
  try {
    const err = await failure(client.get(RESOURCES.rollouts, 'dup', 'default'));
    expect(err).toMatchObject({ code: 503, retryAfterSeconds: 2 });
  } finally {
    cluster.setFaults(undefined);
  }
});

test('watch from a resourceVersion, with bookmarks and a server-side timeout', async () => {
  const list = await client.list<Rollout>(RESOURCES.rollouts, { namespace: 'default' });
  const events: WatchEvent<Rollout>[] = [];
  const done = client.watch<Rollout>(
    RESOURCES.rollouts,
    {
      namespace: 'default',
      resourceVersion: list.metadata.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: 1,
    },
    (e) => events.push(e),
  );
  await client.create(RESOURCES.rollouts, rolloutObject('watched'));
  await client.delete(RESOURCES.rollouts, 'watched', { namespace: 'default' });
  await done; // ends by itself after 1 s
  expect(
    events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`),
  ).toEqual(['ADDED watched', 'DELETED watched']);
  expect(events.at(-1)?.type).toBe('BOOKMARK');
});

test('watch: an expired resourceVersion rejects with 410; abort ends it cleanly', async () => {
  const list = await client.list<Rollout>(RESOURCES.rollouts, { namespace: 'default' });
  await client.create(RESOURCES.rollouts, rolloutObject('later'));
  cluster.compactHistory();
  const gone = await failure(
    client.watch(RESOURCES.rollouts, { resourceVersion: list.metadata.resourceVersion }, () => {}),
  );
  expect(gone.code).toBe(410);
  const abort = new AbortController();
  let seen = 0;
  const open = client.watch(RESOURCES.rollouts, { signal: abort.signal }, () => seen++);
  await waitFor('initial events', () => seen > 0);
  abort.abort();
  await expect(open).resolves.toBeUndefined();
});

test('every request is logged with its status', () => {
  const notFound = log.records.find((r) => r.status === 404 && r.path.endsWith('/nope'));
  expect(notFound).toMatchObject({
    method: 'GET',
    path: '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/nope',
  });
  expect(log.writes().length).toBeGreaterThan(5);
});

test('requests time out', async () => {
  const slow = new KubeClient(cluster.kubeConfig(), { timeoutMs: 50 });
  cluster.setFaults('latency=500ms');
  try {
    await expect(slow.get(RESOURCES.rollouts, 'dup', 'default')).rejects.toThrow(/no answer in 50 ms/);
  } finally {
    cluster.setFaults(undefined);
    slow.close();
  }
});

test('the token bucket allows a burst, then qps', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(10, 3, clock);
  expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
  expect(bucket.reserve()).toBe(100);
  expect(bucket.reserve()).toBe(200);
  clock.advance(1000);
  expect(bucket.reserve()).toBe(0); // refilled up to the burst (3 tokens, minus the 2 owed)
});

test('rate limiting delays requests beyond the burst', async () => {
  const clock = new FakeClock();
  const limited = new KubeClient(cluster.kubeConfig(), { qps: 1, burst: 1, clock });
  try {
    await limited.get(RESOURCES.rollouts, 'dup', 'default');
    let done = false;
    const second = limited.get(RESOURCES.rollouts, 'dup', 'default').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    clock.advance(1000);
    await second;
    expect(done).toBe(true);
  } finally {
    limited.close();
  }
});

test('credentials are taken from the kubeconfig again after 30 s of the injected clock', async () => {
  const clock = new FakeClock();
  const kc = cluster.kubeConfig();
  const asked = jest.spyOn(kc, 'applyToHTTPSOptions');
  const timed = new KubeClient(kc, { clock, qps: 1000, burst: 1000 });
  try {
    await timed.get(RESOURCES.rollouts, 'dup', 'default');
    clock.advance(29_000);
    await timed.get(RESOURCES.rollouts, 'dup', 'default');
    expect(asked).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    await timed.get(RESOURCES.rollouts, 'dup', 'default');
    expect(asked).toHaveBeenCalledTimes(2);
  } finally {
    timed.close();
  }
});
