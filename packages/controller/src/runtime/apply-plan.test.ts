import type { Rollout, RolloutStatus } from '@ramp/api';
import { KubeClient } from '@ramp/kube';
import {
  analysisRunObject,
  RequestLog,
  replicaSetObject,
  rolloutObject,
  serviceObject,
  stored,
} from '@ramp/kube/testing';
import { startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../model/kube-objects';
import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { emptyPlan, type RolloutPlan } from '../model/plan';
import { applyPlan, replicaSetPatch, servicePatch } from './apply-plan';
import { ControllerCaches } from './controller-caches';
import { EventRecorder } from './event-recorder';
import { buildSnapshot } from './snapshot-builder';

let cluster: TestCluster;
let client: KubeClient;
let caches: ControllerCaches;
const requests = new RequestLog();
const NS = 'default';

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new KubeClient(cluster.kubeConfig(), { qps: 1000, burst: 1000, onRequest: requests.record });
  caches = new ControllerCaches({ client });
  caches.start();
  await caches.whenSynced();
});

afterAll(async () => {
  await caches.stop();
  client.close();
  await cluster.stop();
});

function snapshotOf(name: string) {
  const rollout = caches.rollouts.get(NS, name);
  if (!rollout) throw new Error(`no cached rollout ${name}`);
  return buildSnapshot(caches, rollout);
}

/** A Rollout with a stable ReplicaSet (3 replicas), an old one, a running AnalysisRun and two Services. */
function setUp(name: string): { rollout: Rollout; owner: { name: string; uid: string } } {
  const canary = {
    canaryService: `${name}-canary`,
    stableService: `${name}-stable`,
    steps: [{ setWeight: 50 }],
  };
  const rollout = cluster.store.create(
    stored(rolloutObject(name, { strategy: { canary } })),
  ) as unknown as Rollout;
  const owner = { name, uid: rollout.metadata.uid! };
  cluster.store.create(stored(replicaSetObject(`${name}-stable1`, 'stable1', owner, 3)));
  cluster.store.create(stored(replicaSetObject(`${name}-old0`, 'old0', owner, 0)));
  cluster.store.create(stored(analysisRunObject(`${name}-run1`, owner)));
  for (const svc of [canary.canaryService, canary.stableService]) {
    cluster.store.create(stored(serviceObject(svc, { app: name, [POD_TEMPLATE_HASH_LABEL]: 'stable1' })));
  }
  return { rollout, owner };
}

async function cachesHold(name: string): Promise<void> {
  await waitFor('the caches', () => {
    const s = caches.rollouts.get(NS, name) ? snapshotOf(name) : undefined;
    return (
      s &&
      s.replicaSets.length === 2 &&
      s.analysisRuns.length === 1 &&
      [...s.services.values()].every(Boolean)
    );
  });
}

test('a full plan: exactly the expected calls in order; the same plan again writes nothing', async () => {
  const { owner } = setUp('web');
  await cachesHold('web');
  const status: RolloutStatus = {
    phase: 'Progressing',
    currentPodHash: 'new2',
    currentStepIndex: 0,
    canary: { weights: { canary: { weight: 50, podTemplateHash: 'new2' }, stable: { weight: 50 } } },
  };
  const plan: RolloutPlan = {
    ...emptyPlan(status),
    createReplicaSet: replicaSetObject('web-new2', 'new2', owner, 0),
    updateServices: [
      { name: 'web-canary', podTemplateHash: 'new2', managedBy: 'web' },
      { name: 'web-stable', podTemplateHash: 'stable1', managedBy: 'web' },
    ],
    updateReplicaSets: [
      { name: 'web-stable1', replicas: 2, annotations: { 'rollout.argoproj.io/desired-replicas': '3' } },
      { name: 'web-new2', replicas: 2, annotations: { 'rollout.argoproj.io/revision': '2' } },
    ],
    deleteReplicaSets: ['web-old0'],
    createAnalysisRuns: [analysisRunObject('web-new2-2', owner)],
    terminateAnalysisRuns: ['web-run1'],
  };
  const from = requests.length;
  const result = await applyPlan({ client }, snapshotOf('web'), plan);
  const writes = requests.writes(from);
  expect(writes).toEqual([
    'POST /apis/apps/v1/namespaces/default/replicasets',
    'PATCH /api/v1/namespaces/default/services/web-canary',
    'PATCH /api/v1/namespaces/default/services/web-stable',
    'PATCH /apis/apps/v1/namespaces/default/replicasets/web-new2', // the scale-up first
    'PATCH /apis/apps/v1/namespaces/default/replicasets/web-stable1',
    'POST /apis/argoproj.io/v1alpha1/namespaces/default/analysisruns',
    'PATCH /apis/argoproj.io/v1alpha1/namespaces/default/analysisruns/web-run1',
    'DELETE /apis/apps/v1/namespaces/default/replicasets/web-old0',
    'PATCH /apis/argoproj.io/v1alpha1/namespaces/default/rollouts/web/status',
  ]);
  expect(result.writes).toHaveLength(writes.length);
  const canarySvc = cluster.store.get('v1', 'Service', 'web-canary', NS) as unknown as Service;
  expect(canarySvc.spec.selector).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: 'new2' });
  expect(canarySvc.metadata.annotations?.[MANAGED_BY_ANNOTATION]).toBe('web');
  const stable = cluster.store.get('apps/v1', 'ReplicaSet', 'web-stable1', NS) as unknown as ReplicaSet;
  expect(stable.spec.replicas).toBe(2);
  expect(cluster.store.get('argoproj.io/v1alpha1', 'Rollout', 'web', NS)?.status).toEqual(status);

  // Once the caches have caught up, the same plan is already true: no write at all.
  await waitFor('the caches to catch up', () => {
    const s = snapshotOf('web');
    return (
      s.replicaSets.map((r) => `${r.metadata.name}:${r.spec.replicas}`).join() ===
        'web-new2:2,web-stable1:2' &&
      s.analysisRuns.some((r) => r.spec.terminate) &&
      s.analysisRuns.length === 2 &&
      s.services.get('web-stable')?.metadata.annotations?.[MANAGED_BY_ANNOTATION] === 'web' &&
      s.rollout.status?.phase === 'Progressing'
    );
  });
  const again = requests.length;
  expect((await applyPlan({ client }, snapshotOf('web'), plan)).writes).toEqual([]);
  expect(requests.writes(again)).toEqual([]);
});

test('the status patch nulls fields that disappear and is guarded by the resourceVersion', async () => {
  setUp('st');
  await cachesHold('st');
  const first: RolloutStatus = {
    phase: 'Paused',
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }],
    message: 'x',
  };
  await applyPlan({ client }, snapshotOf('st'), emptyPlan(first));
  await waitFor('the status in the cache', () => snapshotOf('st').rollout.status?.phase === 'Paused');
  const stale = snapshotOf('st');
  await applyPlan({ client }, stale, emptyPlan({ phase: 'Progressing' }));
  expect(cluster.store.get('argoproj.io/v1alpha1', 'Rollout', 'st', NS)?.status).toEqual({
    phase: 'Progressing',
  });
  // the stale snapshot's resourceVersion is refused: the reconcile must look again
  await expect(applyPlan({ client }, stale, emptyPlan({ phase: 'Healthy' }))).rejects.toMatchObject({
    code: 409,
    reason: 'Conflict',
  });
});

test("the Rollout's revision annotation: written before the status, both guarded, the status by the annotation write's version", async () => {
  setUp('rev');
  await cachesHold('rev');
  const snapshot = snapshotOf('rev');
  const plan: RolloutPlan = {
    ...emptyPlan({ phase: 'Progressing' }),
    rolloutAnnotations: { 'rollout.argoproj.io/revision': '2' },
  };
  const from = requests.length;
  const result = await applyPlan({ client }, snapshot, plan);
  expect(requests.writes(from)).toEqual([
    'PATCH /apis/argoproj.io/v1alpha1/namespaces/default/rollouts/rev',
    'PATCH /apis/argoproj.io/v1alpha1/namespaces/default/rollouts/rev/status',
  ]);
  const stored = cluster.store.get('argoproj.io/v1alpha1', 'Rollout', 'rev', NS) as unknown as Rollout;
  expect(stored.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('2');
  expect(stored.status).toEqual({ phase: 'Progressing' });
  expect(stored.metadata.generation).toBe(snapshot.rollout.metadata.generation);
  // both versions the writes replaced are known stale to the controller
  expect(result.replaced).toHaveLength(2);
  expect(result.replaced[0]).toBe(snapshot.rollout.metadata.resourceVersion);
  // a stale snapshot's annotation write is refused before anything of the Rollout changes
  await expect(
    applyPlan({ client }, snapshot, { ...plan, rolloutAnnotations: { 'rollout.argoproj.io/revision': '3' } }),
  ).rejects.toMatchObject({ code: 409 });
});

test('AlreadyExists on create is fine; changes to missing objects are skipped', async () => {
  const { owner } = setUp('ae');
  await cachesHold('ae');
  cluster.store.create(stored(replicaSetObject('ae-new', 'new', owner, 0))); // not yet in the snapshot below
  const snapshot = snapshotOf('ae');
  snapshot.replicaSets = snapshot.replicaSets.filter((r) => r.metadata.name !== 'ae-new');
  const plan: RolloutPlan = {
    ...emptyPlan(snapshot.rollout.status ?? {}),
    createReplicaSet: replicaSetObject('ae-new', 'new', owner, 0),
    terminateAnalysisRuns: ['ae-missing'],
    deleteReplicaSets: ['ae-missing'],
    updateServices: [{ name: 'ae-nope', podTemplateHash: 'x', managedBy: 'ae' }],
  };
  const from = requests.length;
  await applyPlan({ client }, snapshot, plan);
  expect(requests.writes(from)).toEqual(['POST /apis/apps/v1/namespaces/default/replicasets']);
});

test('events: created about the Rollout, repeats aggregated with a patch, failures never thrown', async () => {
  setUp('ev');
  await cachesHold('ev');
  const events = new EventRecorder({ client });
  const snapshot = snapshotOf('ev');
  const plan = {
    ...emptyPlan(snapshot.rollout.status ?? {}),
    events: [{ type: 'Normal' as const, reason: 'RolloutUpdated', message: 'updated to revision 2' }],
  };
  const from = requests.length;
  await applyPlan({ client, events }, snapshot, plan);
  await applyPlan({ client, events }, snapshot, plan);
  expect(requests.writes(from)).toEqual([
    'POST /api/v1/namespaces/default/events',
    expect.stringMatching(/^PATCH \/api\/v1\/namespaces\/default\/events\/ev\.[0-9a-f]+$/),
  ]);
  const [event] = cluster.store
    .list('v1', 'Event', { namespace: NS })
    .filter((e) => e.reason === 'RolloutUpdated');
  expect(event).toMatchObject({
    involvedObject: { kind: 'Rollout', name: 'ev', namespace: NS, uid: snapshot.rollout.metadata.uid },
    type: 'Normal',
    count: 2,
    source: { component: 'rollouts-controller' },
    reportingComponent: 'ramp',
  });
  cluster.setFaults('error=1,codes=500');
  try {
    const failing = { ...plan, events: [{ type: 'Warning' as const, reason: 'Oops', message: 'x' }] };
    await expect(applyPlan({ client, events }, snapshot, failing)).resolves.toEqual({
      writes: [],
      replaced: [],
    });
  } finally {
    cluster.setFaults(undefined);
  }
});

test('patches carry only what differs from the cached object', () => {
  const svc = serviceObject('s', { app: 'a', [POD_TEMPLATE_HASH_LABEL]: 'h1' });
  expect(servicePatch(svc, { name: 's', podTemplateHash: 'h1', managedBy: null })).toBeUndefined();
  expect(servicePatch(svc, { name: 's', podTemplateHash: null, managedBy: 'ro' })).toEqual({
    metadata: { annotations: { [MANAGED_BY_ANNOTATION]: 'ro' } },
    spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: null } },
  });
  const rs = replicaSetObject('r', 'h', { name: 'ro', uid: 'u' }, 3);
  expect(replicaSetPatch(rs, { name: 'r', replicas: 3, labels: { app: 'ro' } })).toBeUndefined();
  expect(replicaSetPatch(rs, { name: 'r', labels: { role: 'canary', gone: null } })).toEqual({
    metadata: { labels: { role: 'canary' } },
    spec: { template: { metadata: { labels: { role: 'canary' } } } },
  });
});
