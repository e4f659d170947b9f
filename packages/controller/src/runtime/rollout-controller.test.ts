import type { AnalysisTemplate, Rollout } from '@ramp/api';
import { RequestLog, replicaSetObject, rolloutObject, serviceObject, stored } from '@ramp/kube/testing';
import { startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { fakeDecide, hashOf } from '../testing/fake-decide';
import { type RunningController, startController } from './start-controller';

const RO = 'argoproj.io/v1alpha1';
let cluster: TestCluster;
let controller: RunningController;
const requests = new RequestLog();
const { decide, calls, seen, failNext, wakeAt } = fakeDecide();

beforeAll(async () => {
  cluster = await startTestCluster();
  controller = await startController({
    kubeConfig: cluster.kubeConfig(),
    decide,
    qps: 1000,
    burst: 1000,
    onRequest: requests.record,
  });
});

afterAll(async () => {
  await controller.stop(2000);
  await cluster.stop();
});

const getRollout = (name: string, ns = 'default') =>
  cluster.store.get(RO, 'Rollout', name, ns) as unknown as Rollout;

function create(name: string, extra: Partial<Rollout['spec']> = {}, ns = 'default'): Rollout {
  return cluster.store.create(stored(rolloutObject(name, extra, ns))) as unknown as Rollout;
}

/** The caches hold what the server holds, for every object of these kinds in `ns`. */
function cachesCaughtUp(ns: string): boolean {
  const same = (server: { metadata: { name?: string; resourceVersion?: string } }[], cached: typeof server) =>
    server
      .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
      .sort()
      .join() ===
    cached
      .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
      .sort()
      .join();
  const { caches } = controller;
  return (
    same(cluster.store.list(RO, 'Rollout', { namespace: ns }), caches.rollouts.list(ns)) &&
    same(cluster.store.list('apps/v1', 'ReplicaSet', { namespace: ns }), caches.replicaSets.list(ns)) &&
    same(cluster.store.list('v1', 'Service', { namespace: ns }), caches.services.list(ns))
  );
}

/** Waits for every Rollout named to be Healthy with caches caught up and the queue idle. */
async function converged(names: string[], ns = 'default', timeoutMs = 4000): Promise<void> {
  await waitFor(
    `${names.join(', ')} to converge`,
    async () => {
      await controller.rollouts.queue.whenIdle();
      return (
        names.every((n) => getRollout(n, ns)?.status?.phase === 'Healthy') &&
        cachesCaughtUp(ns) &&
        controller.rollouts.queue.length === 0 &&
        controller.rollouts.queue.active === 0
      );
    },
    timeoutMs,
  );
}

/** Reconciles `names` again and returns the writes they made (none at a fixed point). */
async function writesOfAnotherPass(names: string[], ns = 'default'): Promise<string[]> {
  const from = requests.length;
  const before = calls.length;
  for (const n of names) controller.rollouts.queue.add(`${ns}/${n}`);
  await controller.rollouts.queue.whenIdle();
  expect(calls.length).toBeGreaterThanOrEqual(before + names.length);
  return requests.writes(from);
}

test('end to end: a Rollout gets its ReplicaSet, Service and status, then a fixed point with zero writes', async () => {
  cluster.store.create(stored(serviceObject('app-stable', { app: 'app' })));
  const rollout = create('app', { strategy: { canary: { stableService: 'app-stable', steps: [] } } });
  await converged(['app']);
  const hash = hashOf(rollout);
  const rs = cluster.store.get('apps/v1', 'ReplicaSet', `app-${hash}`, 'default') as unknown as ReplicaSet;
  expect(rs.spec.replicas).toBe(2);
  expect(rs.metadata.ownerReferences?.[0]?.uid).toBe(rollout.metadata.uid);
  const svc = cluster.store.get('v1', 'Service', 'app-stable', 'default') as unknown as Service;
  expect(svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(hash);
  expect(getRollout('app').status).toMatchObject({ phase: 'Healthy', currentPodHash: hash, replicas: 2 });
  const events = cluster.store.list('v1', 'Event', { namespace: 'default' });
  expect(events.filter((e) => (e.involvedObject as { name?: string }).name === 'app')).toHaveLength(1);
  expect(await writesOfAnotherPass(['app'])).toEqual([]);
  // a relist (410) changes nothing either
  const from = requests.length;
  cluster.cutWatches();
  cluster.compactHistory();
  await waitFor(
    'the relists',
    () => requests.records.slice(from).filter((r) => !r.watch && r.method === 'GET').length >= 4,
  );
  await converged(['app']);
  expect(requests.writes(from)).toEqual([]);
});

test('the snapshot holds what the Rollout owns and names, from the caches only', async () => {
  const other = create('other');
  const ro = create('snap', {
    strategy: { canary: { canaryService: 'snap-canary', stableService: 'snap-stable', steps: [] } },
  });
  cluster.store.create(stored(serviceObject('snap-stable', { app: 'snap' })));
  cluster.store.create(
    stored(replicaSetObject('not-mine', 'zz', { name: 'other', uid: other.metadata.uid! }, 0)),
  );
  await converged(['snap', 'other']);
  const s = seen.get('snap')!;
  expect(s.replicaSets.map((r) => r.metadata.name)).toEqual([`snap-${hashOf(ro)}`]);
  expect([...s.services.keys()].sort()).toEqual(['snap-canary', 'snap-stable']);
  expect(s.services.get('snap-canary')).toBeUndefined();
  expect(s.services.get('snap-stable')?.metadata.name).toBe('snap-stable');
  const gets = requests.records.filter(
    (r) => r.method === 'GET' && !r.watch && /\/[^/]+\/[^/]+s\/[^/]+$/.test(r.path),
  );
  expect(gets.filter((r) => r.path.includes('/snap'))).toEqual([]); // no API reads by name
});

test('events are routed: owned ReplicaSets, named Services and templates reach their Rollout', async () => {
  const ro = create('routed', {
    strategy: {
      canary: {
        stableService: 'routed-svc',
        steps: [{ analysis: { templates: [{ templateName: 'routed-tpl' }] } }],
      },
    },
  });
  cluster.store.create(stored(serviceObject('routed-svc', { app: 'routed' })));
  await converged(['routed']);
  const count = () => calls.filter((n) => n === 'routed').length;

  let before = count();
  cluster.store.patch('apps/v1', 'ReplicaSet', `routed-${hashOf(ro)}`, 'default', { spec: { replicas: 5 } });
  await waitFor('the ReplicaSet scaled back by the controller', () => {
    const rs = cluster.store.get(
      'apps/v1',
      'ReplicaSet',
      `routed-${hashOf(ro)}`,
      'default',
    ) as unknown as ReplicaSet;
    return count() > before && rs.spec.replicas === 2;
  });

  await converged(['routed']);
  before = count();
  cluster.store.patch(
    'v1',
    'Service',
    'routed-svc',
    'default',
    { spec: { selector: { app: 'routed' } } },
    'merge',
  );
  cluster.store.patch('v1', 'Service', 'routed-svc', 'default', {
    spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: null } },
  });
  await waitFor('the Service pointed back', () => {
    const svc = cluster.store.get('v1', 'Service', 'routed-svc', 'default') as unknown as Service;
    return count() > before && svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL] === hashOf(ro);
  });

  await converged(['routed']);
  before = count();
  const template: AnalysisTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'routed-tpl', namespace: 'default' },
    spec: { metrics: [{ name: 'm', provider: { web: { url: 'http://127.0.0.1:1' } } }] },
  };
  cluster.store.create(stored(template));
  await waitFor(
    'the template in a snapshot',
    () => count() > before && seen.get('routed')?.templates.has('routed-tpl'),
  );

  await converged(['routed']);
  before = count();
  cluster.store.create(stored(serviceObject('unrelated', { app: 'x' })));
  await waitFor('the unrelated Service in the cache', () =>
    controller.caches.services.get('default', 'unrelated'),
  );
  await controller.rollouts.queue.whenIdle();
  expect(count()).toBe(before);
  expect(controller.rollouts.rolloutsReferencingService('default/routed-svc')).toEqual(['default/routed']);
});

test('a failing reconcile retries with backoff until it succeeds', async () => {
  failNext.set('flaky', 3);
  create('flaky');
  await converged(['flaky']);
  expect(calls.filter((n) => n === 'flaky').length).toBeGreaterThanOrEqual(4);
  expect(controller.rollouts.queue.failures('default/flaky')).toBe(0);
});

test('plan.wakeAt brings the Rollout back at that time; a deleted Rollout is left alone', async () => {
  create('sleepy');
  await converged(['sleepy']);
  const count = () => calls.filter((n) => n === 'sleepy').length;
  wakeAt.set('sleepy', new Date(Date.now() + 300));
  controller.rollouts.queue.add('default/sleepy');
  await controller.rollouts.queue.whenIdle();
  const before = count();
  expect(controller.rollouts.queue.scheduled).toBeGreaterThanOrEqual(1);
  await waitFor('the wake-up', () => count() > before);
  expect(Date.now()).toBeGreaterThanOrEqual(wakeAt.get('sleepy')!.getTime() - 5);
  cluster.store.delete(RO, 'Rollout', 'sleepy', 'default');
  await waitFor('the delete in the cache', () => !controller.caches.rollouts.get('default', 'sleepy'));
  const after = count();
  controller.rollouts.queue.add('default/sleepy');
  await controller.rollouts.queue.whenIdle();
  expect(count()).toBe(after);
});

test('with 30% of writes answered 409 Conflict, every Rollout still converges', async () => {
  const ns = 'kube-public';
  const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
  cluster.setFaults('conflict=0.3,seed=7');
  try {
    for (const n of names) {
      cluster.store.create(stored(serviceObject(`${n}-svc`, { app: n }, ns)));
      create(n, { strategy: { canary: { stableService: `${n}-svc`, steps: [] } } }, ns);
    }
    await waitFor('conflicts to happen', () => requests.records.some((r) => r.status === 409), 4000);
    await converged(names, ns, 8000);
  } finally {
    cluster.setFaults(undefined);
  }
  expect(requests.records.filter((r) => r.status === 409).length).toBeGreaterThan(0);
  for (const n of names) {
    const svc = cluster.store.get('v1', 'Service', `${n}-svc`, ns) as unknown as Service;
    expect(svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(getRollout(n, ns).status?.currentPodHash);
  }
  expect(await writesOfAnotherPass(names, ns)).toEqual([]);
}, 15_000);

test('a reconcile on a cache still behind its own status write waits for the watch instead of writing', async () => {
  create('lag');
  await converged(['lag']);
  // a user's change (the Rollout at version B): the controller reconciles it and writes the status (C)
  cluster.store.patch(RO, 'Rollout', 'lag', 'default', { spec: { replicas: 3 } }, 'merge');
  const b = structuredClone(getRollout('lag'));
  await converged(['lag']);
  const c = controller.caches.rollouts.get('default', 'lag')!;
  expect(c.status?.replicas).toBe(3);
  expect(c.metadata.resourceVersion).not.toBe(b.metadata.resourceVersion);
  // the cache goes back to B, as if C's watch event had not arrived: nothing is decided on it
  controller.caches.rollouts.cache.upsert(b as never);
  const before = calls.length;
  const from = requests.length;
  await controller.rollouts.reconcile('default/lag');
  expect(calls.length).toBe(before);
  expect(requests.writes(from)).toEqual([]);
  // C arrives: the Rollout is decided on again
  controller.caches.rollouts.cache.upsert(c);
  await controller.rollouts.reconcile('default/lag');
  expect(calls.length).toBe(before + 1);
});
