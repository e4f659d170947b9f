// decideRun on an injected time and a fake provider: what a reconcile of an AnalysisRun writes
// (a status, a deletion or nothing), the Events, and when it looks again. No cluster, no sleeps.
import type { EngineProvider } from '@ramp/analysis';
import type { AnalysisRun, AnalysisRunSpec, AnalysisRunStatus, Metric } from '@ramp/api';
import { decideRun, type RunDeps } from './decide-run';

const T0 = '2026-01-01T00:00:00Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString().replace('.000Z', 'Z');

/** A web provider answering `values` in turn (then the last one again), recording when it measured. */
function fakeWeb(...values: unknown[]) {
  const measuredAt: Date[] = [];
  const provider: EngineProvider = {
    type: 'web',
    async measure(_metric, ctx) {
      measuredAt.push(ctx.now());
      return { kind: 'value', value: values[Math.min(measuredAt.length, values.length) - 1] };
    },
  };
  const deps: RunDeps = {
    providers: new Map([['web', provider]]),
    argResolver: { secretKeyRef: async () => '', fieldRef: async () => '' },
  };
  return { deps, measuredAt };
}

const check = (extra: Partial<Metric> = {}): Metric => ({
  name: 'check',
  provider: { web: { url: 'http://metrics.test/' } },
  successCondition: 'result < 5',
  ...extra,
});

function run(spec: Partial<AnalysisRunSpec>, status?: AnalysisRunStatus): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run', namespace: 'default', resourceVersion: '1' },
    spec: { metrics: [check()], ...spec },
    ...(status ? { status } : {}),
  };
}

describe('a completed run waits for its ttlStrategy, measuring nothing', () => {
  const done = (phase: AnalysisRunStatus['phase']) => ({ phase, completedAt: iso(0) });
  const ttl = { secondsAfterCompletion: 60, secondsAfterSuccess: 30, secondsAfterFailure: 90 };

  test('deleted once the ttl has passed', async () => {
    const { deps, measuredAt } = fakeWeb(1);
    expect(await decideRun(run({ ttlStrategy: ttl }, done('Successful')), at(30), deps)).toEqual({
      delete: true,
      events: [],
    });
    expect(measuredAt).toEqual([]);
  });

  test('before it: woken at its end, by phase (success, failure and error, else completion)', async () => {
    const { deps } = fakeWeb(1);
    const wakeAt = async (phase: AnalysisRunStatus['phase']) =>
      (await decideRun(run({ ttlStrategy: ttl }, done(phase)), at(10), deps)).wakeAt;
    expect(await wakeAt('Successful')).toEqual(at(30));
    expect(await wakeAt('Failed')).toEqual(at(90));
    expect(await wakeAt('Error')).toEqual(at(90));
    expect(await wakeAt('Inconclusive')).toEqual(at(60));
  });

  test('without a ttlStrategy: nothing to do, ever', async () => {
    const { deps } = fakeWeb(1);
    expect(await decideRun(run({}, done('Failed')), at(10_000), deps)).toEqual({ events: [] });
  });
});

describe('a running run is stepped', () => {
  test('a measurement due: the new status, and the next one as wakeAt', async () => {
    const { deps, measuredAt } = fakeWeb(1);
    const plan = await decideRun(run({ metrics: [check({ interval: '30s' })] }), at(0), deps);
    expect(measuredAt).toEqual([at(0)]);
    expect(plan.delete).toBeUndefined();
    expect(plan.status).toMatchObject({
      phase: 'Running',
      startedAt: iso(0),
      metricResults: [{ name: 'check', phase: 'Running', count: 1, successful: 1 }],
    });
    expect(plan.status?.metricResults?.[0]?.measurements).toEqual([
      { phase: 'Successful', value: '1', startedAt: iso(0), finishedAt: iso(0) },
    ]);
    expect(plan.events).toEqual([]);
    expect(plan.wakeAt).toEqual(at(30));
  });

  test('nothing due: no status (nothing to write), woken when the next measurement is', async () => {
    const { deps, measuredAt } = fakeWeb(1);
    const spec = { metrics: [check({ interval: '30s' })] };
    const first = await decideRun(run(spec), at(0), deps);
    const again = await decideRun(run(spec, first.status), at(10), deps);
    expect(again).toEqual({ events: [], wakeAt: at(30) });
    expect(measuredAt).toEqual([at(0)]);
  });

  test('the last measurement: the completed status and its Events; woken at the ttl, if any', async () => {
    const { deps } = fakeWeb(9);
    const spec = { metrics: [check({ count: 1 })], ttlStrategy: { secondsAfterFailure: 120 } };
    const plan = await decideRun(run(spec), at(5), deps);
    expect(plan.status).toMatchObject({ phase: 'Failed', completedAt: iso(5) });
    expect(plan.events).toEqual([
      { type: 'Warning', reason: 'MetricFailed', message: "Metric 'check' Completed. Result: Failed" },
      { type: 'Warning', reason: 'AnalysisRunFailed', message: 'Analysis Completed. Result: Failed' },
    ]);
    expect(plan.wakeAt).toEqual(at(125));
    const completed = await decideRun(run({ metrics: [check({ count: 1 })] }), at(5), fakeWeb(1).deps);
    expect(completed.status?.phase).toBe('Successful');
    expect(completed.wakeAt).toBeUndefined();
  });
});
