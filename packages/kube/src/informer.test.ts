import type { Rollout } from '@ramp/api';
import { startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import { backoffDelay } from './backoff';
import { Informer } from './informer';
import { KubeClient } from './kube-client';
import { CONTROLLER_UID_INDEX, controllerUidIndex } from './object-cache';
import { RESOURCES } from './resources';
import {
  type ReplicaSetObject as ReplicaSet,
  RequestLog,
  replicaSetObject,
  rolloutObject,
  stored,
} from './testing';

let cluster: TestCluster;
let client: KubeClient;
const requests = new RequestLog();
const informers: Informer<Rollout | ReplicaSet>[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new KubeClient(cluster.kubeConfig(), { qps: 1000, burst: 1000, onRequest: requests.record });
});

afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  client.close();
  await cluster.stop();
});

function rolloutInformer(namespace?: string): { informer: Informer<Rollout>; events: string[] } {
  const informer = new Informer<Rollout>(client, {
    resource: RESOURCES.rollouts,
    namespace,
    backoff: { initialMs: 5, maxMs: 50 },
    random: () => 0.5,
  });
  informers.push(informer as Informer<Rollout | ReplicaSet>);
  const events: string[] = [];
  informer.addHandlers({
    onAdd: (o) => events.push(`add ${o.metadata.name}`),
    onUpdate: (_, o) => events.push(`update ${o.metadata.name}`),
    onDelete: (o) => events.push(`delete ${o.metadata.name}`),
  });
  return { informer, events };
}

/** The cache equals the server's objects, resourceVersions included. */
function expectExact(informer: Informer<Rollout>, namespace: string): void {
  const server = cluster.store
    .list('argoproj.io/v1alpha1', 'Rollout', { namespace })
    .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
  const cached = informer
    .list(namespace)
    .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
  expect(cached).toEqual(server);
}

test('initial list, then watch; handlers see adds, updates and deletes', async () => {
  cluster.store.create(stored(rolloutObject('a', {}, 'kube-public')));
  const { informer, events } = rolloutInformer('kube-public');
  informer.start();
  await informer.whenSynced();
  expect(informer.hasSynced()).toBe(true);
  expect(informer.get('kube-public', 'a')?.metadata.name).toBe('a');
  cluster.store.create(stored(rolloutObject('b', {}, 'kube-public')));
  cluster.store.patch('argoproj.io/v1alpha1', 'Rollout', 'a', 'kube-public', { spec: { replicas: 5 } });
  cluster.store.delete('argoproj.io/v1alpha1', 'Rollout', 'b', 'kube-public');
  await waitFor('the delete', () => events.includes('delete b'));
  expect(events).toEqual(['add a', 'add b', 'update a', 'delete b']);
  expect(informer.get('kube-public', 'a')?.spec.replicas).toBe(5);
  expectExact(informer, 'kube-public');
});

test('a cut watch resumes from the last resourceVersion without relisting', async () => {
  const ns = 'kube-node-lease';
  const { informer, events } = rolloutInformer(ns);
  informer.start();
  await informer.whenSynced();
  const lists = () =>
    requests.records.filter((r) => !r.watch && r.path.includes(`/namespaces/${ns}/rollouts`)).length;
  const listsBefore = lists();
  cluster.cutWatches();
  cluster.store.create(stored(rolloutObject('after-cut', {}, ns)));
  await waitFor('the add after the cut', () => events.includes('add after-cut'));
  expect(lists()).toBe(listsBefore);
  expectExact(informer, ns);
});

test('410 Gone: relist and emit exactly the differences', async () => {
  const ns = 'default';
  for (const name of ['keep', 'change', 'remove']) cluster.store.create(stored(rolloutObject(name, {}, ns)));
  const { informer, events } = rolloutInformer(ns);
  informer.start();
  await informer.whenSynced();
  events.length = 0;
  const lists = () =>
    requests.records.filter((r) => !r.watch && r.path.endsWith(`/namespaces/${ns}/rollouts`));
  const listsBefore = lists().length;
  // Everything below happens while no watch is open, then the history is forgotten: the re-watch gets 410.
  cluster.cutWatches();
  cluster.store.patch('argoproj.io/v1alpha1', 'Rollout', 'change', ns, { spec: { replicas: 7 } });
  cluster.store.delete('argoproj.io/v1alpha1', 'Rollout', 'remove', ns);
  cluster.store.create(stored(rolloutObject('new', {}, ns)));
  cluster.compactHistory();
  await waitFor('the relist', () => events.length >= 3);
  expect(events.sort()).toEqual(['add new', 'delete remove', 'update change']);
  expect(lists().length).toBe(listsBefore + 1);
  expectExact(informer, ns);
  // and it keeps watching after the relist
  cluster.store.create(stored(rolloutObject('later', {}, ns)));
  await waitFor('the add after the relist', () => events.includes('add later'));
  expectExact(informer, ns);
});

test('errors back off and recover; stop() ends the loop at once', async () => {
  cluster.setFaults('error=1,codes=500');
  const { informer } = rolloutInformer();
  informer.start();
  try {
    await waitFor('failed lists', () => requests.records.filter((r) => r.status === 500).length >= 3);
    expect(informer.hasSynced()).toBe(false);
  } finally {
    cluster.setFaults(undefined);
  }
  await informer.whenSynced();
  const started = Date.now();
  await informer.stop();
  expect(Date.now() - started).toBeLessThan(1000);
  await expect(informer.whenSynced()).resolves.toBeUndefined();
});

test('indexes by controller owner uid follow ownership changes', async () => {
  const informer = new Informer<ReplicaSet>(client, {
    resource: RESOURCES.replicaSets,
    namespace: 'kube-system',
    indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndex },
  });
  informers.push(informer as Informer<Rollout | ReplicaSet>);
  const owner = cluster.store.create(stored(rolloutObject('r', {}, 'kube-system')));
  const ref = { name: 'r', uid: owner.metadata.uid! };
  cluster.store.create(stored(replicaSetObject('owned-1', 'h1', ref, 1, 'kube-system')));
  informer.start();
  await informer.whenSynced();
  cluster.store.create(stored(replicaSetObject('owned-2', 'h2', ref, 1, 'kube-system')));
  await waitFor('two owned', () => informer.byIndex(CONTROLLER_UID_INDEX, ref.uid).length === 2);
  cluster.store.patch('apps/v1', 'ReplicaSet', 'owned-1', 'kube-system', {
    metadata: { ownerReferences: null },
  });
  await waitFor('one owned', () => informer.byIndex(CONTROLLER_UID_INDEX, ref.uid).length === 1);
  expect(informer.byIndex(CONTROLLER_UID_INDEX, ref.uid)[0]?.metadata.name).toBe('owned-2');
  expect(informer.list('kube-system').length).toBe(2);
});

test('backoff doubles, is capped and jittered by the injected random', () => {
  const policy = { initialMs: 100, maxMs: 1000 };
  expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy, () => 0))).toEqual([
    100, 200, 400, 800, 1000, 1000,
  ]);
  expect(backoffDelay(3, policy, () => 1)).toBe(200);
  expect(backoffDelay(100, policy, () => 0.5)).toBe(750);
});
