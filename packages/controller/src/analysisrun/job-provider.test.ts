// The Job provider against a fake JobAccess (found by the integration tests): one Job per measurement
// even when a reconcile reads a run from before its measurement was recorded, and a verdict as soon as
// the Job has finished, not at the fallback resumeAt.
import type { AnalysisRun } from '@ramp/api';
import { KubeApiError } from '@ramp/kube';
import type { Job } from '../model/kube-objects';
import { decideRun } from './decide-run';
import { JOB_NAME_METADATA, type JobAccess, jobProvider, withFinishedJobsDue } from './job-provider';

const T0 = new Date('2026-01-01T00:00:00Z');
const UID = 'run-uid';
const JOB = `${UID}.check.1`;

function run(status?: AnalysisRun['status']): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run', namespace: 'default', uid: UID },
    spec: { metrics: [{ name: 'check', provider: { job: { spec: { template: { spec: {} } } } } }] },
    ...(status ? { status } : {}),
  } as AnalysisRun;
}

function job(name: string, done?: 'Complete' | 'Failed'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: [{ kind: 'AnalysisRun', name: 'run', uid: UID }],
    },
    spec: {},
    ...(done ? { status: { conditions: [{ type: done, status: 'True' }] } } : {}),
  } as Job;
}

/** Jobs as the cache and the API hold them; creating one that exists is a 409 AlreadyExists. */
function fakeJobs(existing: Job[]): JobAccess & { created: string[] } {
  const jobs = new Map(existing.map((j) => [j.metadata.name, j]));
  const created: string[] = [];
  return {
    created,
    get: (_ns, name) => jobs.get(name),
    async create(j) {
      if (jobs.has(j.metadata.name)) {
        throw new KubeApiError(
          409,
          'AlreadyExists',
          `jobs.batch "${j.metadata.name}" already exists`,
          undefined,
        );
      }
      jobs.set(j.metadata.name, j);
      created.push(j.metadata.name);
    },
    delete: async () => {},
  };
}

const inFlight = (resumeAt: string): AnalysisRun['status'] => ({
  phase: 'Running',
  startedAt: '2026-01-01T00:00:00Z',
  metricResults: [
    {
      name: 'check',
      phase: 'Running',
      measurements: [
        {
          phase: 'Running',
          startedAt: '2026-01-01T00:00:00Z',
          resumeAt,
          metadata: { [JOB_NAME_METADATA]: JOB },
        },
      ],
    },
  ],
});

test('a run read before its Job was recorded names the same Job again and goes on with it', async () => {
  // The Job of the first measurement is in the cache (its event re-queued the run), the run is not yet.
  const access = fakeJobs([job(JOB)]);
  const provider = jobProvider(run(), access);
  const metric = run().spec.metrics[0]!;
  const outcome = await provider.measure(metric, { now: () => T0 });
  expect(outcome).toMatchObject({ kind: 'running', metadata: { [JOB_NAME_METADATA]: JOB } });
  expect(access.created).toEqual([]);
});

test('the next measurement gets the next Job, numbered from the run counters', async () => {
  const access = fakeJobs([job(JOB, 'Complete')]);
  const counted = run({ phase: 'Running', metricResults: [{ name: 'check', phase: 'Running', count: 1 }] });
  const outcome = await jobProvider(counted, access).measure(counted.spec.metrics[0]!, { now: () => T0 });
  expect(outcome).toMatchObject({ kind: 'running', metadata: { [JOB_NAME_METADATA]: `${UID}.check.2` } });
  expect(access.created).toEqual([`${UID}.check.2`]);
});

test('a Job owned by someone else is an error, not adopted', async () => {
  const foreign = job(JOB);
  foreign.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'AnalysisRun', name: 'other', uid: 'other' }];
  const outcome = await jobProvider(run(), fakeJobs([foreign])).measure(run().spec.metrics[0]!, {
    now: () => T0,
  });
  expect(outcome).toMatchObject({ kind: 'error' });
});

test('a finished Job gives its verdict at once, not at the fallback resumeAt', async () => {
  const running = run(inFlight('2026-01-01T00:00:10Z'));
  const access = fakeJobs([job(JOB, 'Complete')]);
  const now = new Date('2026-01-01T00:00:01Z');
  const providers = new Map([['job', jobProvider(running, access)]]);
  const deps = { providers, argResolver: { secretKeyRef: async () => '', fieldRef: async () => '' } };
  const waiting = await decideRun(running, now, deps);
  // the engine alone waits for resumeAt
  expect((waiting.status ?? running.status)?.metricResults?.[0]?.measurements?.[0]?.phase).toBe('Running');
  const decided = await decideRun(withFinishedJobsDue(running, access.get), now, deps);
  expect(decided.status?.phase).toBe('Successful');
  expect(running.status?.metricResults?.[0]?.measurements?.[0]?.resumeAt).toBe('2026-01-01T00:00:10Z');
});

test('a Job still running leaves the run as it is', () => {
  const running = run(inFlight('2026-01-01T00:00:10Z'));
  expect(withFinishedJobsDue(running, fakeJobs([job(JOB)]).get)).toBe(running);
});
