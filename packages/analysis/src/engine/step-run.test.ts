import type { AnalysisRunStatus } from '@ramp/api';
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

describe('a single measurement', () => {
  test('no conditions: Successful, with Argo-shaped status and events', async () => {
    const { status, steps, events } = await drive({ metrics: [webMetric('smoke')] }, valuesProvider(1));
    expect(steps).toHaveLength(1);
    expect(status).toEqual({
      phase: 'Successful',
      startedAt: T0,
      completedAt: T0,
      metricResults: [
        {
          name: 'smoke',
          phase: 'Successful',
          count: 1,
          successful: 1,
          consecutiveSuccess: 1,
          measurements: [{ phase: 'Successful', value: '1', startedAt: T0, finishedAt: T0 }],
        },
      ],
      runSummary: { count: 1, successful: 1 },
      dryRunSummary: {},
    });
    expect(events).toEqual([
      { type: 'Normal', reason: 'MetricSuccessful', message: "Metric 'smoke' Completed. Result: Successful" },
      { type: 'Normal', reason: 'AnalysisRunSuccessful', message: 'Analysis Completed. Result: Successful' },
    ]);
  });

  test('a completed run is returned unchanged, and nothing is measured', async () => {
    const provider = valuesProvider(1);
    const status: AnalysisRunStatus = { phase: 'Failed', message: 'x' };
    const step = await stepRun({
      spec: { metrics: [webMetric('m')] },
      status,
      now: at(5),
      providers: providersOf(provider),
    });
    expect(step).toEqual({ status, events: [], measurements: [] });
    expect(provider.count('measure')).toBe(0);
  });

  test('stepping again at the same time measures nothing (idempotent)', async () => {
    const provider = valuesProvider(1);
    const spec = { metrics: [webMetric('m', { interval: '30s' })] };
    const first = await stepRun({
      spec,
      now: at(0),
      providers: providersOf(provider),
      evaluate: tinyEvaluator,
    });
    const second = await stepRun({
      spec,
      status: first.status,
      now: at(0),
      providers: providersOf(provider),
      evaluate: tinyEvaluator,
    });
    expect(provider.count('measure')).toBe(1);
    expect(second.status).toEqual(first.status);
    expect(second.wakeAt).toEqual(at(30));
  });
});

describe('scheduling through steps', () => {
  test('initialDelay then interval; count reached completes', async () => {
    const provider = valuesProvider(1);
    const spec = { metrics: [webMetric('m', { initialDelay: '1m', interval: '30s', count: 3 })] };
    const { status, steps } = await drive(spec, provider);
    expect(steps.map((s) => s.wakeAt)).toEqual([at(60), at(90), at(120), undefined]);
    expect(provider.calls.map((c) => c.at)).toEqual([at(60), at(90), at(120)]);
    expect(steps[0]?.status.metricResults).toEqual([]); // not measured yet: no result, as in Argo
    expect(steps[0]?.status.phase).toBe('Running');
    expect(status).toMatchObject({ phase: 'Successful', completedAt: '2026-11-21T10:02:00Z' });
  });

  test('an Error is retried after 10 s, and does not count toward count', async () => {
    const provider = new ScriptedProvider('web', [failure('connection refused'), value(1), value(1)]);
    const spec = { metrics: [webMetric('m', { interval: '5m', count: 2 })] };
    const { status } = await drive(spec, provider);
    expect(provider.calls.map((c) => c.at)).toEqual([at(0), at(10), at(310)]);
    expect(status.metricResults?.[0]).toMatchObject({
      phase: 'Successful',
      count: 2,
      error: 1,
      successful: 2,
    });
  });

  test('failureLimit -1 alone is valid and disables the failure limit', async () => {
    const provider = valuesProvider(9, 9, 9);
    const spec = {
      metrics: [
        webMetric('m', { interval: '10s', count: 3, failureLimit: -1, successCondition: 'result < 5' }),
      ],
    };
    const { status } = await drive(spec, provider);
    expect(provider.count('measure')).toBe(3);
    expect(status).toMatchObject({ phase: 'Successful', runSummary: { count: 1, successful: 1 } });
    expect(status.metricResults?.[0]).toMatchObject({ phase: 'Successful', count: 3, failed: 3 });
  });

  test('consecutiveSuccessLimit completes the metric before count', async () => {
    const provider = new ScriptedProvider('web', [value(9), value(1), value(1), value(1)]);
    const spec = {
      metrics: [
        webMetric('m', {
          interval: '10s',
          count: 10,
          failureLimit: 2,
          consecutiveSuccessLimit: 3,
          successCondition: 'result < 5',
        }),
      ],
    };
    const { status } = await drive(spec, provider);
    expect(provider.count('measure')).toBe(4);
    expect(status.metricResults?.[0]).toMatchObject({
      phase: 'Successful',
      count: 4,
      failed: 1,
      consecutiveSuccess: 3,
    });
    expect(status.phase).toBe('Successful');
  });

  test('a missing provider is an Error measurement, retried', async () => {
    const spec = { metrics: [{ name: 'q', provider: { datadog: {} } }] };
    const { status } = await drive(spec, valuesProvider(1));
    expect(status.phase).toBe('Error');
    expect(status.metricResults?.[0]?.measurements?.[0]?.message).toBe('provider "datadog" is not available');
    expect(status.message).toBe(
      'Metric "q" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: provider "datadog" is not available"',
    );
  });

  test('a provider that throws gives an Error measurement', async () => {
    const provider = new ScriptedProvider('web', [
      () => {
        throw new Error('socket hang up');
      },
    ]);
    const step = await stepRun({
      spec: { metrics: [webMetric('m')] },
      now: at(0),
      providers: providersOf(provider),
    });
    expect(step.status.metricResults?.[0]?.measurements?.[0]).toMatchObject({
      phase: 'Error',
      message: 'socket hang up',
    });
    expect(step.wakeAt).toEqual(at(10));
  });

  test('a running measurement (Job) is resumed at its resumeAt', async () => {
    const provider = new ScriptedProvider(
      'job',
      [{ kind: 'running', resumeAt: at(15), metadata: { 'job-name': 'j-1' } }],
      [
        { kind: 'running', resumeAt: at(30), metadata: { 'job-name': 'j-1' } },
        { kind: 'verdict', phase: 'Successful' },
      ],
    );
    const spec = { metrics: [jobMetric('job')] };
    const { status, steps } = await drive(spec, provider);
    expect(steps[0]?.status.metricResults?.[0]?.measurements).toEqual([
      { phase: 'Running', startedAt: T0, resumeAt: '2026-11-21T10:00:15Z', metadata: { 'job-name': 'j-1' } },
    ]);
    expect(steps.map((s) => s.wakeAt)).toEqual([at(15), at(30), undefined]);
    expect(status.metricResults?.[0]?.measurements).toEqual([
      {
        phase: 'Successful',
        startedAt: T0,
        finishedAt: '2026-11-21T10:00:30Z',
        metadata: { 'job-name': 'j-1' },
      },
    ]);
  });
});

describe('messages as Argo writes them', () => {
  test('failureLimit', async () => {
    const spec = {
      metrics: [
        webMetric('error-rate', { interval: '10s', failureLimit: 4, successCondition: 'result < 5' }),
      ],
    };
    const { status, events } = await drive(spec, valuesProvider(9));
    expect(status.phase).toBe('Failed');
    expect(status.message).toBe('Metric "error-rate" assessed Failed due to failed (5) > failureLimit (4)');
    expect(status.metricResults?.[0]?.measurements).toHaveLength(5);
    expect(status.runSummary).toEqual({ count: 1, failed: 1 });
    expect(events.at(-1)).toEqual({
      type: 'Warning',
      reason: 'AnalysisRunFailed',
      message: 'Analysis Completed. Result: Failed',
    });
  });

  test('inconclusiveLimit', async () => {
    const spec = {
      metrics: [
        webMetric('latency', {
          interval: '10s',
          inconclusiveLimit: 1,
          successCondition: 'result < 5',
          failureCondition: 'result > 10',
        }),
      ],
    };
    const { status } = await drive(spec, valuesProvider(7));
    expect(status.phase).toBe('Inconclusive');
    expect(status.message).toBe(
      'Metric "latency" assessed Inconclusive due to inconclusive (2) > inconclusiveLimit (1)',
    );
    expect(status.runSummary).toEqual({ count: 1, inconclusive: 1 });
  });

  test('consecutiveErrorLimit, with the last error message', async () => {
    const spec = { metrics: [webMetric('success-rate', { interval: '1m' })] };
    const { status } = await drive(spec, new ScriptedProvider('web', [failure('HTTP 503 from prometheus')]));
    expect(status.phase).toBe('Error');
    expect(status.message).toBe(
      'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: HTTP 503 from prometheus"',
    );
    expect(status.metricResults?.[0]).toMatchObject({
      error: 5,
      consecutiveError: 5,
      message: 'HTTP 503 from prometheus',
    });
    expect(status.metricResults?.[0]?.count).toBeUndefined();
  });
});
