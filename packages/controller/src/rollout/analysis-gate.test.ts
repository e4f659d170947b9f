// No unmeasured analysis passes (issue #19, bug 3): a run Ramp stopped ("Run Terminated") or one
// that ended without a measurement never completes a gate, and one resume or retry makes at most
// one new run, also when a reconcile works from a cache that is behind its own last status write.
import type { AnalysisRun } from '@ramp/api';
import { PAUSE_REASON } from '../model/names';
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { blueGreenRollout, canaryRollout, template } from '../testing/rollout/fixtures';

const analysis = {
  templates: [{ templateName: 'check' }],
  args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }],
};

/** A canary paused at its step analysis (step 1), the run named in the status. */
function atStepAnalysis(): { c: FakeCluster; run: string } {
  const c = new FakeCluster(
    canaryRollout([{ setWeight: 20 }, { analysis }, { setWeight: 60 }, { pause: {} }]),
  );
  c.addTemplate(template('check'));
  c.converge();
  c.setImage('demo:2');
  c.converge();
  const run = c.rollout.status?.canary?.currentStepAnalysisRunStatus?.name ?? '';
  expect(c.runs.map((r) => r.metadata.name)).toEqual([run]);
  return { c, run };
}

const names = (runs: AnalysisRun[]) => runs.map((r) => r.metadata.name);
const stopped = (c: FakeCluster) => c.runs.filter((r) => r.spec.terminate).map((r) => r.metadata.name);

/** Argo CD's resume action: the pause conditions removed (controllerPause left as it is). */
function resume(c: FakeCluster): void {
  const { pauseConditions: _, ...rest } = c.rollout.status ?? {};
  c.rollout.status = rest;
}

describe('a resume after an inconclusive step analysis', () => {
  test('makes one new run, and the step completes only when that run succeeds', () => {
    const { c, run } = atStepAnalysis();
    c.setRunPhase(run, 'Inconclusive');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', message: PAUSE_REASON.inconclusiveAnalysis });
    resume(c);
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    expect(c.rollout.status?.currentStepIndex).toBe(1);
    expect(stopped(c)).toEqual([]);
    c.setRunPhase(`${run}.1`, 'Successful');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 3 });
  });

  test('on a cache behind its own status write: still one new run, none stopped, no step skipped', () => {
    // The chaos run's path: the reconcile after the resume makes ….1 and writes the status; the next
    // one still sees the Rollout as it was before that write (resumed, the inconclusive run
    // recorded) and used to make ….2, stop ….1, and then pass the step on ….1's "Run Terminated".
    const { c, run } = atStepAnalysis();
    c.setRunPhase(run, 'Inconclusive');
    c.converge();
    resume(c);
    const resumed = structuredClone(c.rollout.status!);
    c.reconcile();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    c.reconcileStale(resumed);
    c.reconcileStale(resumed);
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    expect(stopped(c)).toEqual([]);
    expect(c.rollout.status?.currentStepIndex).toBe(1);
    expect(c.rollout.status?.canary?.currentStepAnalysisRunStatus?.name).toBe(`${run}.1`);
    c.setRunPhase(`${run}.1`, 'Successful');
    c.converge();
    expect(c.rollout.status?.currentStepIndex).toBe(3);
  });

  test('also when the new run has already ended by the time the stale reconcile comes', () => {
    const { c, run } = atStepAnalysis();
    c.setRunPhase(run, 'Inconclusive');
    c.converge();
    resume(c);
    const resumed = structuredClone(c.rollout.status!);
    c.reconcile();
    c.setRunPhase(`${run}.1`, 'Failed', 'too many errors');
    c.reconcileStale(resumed);
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
  });
});

describe('a run that did not measure never passes a gate', () => {
  test('a step run Ramp stopped is replaced by one new run, never taken for a pass', () => {
    const { c, run } = atStepAnalysis();
    // what a stale reconcile used to do: stop the run the status still records
    c.reconcileStale({ ...c.rollout.status!, currentStepIndex: 3 });
    expect(stopped(c)).toEqual([run]);
    expect(c.runs[0]?.status).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    c.reconcile();
    expect(c.rollout.status?.currentStepIndex).toBe(1);
    expect(c.rollout.status?.canary?.currentStepAnalysisRunStatus).toMatchObject({
      name: `${run}.1`,
      status: 'Pending',
    });
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    expect(c.rollout.status?.currentStepIndex).toBe(1);
  });

  test('a step run that ended Successful without a measurement pauses the rollout as inconclusive', () => {
    const { c, run } = atStepAnalysis();
    c.setRunPhase(run, 'Successful', 'Run Terminated', 0);
    c.converge();
    expect(c.rollout.status).toMatchObject({
      phase: 'Paused',
      message: PAUSE_REASON.inconclusiveAnalysis,
      currentStepIndex: 1,
    });
    expect(c.rollout.status?.canary?.currentStepAnalysisRunStatus).toMatchObject({
      name: run,
      status: 'Inconclusive',
      message: expect.stringContaining('without a single measurement'),
    });
    resume(c);
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    c.setRunPhase(`${run}.1`, 'Successful');
    c.converge();
    expect(c.rollout.status?.currentStepIndex).toBe(3);
  });

  test('a user-terminated run that measured still passes (Argo: terminate ends a run Successful)', () => {
    const { c, run } = atStepAnalysis();
    c.runs[0]!.spec.terminate = true;
    c.setRunPhase(run, 'Successful', 'Run Terminated', 3);
    c.converge();
    expect(c.rollout.status?.currentStepIndex).toBe(3);
  });

  test('blue-green pre-promotion: an unmeasured Successful run does not promote', () => {
    const c = new FakeCluster(
      blueGreenRollout({
        prePromotionAnalysis: {
          templates: [{ templateName: 'check' }],
          args: [{ name: 'hash', value: 'x' }],
        },
      }),
    );
    c.addService('bg-active');
    c.addService('bg-preview');
    c.addTemplate(template('check'));
    c.converge();
    const v1 = c.rollout.status?.stableRS;
    c.setImage('bg:2');
    c.converge();
    const run = c.rollout.status?.blueGreen?.prePromotionAnalysisRunStatus?.name ?? '';
    c.setRunPhase(run, 'Successful', 'Run Terminated', 0);
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', stableRS: v1 });
    expect(c.rollout.status?.blueGreen?.activeSelector).toBe(v1);
    resume(c);
    c.converge();
    expect(names(c.runs)).toEqual([run, `${run}.1`]);
    c.setRunPhase(`${run}.1`, 'Successful');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
    expect(c.rollout.status?.stableRS).not.toBe(v1);
  });
});

describe('a retry after an abort', () => {
  test('on a cache behind its own status write makes one new run', () => {
    const { c, run } = atStepAnalysis();
    c.setRunPhase(run, 'Failed', 'bad');
    c.converge();
    expect(c.rollout.status?.abort).toBe(true);
    c.patchStatus({ abort: false }); // kubectl ramp retry, Argo CD's retry
    const retried = structuredClone(c.rollout.status!);
    c.reconcile();
    c.reconcile();
    c.settlePods();
    c.converge();
    const after = names(c.runs);
    c.reconcileStale(retried);
    c.converge();
    expect(names(c.runs)).toEqual(after);
    expect(after).toEqual([run, `${run}.1`]);
  });
});
