// The AnalysisRun controller on a cache that lags behind its own status write (found by the
// integration tests under load: the wake-up for the next measurement can come before the watch event
// of the write): it must not take the same measurement a second time.
import type { AnalysisRun } from '@ramp/api';
import type { KubeClient } from '@ramp/kube';
import type { Job } from '../model/kube-objects';
import type { ControllerCaches } from '../runtime/controller-caches';
import { AnalysisRunController } from './analysisrun-controller';

const noHandlers = { addHandlers: () => () => {} };

function setup(run: AnalysisRun) {
  const cached = { run, jobs: new Map<string, Job>() };
  const calls: string[] = [];
  const patches: { status: AnalysisRun['status'] }[] = [];
  const caches = {
    analysisRuns: { ...noHandlers, get: () => cached.run },
    jobs: { ...noHandlers, get: (_ns: string, name: string) => cached.jobs.get(name) },
  } as unknown as ControllerCaches;
  const client = {
    async create(_res: unknown, obj: { metadata: { name: string } }) {
      calls.push(`create ${obj.metadata.name}`);
      return obj;
    },
    async patch(_res: unknown, name: string, body: { status: AnalysisRun['status'] }) {
      calls.push(`patch ${name}`);
      patches.push(body);
      return {};
    },
  } as unknown as KubeClient;
  const controller = new AnalysisRunController({ client, caches, providers: new Map() });
  return { controller, cached, calls, patches };
}

test('a run read again at the version its status write replaced is left alone until the cache catches up', async () => {
  const run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run', namespace: 'default', uid: 'uid', resourceVersion: '1' },
    spec: { metrics: [{ name: 'check', provider: { job: { spec: { template: { spec: {} } } } } }] },
  } as AnalysisRun;
  const { controller, cached, calls, patches } = setup(run);
  try {
    await controller.reconcile('default/run');
    expect(calls).toEqual(['create uid.check.1', 'patch run']);
    // the wake-up or another event comes before the watch event of the write: same stale run
    await controller.reconcile('default/run');
    expect(calls).toEqual(['create uid.check.1', 'patch run']);
    // the cache catches up (the write's version) and the Job has finished: the verdict is written
    cached.run = { ...run, metadata: { ...run.metadata, resourceVersion: '2' }, status: patches[0]!.status };
    cached.jobs.set('uid.check.1', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'uid.check.1', namespace: 'default' },
      spec: {},
      status: { conditions: [{ type: 'Complete', status: 'True' }] },
    });
    await controller.reconcile('default/run');
    expect(calls).toEqual(['create uid.check.1', 'patch run', 'patch run']);
    expect(patches[1]?.status?.phase).toBe('Successful');
  } finally {
    await controller.stop(0);
  }
});
