/** Watch semantics over raw HTTP, and informers (client-node makeInformer) surviving cuts and 410s. */
import { CoreV1Api, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';
import { readWatch, request, waitFor } from '../testing/helpers';

let cluster: TestCluster;
let core: CoreV1Api;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: [], eventHistory: 50, bookmarkIntervalMs: 100 });
  core = cluster.kubeConfig().makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await cluster.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';

function cm(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } };
}

test('a watch without resourceVersion starts with ADDED events of the current objects', async () => {
  await request(cluster, 'POST', CM, cm('w-initial'));
  const events = await readWatch(cluster, `${CM}?watch=1`, (e) =>
    e.some((x) => (x.object.metadata as { name: string }).name === 'w-initial'),
  );
  expect(events[0]?.type).toBe('ADDED');
  expect(events[0]?.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
});

test('from a resourceVersion: the changes after it, in order, with label selector transitions', async () => {
  const created = await request(cluster, 'POST', CM, cm('w-seq', { color: 'blue' }));
  const rv = (created.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  await request(
    cluster,
    'PATCH',
    `${CM}/w-seq`,
    { metadata: { labels: { color: 'red' } } },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  await request(
    cluster,
    'PATCH',
    `${CM}/w-seq`,
    { metadata: { labels: { color: 'blue' } } },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  await request(cluster, 'DELETE', `${CM}/w-seq`);
  const all = await readWatch(
    cluster,
    `${CM}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw-seq`,
    (e) => e.length >= 3,
  );
  expect(all.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'DELETED']);
  const blue = await readWatch(
    cluster,
    `${CM}?watch=1&resourceVersion=${rv}&labelSelector=color%3Dblue`,
    (e) => e.length >= 3,
  );
  expect(blue.map((e) => e.type)).toEqual(['DELETED', 'ADDED', 'DELETED']);
});

test('bookmarks are sent periodically and before a timeout ends the watch', async () => {
  const rv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
  const events = await readWatch(
    cluster,
    `${CM}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
    () => false,
  );
  const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
  expect(bookmarks.length).toBeGreaterThanOrEqual(2);
  expect(bookmarks[0]?.object).toMatchObject({
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { resourceVersion: expect.any(String) },
  });
});

test('a compacted resourceVersion gives a 410 ERROR event', async () => {
  const list = await core.listNamespacedConfigMap({ namespace: 'default' });
  const old = list.metadata?.resourceVersion ?? '';
  await request(cluster, 'POST', CM, cm('w-after'));
  cluster.compactHistory();
  const events = await readWatch(cluster, `${CM}?watch=1&resourceVersion=${old}`, () => false);
  expect(events).toHaveLength(1);
  expect(events[0]?.type).toBe('ERROR');
  expect(events[0]?.object).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'Expired',
    code: 410,
  });
  expect(String(events[0]?.object.message)).toMatch(/^too old resource version: \d+ \(\d+\)$/);
});

test('an informer survives watch cuts and 410s, and its cache stays right', async () => {
  const kc = cluster.kubeConfig();
  let lists = 0;
  const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/inf/configmaps', () => {
    lists++;
    return core.listNamespacedConfigMap({ namespace: 'inf' });
  });
  await core.createNamespace({ body: { metadata: { name: 'inf' } } });
  const errors: unknown[] = [];
  informer.on('error', (err) => errors.push(err));
  await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'a' } } });
  await informer.start();
  try {
    const names = () =>
      informer
        .list('inf')
        .map((o) => o.metadata?.name)
        .sort()
        .join(',');
    await waitFor('the initial list', () => names() === 'a');
    expect(lists).toBe(1);
    // A clean cut: the informer re-watches from its resourceVersion and misses nothing.
    cluster.cutWatches();
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'b' } } });
    await waitFor('b after a watch cut', () => names() === 'a,b');
    expect(lists).toBe(1);
    // A cut while the history moves on: changes elsewhere, the watch cut, changes the informer cannot see,
    // the history compacted, all synchronously (through the store, in this tick) before its re-watch can
    // reach the server: the re-watch gets 410 Gone and the informer relists.
    for (let i = 0; i < 10; i++)
      cluster.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'churn-' } });
    cluster.cutWatches();
    cluster.store.delete('v1', 'ConfigMap', 'a', 'inf');
    cluster.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'inf' } });
    cluster.compactHistory();
    await waitFor('the relist after 410', () => names() === 'b,c');
    expect(lists).toBe(2);
    expect(errors).toEqual([]);
  } finally {
    await informer.stop();
  }
});
