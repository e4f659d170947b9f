// How runs end: fail fast, terminate, dry-run metrics, and measurement retention.
import type { AnalysisRunSpec, AnalysisRunStatus } from '@ramp/api';
import {
  at,
  drive,
  failure,
  jobMetric,
  providersOf,
  ScriptedProvider,
  T0,
  tinyEvaluator,
  value,
  valuesProvider,
  webMetric,
} from '../testing/engine';
import { stepRun } from './step-run';

describe('fail fast', () => {
  test('a failed metric stops the others from measuring again; the run completes Failed', async () => {
    const fails = new ScriptedProvider('prometheus', [value(1), value(99)]);
    const forever = valuesProvider(1);
    const spec: AnalysisRunSpec = {
      metrics: [
        {
          name: 'errors',
          interval: '30s',
          successCondition: 'result < 5',
          provider: { prometheus: { query: 'q' } },
        },
        webMetric('latency', { interval: '10s' }),
      ],
    };
    const { status } = await drive(spec, providersOf(fails, forever));
    expect(status?.phase).toBe('Failed');
    expect(status?.completedAt).toBe('2026-11-21T10:00:30Z');
    expect(forever.calls.map((c) => c.at)).toEqual([at(0), at(10), at(20), at(30)]);
    expect(status?.metricResults?.map((r) => [r.name, r.phase])).toEqual([
      ['errors', 'Failed'],
      ['latency', 'Successful'],
    ]);
    expect(status?.message).toBe('Metric "errors" assessed Failed due to failed (1) > failureLimit (0)');
    expect(status?.runSummary).toEqual({ count: 2, successful: 1, failed: 1 });
  });

  test('Inconclusive and Error also fail fast', async () => {
    for (const [outcome, phase] of [
      [value(7), 'Inconclusive'],
      [failure('boom'), 'Error'],
    ] as const) {
      const spec: AnalysisRunSpec = {
        metrics: [
          {
            name: 'a',
            consecutiveErrorLimit: 0,
            successCondition: 'result < 5',
            failureCondition: 'result > 10',
            provider: { prometheus: { query: 'q' } },
          },
          webMetric('b', { interval: '1h' }),
        ],
      };
      const step = await stepRun({
        spec,
        now: at(0),
        providers: providersOf(new ScriptedProvider('prometheus', [outcome]), valuesProvider(1)),
        evaluate: tinyEvaluator,
      });
      expect(step.status.phase).toBe(phase);
      expect(step.wakeAt).toBeUndefined();
    }
  });

  test('an in-flight measurement of another metric is stopped in the same step', async () => {
    const job = new ScriptedProvider('job', [{ kind: 'running', resumeAt: at(3600), metadata: {} }]);
    const spec: AnalysisRunSpec = {
      metrics: [jobMetric('sleep'), webMetric('check', { successCondition: 'result < 5' })],
    };
    const step = await stepRun({
      spec,
      now: at(0),
      providers: providersOf(job, valuesProvider(9)),
      evaluate: tinyEvaluator,
    });
    expect(step.status.phase).toBe('Failed');
    expect(job.count('terminate')).toBe(1);
    expect(step.status.metricResults?.[0]).toMatchObject({
      name: 'sleep',
      phase: 'Successful',
      message: 'Metric Terminated',
      measurements: [{ phase: 'Successful', message: 'Metric Terminated', finishedAt: T0 }],
    });
  });
});

describe('terminate', () => {
  const spec: AnalysisRunSpec = { metrics: [webMetric('forever', { interval: '1m' })] };

  test('an interval-only metric runs until spec.terminate; the run is then Successful', async () => {
    const provider = valuesProvider(1);
    let status: AnalysisRunStatus | undefined;
    for (let minute = 0; minute < 60; minute++) {
      const step = await stepRun({
        spec,
        ...(status ? { status } : {}),
        now: at(minute * 60),
        providers: providersOf(provider),
      });
      status = step.status;
      expect(step.wakeAt).toEqual(at(minute * 60 + 60));
    }
    expect(status?.phase).toBe('Running');
    const end = await stepRun({
      spec: { ...spec, terminate: true },
      ...(status ? { status } : {}),
      now: at(3630),
      providers: providersOf(provider),
    });
    expect(provider.count('measure')).toBe(60);
    expect(end.status).toMatchObject({
      phase: 'Successful',
      message: 'Run Terminated',
      completedAt: '2026-11-21T11:00:30Z',
    });
    expect(end.status.metricResults?.[0]?.measurements).toHaveLength(10);
    expect(end.wakeAt).toBeUndefined();
  });

  test('before any measurement', async () => {
    const provider = valuesProvider(1);
    const step = await stepRun({
      spec: { ...spec, terminate: true },
      now: at(0),
      providers: providersOf(provider),
    });
    expect(step.status).toMatchObject({ phase: 'Successful', message: 'Run Terminated', metricResults: [] });
    expect(provider.count('measure')).toBe(0);
  });

  test('the worst completed metric phase wins over "Run Terminated"', async () => {
    const status: AnalysisRunStatus = {
      phase: 'Running',
      startedAt: T0,
      metricResults: [
        {
          name: 'forever',
          phase: 'Running',
          failed: 3,
          count: 3,
          measurements: [{ phase: 'Failed', startedAt: T0, finishedAt: T0 }],
        },
      ],
    };
    const metric = webMetric('forever', { interval: '1m', failureLimit: 2 });
    const step = await stepRun({
      spec: { metrics: [metric], terminate: true },
      status,
      now: at(1),
      providers: providersOf(valuesProvider(1)),
    });
    expect(step.status.phase).toBe('Failed');
    expect(step.status.message).toBe('Metric "forever" assessed Failed due to failed (3) > failureLimit (2)');
  });
});

describe('dry run', () => {
  test('a failing dry-run metric neither fails the run nor stops the others; it is reported', async () => {
    const spec: AnalysisRunSpec = {
      dryRun: [{ metricName: 'experimental' }],
      metrics: [
        { name: 'experimental', successCondition: 'result < 5', provider: { prometheus: { query: 'q' } } },
        webMetric('real', { interval: '10s', count: 3 }),
      ],
    };
    const providers = providersOf(new ScriptedProvider('prometheus', [value(9)]), valuesProvider(1));
    const { status } = await drive(spec, providers);
    expect(status?.phase).toBe('Successful');
    expect(status?.message).toBeUndefined();
    expect(status?.metricResults?.[0]).toMatchObject({
      name: 'experimental',
      phase: 'Failed',
      dryRun: true,
      message: 'Metric assessed Failed due to failed (1) > failureLimit (0)',
    });
    expect(status?.metricResults?.[1]).toMatchObject({ name: 'real', phase: 'Successful', count: 3 });
    expect(status?.metricResults?.[1]?.dryRun).toBeUndefined();
    expect(status?.runSummary).toEqual({ count: 1, successful: 1 });
    expect(status?.dryRunSummary).toEqual({ count: 1, failed: 1 });
  });

  test('"*": every metric in dry-run, the run is Successful whatever they measure', async () => {
    const spec: AnalysisRunSpec = {
      dryRun: [{ metricName: '*' }],
      metrics: [webMetric('a', { successCondition: 'result < 5' })],
    };
    const { status } = await drive(spec, valuesProvider(9));
    expect(status.phase).toBe('Successful');
    expect(status.runSummary).toEqual({});
    expect(status.dryRunSummary).toEqual({ count: 1, failed: 1 });
  });

  test('a rule that matches no metric: the run is Error', async () => {
    const spec: AnalysisRunSpec = { dryRun: [{ metricName: 'nope' }], metrics: [webMetric('a')] };
    const { status } = await drive(spec, valuesProvider(1));
    expect(status).toMatchObject({
      phase: 'Error',
      message: "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)",
    });
  });
});

describe('measurement retention', () => {
  const runFor = async (spec: AnalysisRunSpec, measurements: number) => {
    let status: AnalysisRunStatus | undefined;
    const provider = new ScriptedProvider(
      'web',
      Array.from({ length: measurements }, (_, i) => value(i)),
    );
    for (let i = 0; i < measurements; i++) {
      status = (
        await stepRun({
          spec,
          ...(status ? { status } : {}),
          now: at(i * 10),
          providers: providersOf(provider),
        })
      ).status;
    }
    return status?.metricResults?.[0];
  };

  test('10 kept by default, the newest', async () => {
    const result = await runFor({ metrics: [webMetric('m', { interval: '10s' })] }, 15);
    expect(result?.measurements?.map((m) => m.value)).toEqual([
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '14',
    ]);
    expect(result?.count).toBe(15);
  });

  test('a rule by metric-name pattern', async () => {
    const spec = {
      measurementRetention: [{ metricName: 'm.*', limit: 3 }],
      metrics: [webMetric('m', { interval: '10s' })],
    };
    const result = await runFor(spec, 6);
    expect(result?.measurements?.map((m) => m.value)).toEqual(['3', '4', '5']);
  });
});
