// A step analysis whose metric is a Job: the AnalysisRun controller creates it, the simulator runs
// it (`exit 0` succeeds, `exit 1` fails), and the Rollout goes on or is aborted.
import type { Rollout } from '@ramp/api';
import { waitForAbortEnd } from '../testing/integration/abort-end';
import { canary, canaryServices, jobTemplate } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();

interface Job {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { template: { spec: { containers: { command?: string[] }[] } } };
  status?: { conditions?: { type: string; status: string }[] };
}

async function updateWithJob(h: Harness, script: string): Promise<{ v1: string; v2: string; run: string }> {
  const analysis = { templates: [{ templateName: 'job-check' }] };
  const ro: Rollout = canary('jobs', [{ setWeight: 20 }, { analysis }, { setWeight: 60 }, { pause: {} }]);
  await h.create(jobTemplate('job-check', script), ...canaryServices('jobs'), ro);
  await h.startController();
  const v1 = (await h.waitForPhase('jobs', 'Healthy')).status?.currentPodHash ?? '';
  await h.setImage('jobs', 'jobs:v2');
  const run = await h.waitFor(
    'the step run',
    () => h.rollout('jobs').status?.canary?.currentStepAnalysisRunStatus?.name,
  );
  const v2 = h.rollout('jobs').status?.currentPodHash ?? '';
  return { v1, v2, run };
}

const jobsOf = (h: Harness, run: string) =>
  (h.cluster.store.list('batch/v1', 'Job', { namespace: 'default' }) as unknown as Job[]).filter((j) =>
    j.metadata.ownerReferences?.some((o) => o.kind === 'AnalysisRun' && o.name === run),
  );

test('a Job metric that exits 0 is Successful and the canary goes on', async () => {
  const h = await env.start();
  const { v2, run } = await updateWithJob(h, 'exit 0');
  const paused = await h.waitForPhase('jobs', 'Paused', (ro) => ro.status?.currentStepIndex === 3);
  expect(paused.status?.canary?.currentStepAnalysisRunStatus).toBeUndefined(); // the step is done
  expect(h.run(run)?.status?.phase).toBe('Successful');
  const jobs = jobsOf(h, run);
  expect(jobs).toHaveLength(1);
  expect(jobs[0]?.spec.template.spec.containers[0]?.command).toEqual(['sh', '-c', 'exit 0']);
  expect(jobs[0]?.status?.conditions).toContainEqual(
    expect.objectContaining({ type: 'Complete', status: 'True' }),
  );
  expect(h.run(run)?.status?.metricResults?.[0]).toMatchObject({ phase: 'Successful', successful: 1 });
  await h.promote('jobs');
  await h.waitForPhase('jobs', 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('a Job metric that exits 1 fails the run and aborts: stable back at 100%', async () => {
  const h = await env.start();
  const { v1, v2, run } = await updateWithJob(h, 'exit 1');
  const aborted = await waitForAbortEnd(h, 'jobs');
  const failed = h.run(run);
  expect(failed?.status?.phase).toBe('Failed');
  expect(aborted.status?.canary?.currentStepAnalysisRunStatus).toMatchObject({ name: run, status: 'Failed' });
  expect(aborted.status?.message).toBe(
    `RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: ${failed?.status?.message}`,
  );
  expect(jobsOf(h, run)[0]?.status?.conditions).toContainEqual(
    expect.objectContaining({ type: 'Failed', status: 'True' }),
  );
  expect(h.counts('jobs')).toEqual({ [v1]: 5, [v2]: 0 });
  expect(await h.writesWhileIdle(500)).toEqual([]);
});
