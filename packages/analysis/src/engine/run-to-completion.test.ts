import type { AnalysisRunSpec } from '@ramp/api';
import { keepAliveClock, sleep } from '@ramp/kube';
import {
  jobMetric,
  providersOf,
  ScriptedProvider,
  T0,
  tinyEvaluator,
  value,
  valuesProvider,
  webMetric,
} from '../testing/engine';
import { FakeClock } from '../testing/fake-clock';
import { runToCompletion } from './run-to-completion';
import type { MeasurementReport } from './step-run';
import { parseTime } from './time';

describe('runToCompletion', () => {
  test('sleeps on the injected clock between measurements and reports each one', async () => {
    const clock = new FakeClock(T0);
    const reports: MeasurementReport[] = [];
    const status = await runToCompletion({
      spec: { metrics: [webMetric('m', { interval: '5m', count: 12, successCondition: 'result < 5' })] },
      providers: providersOf(valuesProvider(1)),
      clock,
      evaluate: tinyEvaluator,
      onMeasurement: (r) => reports.push(r),
    });
    expect(status.phase).toBe('Successful');
    expect(reports).toHaveLength(12);
    expect(clock.sleeps).toEqual(Array(11).fill(300_000));
    expect(status.completedAt).toBe('2026-11-21T10:55:00Z');
  });

  test('a deadline terminates an interval-only run with the phase so far', async () => {
    const clock = new FakeClock(T0);
    const provider = valuesProvider(1);
    const status = await runToCompletion({
      spec: { metrics: [webMetric('forever', { interval: '1m' })] },
      providers: providersOf(provider),
      clock,
      deadline: new Date(Date.parse(T0) + 10 * 60_000 + 30_000),
    });
    expect(status).toMatchObject({
      phase: 'Successful',
      message: 'Run Terminated',
      completedAt: '2026-11-21T10:10:30Z',
    });
    expect(provider.count('measure')).toBe(11);
  });

  test('abort (Ctrl-C) terminates: in-flight measurements are stopped, the phase so far is returned', async () => {
    const clock = new FakeClock(T0);
    const controller = new AbortController();
    const job = new ScriptedProvider(
      'job',
      [{ kind: 'running', resumeAt: new Date(Date.parse(T0) + 10_000), metadata: {} }],
      [(_m, ctx) => ({ kind: 'running', resumeAt: new Date(ctx.now().getTime() + 10_000), metadata: {} })],
    );
    clock.onSleep = (c) => {
      if (c.now() >= Date.parse(T0) + 40_000) controller.abort();
    };
    const spec: AnalysisRunSpec = { metrics: [jobMetric('job')] };
    const status = await runToCompletion({
      spec,
      providers: providersOf(job),
      clock,
      signal: controller.signal,
    });
    expect(status.phase).toBe('Successful');
    expect(status.message).toBe('Run Terminated');
    expect(job.count('terminate')).toBe(1);
    expect(status.metricResults?.[0]?.measurements?.[0]?.message).toBe('Metric Terminated');
  });

  test('a failure ends the run early (no need to wait for the deadline)', async () => {
    const clock = new FakeClock(T0);
    const status = await runToCompletion({
      spec: { metrics: [webMetric('m', { interval: '30s', successCondition: 'result < 5' })] },
      providers: providersOf(new ScriptedProvider('web', [value(1), value(1), value(9)])),
      clock,
      evaluate: tinyEvaluator,
      deadline: new Date(Date.parse(T0) + 3_600_000),
    });
    expect(status.phase).toBe('Failed');
    expect(parseTime(status.completedAt)).toEqual(new Date(Date.parse(T0) + 60_000));
  });

  test('args that cannot be resolved: the run ends in Error', async () => {
    const status = await runToCompletion({
      spec: { args: [{ name: 'x' }], metrics: [webMetric('m')] },
      providers: providersOf(valuesProvider(1)),
      clock: new FakeClock(T0),
    });
    expect(status).toMatchObject({
      phase: 'Error',
      message: 'Unable to resolve metric arguments: argument "x" was not supplied',
    });
  });

  test('resolves secret args once and redacts them', async () => {
    let lookups = 0;
    const provider = new ScriptedProvider('web', [{ kind: 'error', message: 'bad key k-123' }]);
    const status = await runToCompletion({
      spec: {
        args: [{ name: 'key', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        metrics: [webMetric('m', { provider: { web: { url: 'http://x/?k={{args.key}}' } } })],
      },
      providers: providersOf(provider),
      clock: new FakeClock(T0),
      argResolver: {
        secretKeyRef: async () => {
          lookups++;
          return 'k-123';
        },
      },
    });
    expect(lookups).toBe(1);
    expect(status.phase).toBe('Error');
    expect(JSON.stringify(status)).not.toContain('k-123');
  });
});

describe('clock helpers', () => {
  test('parseTime', () => {
    expect(parseTime(undefined)).toBeUndefined();
    expect(parseTime('garbage')).toBeUndefined();
    expect(parseTime(T0)).toEqual(new Date(T0));
  });

  test('a sleep on FakeClock advances time and returns at once; an aborted sleep does not', async () => {
    const clock = new FakeClock(T0);
    await sleep(clock, 1500);
    expect(clock.now()).toEqual(Date.parse(T0) + 1500);
    const c = new AbortController();
    c.abort();
    await sleep(clock, 1000, c.signal);
    expect(clock.now()).toEqual(Date.parse(T0) + 1500);
  });
});

describe('the system clock (keepAliveClock)', () => {
  test('sleep returns at once when the signal is already aborted, or as soon as it aborts', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await sleep(keepAliveClock, 60_000, aborted.signal);
    const later = new AbortController();
    const sleeping = sleep(keepAliveClock, 60_000, later.signal);
    later.abort();
    await sleeping;
    expect(keepAliveClock.now()).toBeCloseTo(Date.now(), -3);
  });
});
