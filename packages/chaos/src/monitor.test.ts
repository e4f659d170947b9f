// The monitor against testkit's store (no simulator, no controller): the test makes each state by hand
// and checks that the monitor sees every one of them, and only the violations there are.
import { type KubeObject, startTestCluster, type TestCluster } from '@ramp/testkit';
import { InvariantMonitor } from './monitor';

const RO = 'argoproj.io/v1alpha1';
const NS = 'chaos';
let cluster: TestCluster;
let monitor: InvariantMonitor;

beforeEach(async () => {
  cluster = await startTestCluster({});
  cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  monitor = new InvariantMonitor(cluster.store, NS, () => 'test');
  monitor.start();
});
afterEach(async () => {
  monitor.stop();
  await cluster.stop();
});

function rollout(): KubeObject {
  return cluster.store.create({
    apiVersion: RO,
    kind: 'Rollout',
    metadata: { name: 'app', namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: { containers: [{ name: 'app', image: 'app:v1' }] },
      },
      strategy: { canary: { stableService: 'app-stable', maxSurge: 1, maxUnavailable: 1 } },
    },
  });
}

function replicaSet(owner: KubeObject, hash: string, replicas: number, name = `app-${hash}`): KubeObject {
  return cluster.store.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: NS,
      labels: { app: 'app', 'rollouts-pod-template-hash': hash },
      ownerReferences: [
        { apiVersion: RO, kind: 'Rollout', name: 'app', uid: owner.metadata.uid!, controller: true },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'app', 'rollouts-pod-template-hash': hash } },
      template: {
        metadata: { labels: { app: 'app', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [{ name: 'app', image: `app:${hash}` }] },
      },
    },
  });
}

function pod(rs: KubeObject, n: number, ready: boolean): void {
  cluster.store.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rs.metadata.name}-${n}`,
      namespace: NS,
      labels: rs.metadata.labels ?? {},
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name!,
          uid: rs.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { containers: [{ name: 'app', image: 'app' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

const status = (s: Record<string, unknown>) =>
  cluster.store.patchStatus(RO, 'Rollout', 'app', NS, { status: s });
const scale = (name: string, replicas: number) =>
  cluster.store.patch('apps/v1', 'ReplicaSet', name, NS, { spec: { replicas } });
const select = (hash: string) =>
  cluster.store.patch('v1', 'Service', 'app-stable', NS, {
    spec: { selector: { app: 'app', 'rollouts-pod-template-hash': hash } },
  });
const found = () => monitor.violations.map((v) => `${v.invariant}: ${v.message}`);

test('nothing is checked for availability before the first Healthy; from then on every state is', () => {
  cluster.store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'app-stable', namespace: NS },
    spec: { selector: { app: 'app' }, ports: [{ port: 80 }] },
  });
  const ro = rollout();
  const a = replicaSet(ro, 'aaa', 3);
  pod(a, 1, true);
  select('aaa');
  expect(found()).toEqual([]);
  pod(a, 2, true);
  pod(a, 3, true);
  status({ phase: 'Healthy', stableRS: 'aaa', currentPodHash: 'aaa' });
  expect(monitor.wasHealthy('app')).toBe(true);
  expect(found()).toEqual([]);

  // Replicas 3, maxUnavailable 1: 2 available pods is the floor. Scaled to 1, the RS keeps 1 of its 3 ready pods.
  scale('app-aaa', 1);
  expect(found()).toEqual(['availability: 1 available pods, below replicas − maxUnavailable = 2']);
  scale('app-aaa', 3);
  // One episode: the next violation of the same kind is a new entry only after it ended.
  scale('app-aaa', 0);
  expect(monitor.violationCount).toBe(2);
  scale('app-aaa', 3);

  // A new ReplicaSet whose pods are not ready; the Service moved to it.
  const b = replicaSet(ro, 'bbb', 3);
  pod(b, 1, false);
  select('bbb');
  expect(found().at(-1)).toBe(
    'service: Service app-stable selects bbb, whose ReplicaSet has no available pod, while app-aaa has 3',
  );
  select('aaa');

  // The stable moved to it.
  status({ stableRS: 'bbb', currentPodHash: 'bbb' });
  expect(found().at(-1)).toBe(
    'stable-rs: status.stableRS moved from aaa to bbb, whose ReplicaSet app-bbb has 0 available pods of 3',
  );

  // A second ReplicaSet with the hash.
  replicaSet(ro, 'aaa', 0, 'app-aaa-again');
  expect(found().at(-1)).toBe('duplicate-hash: ReplicaSets app-aaa and app-aaa-again both carry aaa');
  expect(monitor.statesChecked).toBeGreaterThan(10);
});
