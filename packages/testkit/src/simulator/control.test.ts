/** Switching the simulator off, pausing it, stopping it; determinism; pods it should leave alone. */
import { startTestCluster } from '../index';
import { waitFor } from '../testing/helpers';
import { conditionStatus, get, podStatus, podsOf, replicaSet, simCluster } from '../testing/simulator';
import { FakeClock, realClock } from './clock';

test('off (the default, or simulator: false): nothing creates or runs pods', async () => {
  for (const simulator of [undefined, false]) {
    const clock = new FakeClock();
    const cluster = await startTestCluster({ crdsDir: [], clock, gcDelayMs: 0, simulator });
    try {
      expect(cluster.simulator).toBeUndefined();
      const rs = cluster.store.create(replicaSet('idle'));
      cluster.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'alone', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      });
      await cluster.settled();
      clock.advance(60_000);
      expect(clock.pending).toBe(0);
      expect(podsOf(cluster.store, rs)).toEqual([]);
      expect(get(cluster.store, rs).status).toBeUndefined();
      expect(podStatus(cluster.store.get('v1', 'Pod', 'alone', 'default')).phase).toBe('Pending');
    } finally {
      await cluster.stop();
    }
  }
});

test('pause stops everything where it is; resume picks up from the objects', async () => {
  const { cluster, store, clock } = await simCluster();
  try {
    const rs = store.create(replicaSet('paused', { replicas: 2 }));
    clock.advance(0);
    cluster.simulator?.pause();
    expect(cluster.simulator?.running).toBe(false);
    expect(clock.pending).toBe(0);
    store.patch('apps/v1', 'ReplicaSet', 'paused', 'default', { spec: { replicas: 3 } });
    clock.advance(5000);
    expect(podsOf(store, rs)).toHaveLength(2);
    expect(podsOf(store, rs).every((p) => podStatus(p).phase === 'Pending')).toBe(true);
    cluster.simulator?.resume();
    clock.advance(0);
    expect(podsOf(store, rs)).toHaveLength(3);
    clock.advance(1000);
    expect(podsOf(store, rs).every((p) => conditionStatus(p, 'Ready') === 'True')).toBe(true);
    expect(get(store, rs).status).toMatchObject({ replicas: 3, readyReplicas: 3, observedGeneration: 2 });
  } finally {
    await cluster.stop();
  }
  expect(clock.pending).toBe(0);
  expect(cluster.simulator?.running).toBe(false);
  cluster.simulator?.resume(); // stopped for good
  expect(cluster.simulator?.running).toBe(false);
});

test('deterministic: the same seed and the same operations give the same pods', async () => {
  const run = async (seed: number) => {
    const { cluster, store, clock } = await simCluster({ simulatorSeed: seed });
    try {
      const rs = store.create(replicaSet('same', { replicas: 4 }));
      clock.advance(1000);
      return podsOf(store, rs).map((p) => `${p.metadata.name} ${podStatus(p).podIP}`);
    } finally {
      await cluster.stop();
    }
  };
  const first = await run(7);
  expect(await run(7)).toEqual(first);
  expect(await run(8)).not.toEqual(first);
});

test('pods created Pending are run whoever created them; pods given a status are left alone', async () => {
  const { cluster, store, clock } = await simCluster();
  try {
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mine', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    store.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'faked', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running' },
    });
    clock.advance(1000);
    expect(conditionStatus(store.get('v1', 'Pod', 'mine', 'default'), 'Ready')).toBe('True');
    expect(store.get('v1', 'Pod', 'faked', 'default')?.status).toEqual({ phase: 'Running' });
    // A standalone pod that runs to completion follows the Job rule.
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'once', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 4'] }],
      },
    });
    clock.advance(3000);
    const once = podStatus(store.get('v1', 'Pod', 'once', 'default'));
    expect(once.phase).toBe('Failed');
    expect(once.containerStatuses[0]?.state.terminated?.exitCode).toBe(4);
  } finally {
    await cluster.stop();
  }
});

test("the real clock: one unref'd timer queue, in order, cancellable; the simulator runs on it", async () => {
  const clock = realClock();
  const seen: string[] = [];
  clock.setTimer(10, () => seen.push('b'));
  clock.setTimer(0, () => {
    seen.push('a');
    clock.setTimer(0, () => seen.push('a2'));
  });
  const cancel = clock.setTimer(5, () => seen.push('never'));
  cancel();
  await waitFor('the timers', () => seen.length === 3, 2000);
  // Real time: only what cannot race is checked (a timer set by a timer runs after it; cancel works).
  expect([...seen].sort()).toEqual(['a', 'a2', 'b']);
  expect(seen.indexOf('a')).toBeLessThan(seen.indexOf('a2'));
  const cluster = await startTestCluster({ crdsDir: [], simulator: true, readyDelayMs: 20 });
  try {
    const rs = cluster.store.create(replicaSet('real', { replicas: 2 }));
    await waitFor(
      '2 ready replicas',
      () => (get(cluster.store, rs).status as { readyReplicas?: number } | undefined)?.readyReplicas === 2,
      3000,
    );
  } finally {
    await cluster.stop();
  }
});
