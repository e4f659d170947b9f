/** Jobs on a FakeClock: one pod, success or failure by the documented rule, the real status and conditions. */

import { get, job, podStatus, podsOf, type SimCluster, simCluster } from '../testing/simulator';
import { JOB_RESULT_ANNOTATION } from './rules';

let sim: SimCluster;

beforeEach(async () => {
  sim = await simCluster();
});

afterEach(async () => {
  await sim.cluster.stop();
  expect(sim.clock.pending).toBe(0);
});

interface JobStatusView {
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

function jobStatus(store: SimCluster['store'], name: string): JobStatusView {
  return store.get('batch/v1', 'Job', name, 'default')?.status as JobStatusView;
}

test('a Job that ends well: one pod, Running, then Succeeded; the Job Complete', () => {
  const { store, clock } = sim;
  const created = store.create(job('ok', ['sh', '-c', 'echo hi && exit 0']));
  clock.advance(0);
  const [pod, ...more] = podsOf(store, created);
  expect(more).toEqual([]);
  expect(pod?.metadata.name).toMatch(/^ok-[a-z0-9]{5}$/);
  expect(pod?.metadata.labels).toMatchObject({
    'job-name': 'ok',
    'controller-uid': created.metadata.uid,
    'batch.kubernetes.io/job-name': 'ok',
    'batch.kubernetes.io/controller-uid': created.metadata.uid,
  });
  expect(pod?.metadata.ownerReferences).toEqual([
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'ok',
      uid: created.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  expect(jobStatus(store, 'ok')).toEqual({
    startTime: '2025-01-01T00:00:00Z',
    active: 1,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
  });
  clock.advance(1000);
  expect(podStatus(get(store, pod!)).phase).toBe('Running');
  expect(jobStatus(store, 'ok')).toMatchObject({ active: 1, ready: 1 });
  clock.advance(1999);
  expect(podStatus(get(store, pod!)).phase).toBe('Running');
  clock.advance(1);
  const done = podStatus(get(store, pod!));
  expect(done.phase).toBe('Succeeded');
  expect(done.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  expect(done.conditions.find((c) => c.type === 'Ready')).toMatchObject({
    status: 'False',
    reason: 'PodCompleted',
  });
  const status = jobStatus(store, 'ok');
  expect(status).toMatchObject({ succeeded: 1, ready: 0, completionTime: '2025-01-01T00:00:03Z' });
  expect(status).not.toHaveProperty('active');
  expect(
    status.conditions?.map(({ type, status, reason, message }) => ({ type, status, reason, message })),
  ).toEqual([
    {
      type: 'SuccessCriteriaMet',
      status: 'True',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    },
    {
      type: 'Complete',
      status: 'True',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    },
  ]);
  const rv = store.resourceVersion;
  clock.advance(30_000);
  expect(store.resourceVersion).toBe(rv);
});

test('a Job whose last shell exit is non-zero fails; its sleep lengthens the run', () => {
  const { store, clock } = sim;
  const created = store.create(job('bad', ['sh', '-c', 'sleep 5 && exit 3']));
  clock.advance(1000 + 4999);
  expect(jobStatus(store, 'bad').conditions).toBeUndefined();
  clock.advance(1);
  const [pod] = podsOf(store, created);
  expect(podStatus(pod).phase).toBe('Failed');
  expect(podStatus(pod).containerStatuses[0]?.state.terminated).toMatchObject({
    exitCode: 3,
    reason: 'Error',
  });
  const status = jobStatus(store, 'bad');
  expect(status).toMatchObject({ failed: 1, ready: 0 });
  expect(status).not.toHaveProperty('completionTime');
  expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
    ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  ]);
});

test('the rule: the last exit wins, args count, the annotation forces the result, long sleeps are capped', () => {
  const { store, clock } = sim;
  store.create(job('recovered', ['sh', '-c', 'false || exit 1; exit 0']));
  const argsJob = job('args', ['sh']);
  const container = (argsJob.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
    .template.spec.containers[0]!;
  container.args = ['-c', 'exit 1'];
  store.create(argsJob);
  store.create(job('forced', ['true'], { [JOB_RESULT_ANNOTATION]: 'failure' }));
  store.create(job('rescued', ['sh', '-c', 'exit 2'], { [JOB_RESULT_ANNOTATION]: 'success' }));
  store.create(job('long', ['sh', '-c', 'sleep 3600']));
  clock.advance(1000 + 2000);
  const outcome = (name: string) =>
    jobStatus(store, name).conditions?.find((c) => c.type === 'Complete' || c.type === 'Failed')?.type;
  expect(['recovered', 'args', 'forced', 'rescued'].map(outcome)).toEqual([
    'Complete',
    'Failed',
    'Failed',
    'Complete',
  ]);
  expect(outcome('long')).toBeUndefined();
  clock.advance(18_000); // capped at 10 × jobDurationMs = 20 s of running
  expect(outcome('long')).toBe('Complete');
});

test('a suspended Job creates no pod; a Job whose pod is deleted gets a new one', () => {
  const { store, clock } = sim;
  const suspended = job('later', ['true']);
  (suspended.spec as Record<string, unknown>).suspend = true;
  const s = store.create(suspended);
  const created = store.create(job('again', ['true']));
  clock.advance(0);
  expect(podsOf(store, s)).toEqual([]);
  const [first] = podsOf(store, created);
  store.delete('v1', 'Pod', first?.metadata.name ?? '', 'default');
  clock.advance(0);
  const [second] = podsOf(store, created);
  expect(second?.metadata.name).not.toBe(first?.metadata.name);
  store.patch('batch/v1', 'Job', 'later', 'default', { spec: { suspend: false } });
  clock.advance(3000);
  expect(jobStatus(store, 'later')).toMatchObject({ succeeded: 1 });
});
