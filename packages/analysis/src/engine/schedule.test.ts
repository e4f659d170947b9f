import type { AnalysisRunSpec, AnalysisRunStatus, Measurement, Metric } from '@ramp/api';
import { kubeTime } from '@ramp/kube';
import { at, T0, webMetric } from '../testing/engine';
import { ERROR_RETRY_INTERVAL_MS, isTerminating, planMetric, planRun } from './schedule';

const done = (phase: Measurement['phase'], finishedSec: number): Measurement => ({
  phase,
  startedAt: kubeTime(at(finishedSec)),
  finishedAt: kubeTime(at(finishedSec)),
});

const ctx = (nowSec: number, terminating = false) => ({ now: at(nowSec), startedAt: at(0), terminating });

const plan = (metric: Metric, measurements: Measurement[] | undefined, nowSec: number, count = 0) =>
  planMetric(
    metric,
    measurements ? { name: metric.name, phase: 'Running', measurements, count } : undefined,
    ctx(nowSec),
  );

describe('first measurement', () => {
  test('at once without initialDelay', () => {
    expect(plan(webMetric('m'), undefined, 0)).toEqual({ kind: 'measure' });
  });

  test('initialDelay counts from the run start', () => {
    const m = webMetric('m', { initialDelay: '1m' });
    expect(plan(m, undefined, 59)).toEqual({ kind: 'wait', at: at(60) });
    expect(plan(m, undefined, 60)).toEqual({ kind: 'measure' });
  });
});

describe('next measurements', () => {
  test('lastMeasurement.finishedAt + interval', () => {
    const m = webMetric('m', { interval: '30s', count: 5 });
    expect(plan(m, [done('Successful', 0)], 29, 1)).toEqual({ kind: 'wait', at: at(30) });
    expect(plan(m, [done('Successful', 0)], 30, 1)).toEqual({ kind: 'measure' });
  });

  test('after an Error: 10 s, whatever the interval', () => {
    const m = webMetric('m', { interval: '5m' });
    expect(ERROR_RETRY_INTERVAL_MS).toBe(10_000);
    expect(plan(m, [done('Error', 0)], 5)).toEqual({ kind: 'wait', at: at(10) });
    expect(plan(m, [done('Error', 0)], 10)).toEqual({ kind: 'measure' });
    // and without an interval (a single measurement that errored is retried too)
    expect(plan(webMetric('once'), [done('Error', 0)], 10)).toEqual({ kind: 'measure' });
  });

  test('count reached: done; errors do not count', () => {
    const m = webMetric('m', { interval: '30s', count: 2 });
    expect(plan(m, [done('Successful', 0), done('Failed', 30)], 100, 2)).toEqual({ kind: 'done' });
    expect(plan(m, [done('Successful', 0), done('Error', 30)], 100, 1)).toEqual({ kind: 'measure' });
    expect(plan(webMetric('once'), [done('Successful', 0)], 100, 1)).toEqual({ kind: 'done' });
  });

  test('interval only: measures forever', () => {
    const m = webMetric('m', { interval: '1h' });
    expect(plan(m, [done('Successful', 0)], 3600 * 1000, 1000)).toEqual({ kind: 'measure' });
  });
});

describe('in-flight measurements (a Job)', () => {
  const running: Measurement = { phase: 'Running', startedAt: T0, resumeAt: kubeTime(at(20)) };

  test('resumed at resumeAt', () => {
    expect(plan(webMetric('m'), [running], 19)).toEqual({ kind: 'wait', at: at(20) });
    expect(plan(webMetric('m'), [running], 20)).toEqual({ kind: 'resume', measurement: running });
  });

  test('resumed at once without resumeAt', () => {
    const m: Measurement = { phase: 'Running', startedAt: T0 };
    expect(plan(webMetric('m'), [m], 1)).toEqual({ kind: 'resume', measurement: m });
  });

  test('terminated when the run is ending', () => {
    expect(
      planMetric(webMetric('m'), { name: 'm', phase: 'Running', measurements: [running] }, ctx(1, true)),
    ).toEqual({
      kind: 'terminate',
      measurement: running,
    });
  });
});

describe('planRun', () => {
  const spec: AnalysisRunSpec = {
    metrics: [
      webMetric('now'),
      webMetric('later', { initialDelay: '30s' }),
      webMetric('soon', { initialDelay: '10s' }),
    ],
  };

  test('due metrics and the earliest wake-up', () => {
    const p = planRun(spec, { startedAt: T0 }, at(0));
    expect(p.due).toEqual(['now']);
    expect(p.wakeAt).toEqual(at(10));
  });

  test('the run start defaults to now', () => {
    expect(planRun(spec, undefined, at(5)).wakeAt).toEqual(at(15));
  });

  test('nothing new while terminating', () => {
    const p = planRun({ ...spec, terminate: true }, { startedAt: T0 }, at(100));
    expect(p).toMatchObject({ due: [], resume: [], terminate: [] });
    expect(p.wakeAt).toBeUndefined();
  });

  test('completed metrics are done', () => {
    const status: AnalysisRunStatus = {
      startedAt: T0,
      metricResults: [{ name: 'now', phase: 'Successful' }],
    };
    expect(planRun(spec, status, at(100)).due).toEqual(['later', 'soon']);
  });
});

describe('isTerminating', () => {
  test('spec.terminate, or a non-dry-run metric Failed, Error or Inconclusive', () => {
    const spec: AnalysisRunSpec = { metrics: [] };
    expect(isTerminating({ ...spec, terminate: true }, undefined)).toBe(true);
    for (const phase of ['Failed', 'Error', 'Inconclusive'] as const) {
      expect(isTerminating(spec, { metricResults: [{ name: 'a', phase }] })).toBe(true);
      expect(isTerminating(spec, { metricResults: [{ name: 'a', phase, dryRun: true }] })).toBe(false);
    }
    expect(isTerminating(spec, { metricResults: [{ name: 'a', phase: 'Successful' }] })).toBe(false);
  });
});
