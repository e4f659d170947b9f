/** Bad images: CrashLoopBackOff with restarts, never Ready; the rule is configurable and can change. */

import {
  conditionStatus,
  get,
  podStatus,
  podsOf,
  replicaSet,
  type SimCluster,
  simCluster,
} from '../testing/simulator';
import type { KubeObject } from '../types';

let sim: SimCluster | undefined;

afterEach(async () => {
  await sim?.cluster.stop();
  expect(sim?.clock.pending).toBe(0);
  sim = undefined;
});

function restarts(pods: KubeObject[]): number[] {
  return pods.map((p) => podStatus(p).containerStatuses[0]?.restartCount ?? -1);
}

test('a tag ending in "bad": CrashLoopBackOff, restarts every interval, never Ready, none available', async () => {
  sim = await simCluster();
  const { store, clock } = sim;
  const rs = store.create(replicaSet('crash', { replicas: 2, image: 'registry.local:5000/app:v2-bad' }));
  clock.advance(1000);
  for (const pod of podsOf(store, rs)) {
    const status = podStatus(pod);
    expect(status.phase).toBe('Running');
    expect(conditionStatus(pod, 'Ready')).toBe('False');
    expect(conditionStatus(pod, 'ContainersReady')).toBe('False');
    expect(status.conditions.find((c) => c.type === 'Ready')?.reason).toBe('ContainersNotReady');
    const [container] = status.containerStatuses;
    expect(container).toMatchObject({ name: 'app', ready: false, started: false, restartCount: 1 });
    expect(container?.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(container?.state.waiting?.message).toMatch(
      new RegExp(`^back-off 10s restarting failed container=app pod=${pod.metadata.name}_default\\(`),
    );
  }
  expect(restarts(podsOf(store, rs))).toEqual([1, 1]);
  clock.advance(1000);
  expect(restarts(podsOf(store, rs))).toEqual([2, 2]);
  clock.advance(3000);
  expect(restarts(podsOf(store, rs))).toEqual([5, 5]);
  const status = get(store, rs).status;
  expect(status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
});

test('the image list and setBadImageRule: a crashing container heals at its next restart', async () => {
  sim = await simCluster({ badImage: ['nginx:1.27'] });
  const { store, clock, cluster } = sim;
  const rs = store.create(replicaSet('listed', { replicas: 1 }));
  const good = store.create(replicaSet('fine', { replicas: 1, image: 'nginx:1.28' }));
  clock.advance(1000);
  expect(conditionStatus(podsOf(store, rs)[0], 'Ready')).toBe('False');
  expect(conditionStatus(podsOf(store, good)[0], 'Ready')).toBe('True');
  clock.advance(2000);
  cluster.simulator?.setBadImageRule(() => false);
  clock.advance(1000);
  const [pod] = podsOf(store, rs);
  expect(conditionStatus(pod, 'Ready')).toBe('True');
  expect(podStatus(pod).containerStatuses[0]).toMatchObject({ ready: true, restartCount: 3 });
  expect(get(store, rs).status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
  // A predicate replaces the rule: now `-bad` tags are fine and everything else crashes.
  cluster.simulator?.setBadImageRule((image) => !image.endsWith('-bad'));
  const other = store.create(replicaSet('other', { replicas: 1, image: 'app:v3-bad' }));
  clock.advance(1000);
  expect(conditionStatus(podsOf(store, other)[0], 'Ready')).toBe('True');
});

test('one bad container of two: the pod is Running, not Ready; the good one runs', async () => {
  sim = await simCluster();
  const { store, clock } = sim;
  const rs = replicaSet('sidecar', { replicas: 1 });
  const spec = (rs.spec as { template: { spec: { containers: unknown[] } } }).template.spec;
  spec.containers.push({ name: 'proxy', image: 'envoy:bad' });
  store.create(rs);
  clock.advance(1000);
  const [pod] = podsOf(store, get(store, rs));
  const status = podStatus(pod);
  expect(status.containerStatuses.map((c) => [c.name, c.ready, c.restartCount])).toEqual([
    ['app', true, 0],
    ['proxy', false, 1],
  ]);
  expect(status.conditions.find((c) => c.type === 'Ready')?.reason).toBe('ContainersNotReady');
  expect(conditionStatus(pod, 'Ready')).toBe('False');
});
