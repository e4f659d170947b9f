/** The ReplicaSet controller and the kubelet on a FakeClock: scale up, readiness, availability, scale down. */
import { ObjectStore } from '../store/object-store';
import {
  conditionStatus,
  get,
  podStatus,
  podsOf,
  replicaSet,
  type SimCluster,
  simCluster,
} from '../testing/simulator';

let sim: SimCluster;

beforeEach(async () => {
  sim = await simCluster();
});

afterEach(async () => {
  await sim.cluster.stop();
  expect(sim.clock.pending).toBe(0);
});

test('scale up: pods from the template, owned by the ReplicaSet, Ready after the delay', () => {
  const { store, clock } = sim;
  const rs = store.create(replicaSet('web'));
  clock.advance(0);
  const pods = podsOf(store, rs);
  expect(pods).toHaveLength(3);
  for (const pod of pods) {
    expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.namespace).toBe('default');
    expect(pod.metadata.labels).toEqual({ app: 'web', 'rollouts-pod-template-hash': 'abc123' });
    expect(pod.metadata.annotations).toEqual({ 'example.com/note': 'from the template' });
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pod.spec).toMatchObject({ containers: [{ name: 'app', image: 'nginx:1.27' }] });
    expect(podStatus(pod).phase).toBe('Pending');
    expect(podStatus(pod).containerStatuses[0]?.state.waiting?.reason).toBe('ContainerCreating');
  }
  expect(get(store, rs).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });

  clock.advance(999);
  expect(podsOf(store, rs).every((p) => conditionStatus(p, 'Ready') === 'False')).toBe(true);
  clock.advance(1);
  for (const pod of podsOf(store, rs)) {
    const status = podStatus(pod);
    expect(status.phase).toBe('Running');
    expect(status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(status.startTime).toBe('2025-01-01T00:00:00Z');
    expect(status.conditions.map((c) => `${c.type}=${c.status}`).sort()).toEqual([
      'ContainersReady=True',
      'Initialized=True',
      'PodReadyToStartContainers=True',
      'PodScheduled=True',
      'Ready=True',
    ]);
    expect(status.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2025-01-01T00:00:01Z',
    );
    expect(status.containerStatuses).toEqual([
      {
        name: 'app',
        image: 'nginx:1.27',
        ready: true,
        started: true,
        restartCount: 0,
        lastState: {},
        state: { running: { startedAt: '2025-01-01T00:00:01Z' } },
      },
    ]);
  }
  expect(get(store, rs).status).toEqual({
    replicas: 3,
    fullyLabeledReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    observedGeneration: 1,
  });
});

test('availableReplicas waits for minReadySeconds; observedGeneration follows the generation', () => {
  const { store, clock } = sim;
  const rs = store.create(replicaSet('slow', { replicas: 2, minReadySeconds: 10 }));
  clock.advance(1000);
  expect(get(store, rs).status).toMatchObject({ readyReplicas: 2, observedGeneration: 1 });
  expect(get(store, rs).status).not.toHaveProperty('availableReplicas');
  clock.advance(9999); // Ready since 1 s: available at 11 s
  expect(get(store, rs).status).not.toHaveProperty('availableReplicas');
  clock.advance(1);
  expect(get(store, rs).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  store.patch('apps/v1', 'ReplicaSet', 'slow', 'default', { spec: { replicas: 3 } });
  clock.advance(0);
  expect(get(store, rs).metadata.generation).toBe(2);
  expect(get(store, rs).status).toMatchObject({ replicas: 3, readyReplicas: 2, observedGeneration: 2 });
  clock.advance(1000);
  expect(get(store, rs).status).toMatchObject({ readyReplicas: 3, availableReplicas: 2 });
  clock.advance(10_000);
  expect(get(store, rs).status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
});

test('scale down deletes the not-ready pods first, then those Ready for less time, then the newest', () => {
  const { store, clock } = sim;
  const created: string[] = [];
  const unsubscribe = store.subscribe(
    (c) => {
      if (c.type === 'ADDED') created.push(c.object.metadata.name ?? '');
    },
    { apiVersion: 'v1', kind: 'Pod' },
  );
  const rs = store.create(replicaSet('down', { replicas: 2 }));
  const scale = (replicas: number) => {
    store.patch('apps/v1', 'ReplicaSet', 'down', 'default', { spec: { replicas } });
    clock.advance(0);
  };
  const names = () => podsOf(store, rs).map((p) => p.metadata.name ?? '');
  clock.advance(1000); // a and b Ready at 1 s
  scale(3);
  clock.advance(2000); // c Ready at 3 s
  scale(4);
  clock.advance(500); // d not Ready yet
  unsubscribe();
  const [a, b, c, d] = created;
  expect(names().sort()).toEqual([a, b, c, d].sort());
  scale(3);
  expect(names()).not.toContain(d);
  scale(2);
  expect(names()).not.toContain(c);
  scale(1);
  expect(names()).toEqual([a]);
  expect(get(store, rs).status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  scale(0);
  expect(names()).toEqual([]);
  expect(get(store, rs).status).toEqual({ replicas: 0, observedGeneration: 7 });
});

test('deleting the ReplicaSet: the garbage collector removes its pods', async () => {
  const { store, clock, cluster } = sim;
  const rs = store.create(replicaSet('gone', { replicas: 2 }));
  clock.advance(1000);
  expect(podsOf(store, rs)).toHaveLength(2);
  store.delete('apps/v1', 'ReplicaSet', 'gone', 'default');
  await cluster.settled();
  clock.advance(0);
  expect(podsOf(store, rs)).toEqual([]);
  // Foreground: the pods go first, the ReplicaSet (not re-creating them) after.
  const fg = store.create(replicaSet('fg', { replicas: 2 }));
  clock.advance(1000);
  store.delete('apps/v1', 'ReplicaSet', 'fg', 'default', { propagationPolicy: 'Foreground' });
  clock.advance(0);
  await cluster.settled();
  clock.advance(0);
  await cluster.settled();
  expect(podsOf(store, fg)).toEqual([]);
  expect(store.get('apps/v1', 'ReplicaSet', 'fg', 'default')).toBeUndefined();
});

test('only the pods it controls and its selector matches count', () => {
  const { store, clock } = sim;
  store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stray', namespace: 'default', labels: { app: 'sel' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  });
  const rs = store.create(replicaSet('sel', { replicas: 2 }));
  clock.advance(1000);
  expect(podsOf(store, rs)).toHaveLength(2);
  // A pod that stops matching the selector no longer counts: a replacement is created (no release).
  const [moved] = podsOf(store, rs);
  store.patch('v1', 'Pod', moved?.metadata.name ?? '', 'default', { metadata: { labels: { app: 'other' } } });
  clock.advance(0);
  expect(podsOf(store, rs)).toHaveLength(3);
  expect(get(store, rs).status).toMatchObject({ replicas: 2 });
  expect(store.get('v1', 'Pod', 'stray', 'default')?.metadata.ownerReferences).toBeUndefined();
});

test('no write storms: one status write per change, nothing once settled', () => {
  const { store, clock } = sim;
  const writes: string[] = [];
  store.subscribe((c) => writes.push(`${c.type} ${c.object.kind} ${c.object.metadata.name}`));
  store.create(replicaSet('calm', { replicas: 3 }));
  clock.advance(0);
  // The ReplicaSet, its 3 pods, their ContainerCreating status, one RS status write.
  expect(writes.filter((w) => w.includes('ReplicaSet'))).toEqual([
    'ADDED ReplicaSet calm',
    'MODIFIED ReplicaSet calm',
  ]);
  expect(writes.filter((w) => w.startsWith('ADDED Pod'))).toHaveLength(3);
  expect(writes.filter((w) => w.startsWith('MODIFIED Pod'))).toHaveLength(3);
  clock.advance(1000);
  expect(writes.filter((w) => w.includes('ReplicaSet'))).toHaveLength(3);
  const rv = store.resourceVersion;
  clock.advance(60_000); // a dozen resyncs
  expect(store.resourceVersion).toBe(rv);
});

test('a sync reads only its own pods (the owner index), whatever else the namespace holds', () => {
  const { store, clock } = sim;
  for (let i = 0; i < 50; i++) store.create(replicaSet(`crowd-${i}`, { replicas: 2 }));
  clock.advance(1000);
  const list = jest.spyOn(ObjectStore.prototype, 'list');
  const peekList = jest.spyOn(ObjectStore.prototype, 'peekList');
  const get = jest.spyOn(ObjectStore.prototype, 'get');
  try {
    const rs = store.create(replicaSet('mine', { replicas: 3 }));
    clock.advance(1000);
    store.patch('apps/v1', 'ReplicaSet', 'mine', 'default', { spec: { replicas: 1 } });
    clock.advance(0);
    // The simulator neither lists nor copies stored objects (its reads share them).
    expect(list).not.toHaveBeenCalled();
    expect(peekList).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
    expect(podsOf(store, rs).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(store.list('v1', 'Pod', { namespace: 'default' })).toHaveLength(101);
  } finally {
    jest.restoreAllMocks();
  }
});
