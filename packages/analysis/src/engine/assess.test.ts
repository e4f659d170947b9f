import type { AnalysisPhase, Measurement, Metric, MetricResult } from '@ramp/api';
import { webMetric } from '../testing/engine';
import { assessMetric, limitBreach } from './assess';
import { countMeasurement } from './record';

type P = 'S' | 'F' | 'I' | 'E' | 'R';
const PHASE: Record<P, AnalysisPhase> = {
  S: 'Successful',
  F: 'Failed',
  I: 'Inconclusive',
  E: 'Error',
  R: 'Running',
};

/** A metric result after these measurements, in order ("R" is one still in flight). */
function resultOf(sequence: string): MetricResult {
  const result: MetricResult = { name: 'm', phase: 'Running', measurements: [] };
  for (const p of sequence) {
    const m: Measurement = { phase: PHASE[p as P], startedAt: '2026-11-21T10:00:00Z' };
    if (p !== 'R') m.finishedAt = '2026-11-21T10:00:00Z';
    countMeasurement(result, m);
    result.measurements?.push(m);
  }
  return result;
}

const assess = (metric: Partial<Metric>, sequence: string, terminating = false) =>
  assessMetric(webMetric('m', { interval: '1m', ...metric }), resultOf(sequence), terminating);

describe('counters', () => {
  test('count excludes errors; consecutive counters reset', () => {
    const r = resultOf('SSEFEES');
    expect(r).toMatchObject({
      count: 4,
      successful: 3,
      failed: 1,
      error: 3,
      consecutiveError: 0,
      consecutiveSuccess: 1,
    });
    expect(resultOf('SEE')).toMatchObject({ consecutiveError: 2, consecutiveSuccess: 0, count: 1 });
    expect(resultOf('SSI')).toMatchObject({ consecutiveSuccess: 0, inconclusive: 1 });
    expect(resultOf('SR')).toMatchObject({ count: 1, successful: 1 });
  });
});

describe('failureLimit', () => {
  test.each([
    // [failureLimit, measurements, phase]
    [0, 'S', 'Running'],
    [0, 'F', 'Failed'],
    [undefined, 'F', 'Failed'],
    [4, 'FFFF', 'Running'],
    [4, 'FFFFF', 'Failed'],
    ['4', 'FFFFF', 'Failed'],
    [4, 'FSFSFSFSF', 'Failed'],
    [-1, 'FFFFFFFFFFFF', 'Running'],
    ['-1', 'FFFFFFFFFFFF', 'Running'],
  ])('failureLimit %p after %s: %s', (failureLimit, sequence, phase) => {
    expect(assess(failureLimit === undefined ? {} : { failureLimit }, sequence)).toBe(phase);
  });

  test('-1 disables the limit on its own; the other limits still apply', () => {
    expect(assess({ failureLimit: -1, count: 3 }, 'FFF')).toBe('Successful');
    expect(assess({ failureLimit: -1, count: 3 }, 'FSF')).toBe('Successful');
    expect(assess({ failureLimit: -1, count: 3 }, 'FF')).toBe('Running');
    expect(assess({ failureLimit: -1, count: 3 }, 'FIF')).toBe('Inconclusive');
    expect(assess({ failureLimit: -1, count: 3 }, 'FEEEEE')).toBe('Error');
    expect(assess({ failureLimit: -1 }, 'FFF', true)).toBe('Successful');
  });

  test('the reason as Argo words it', () => {
    expect(limitBreach(webMetric('m', { failureLimit: 4 }), resultOf('FFFFF'))).toEqual({
      phase: 'Failed',
      reason: 'failed (5) > failureLimit (4)',
    });
    expect(limitBreach(webMetric('m', { failureLimit: -1 }), resultOf('FFFFF'))).toBeUndefined();
  });
});

describe('inconclusiveLimit', () => {
  test.each([
    [undefined, 'I', 'Inconclusive'],
    [1, 'I', 'Running'],
    [1, 'SII', 'Inconclusive'],
  ])('inconclusiveLimit %p after %s: %s', (inconclusiveLimit, sequence, phase) => {
    expect(assess(inconclusiveLimit === undefined ? {} : { inconclusiveLimit }, sequence)).toBe(phase);
  });

  test('reason', () => {
    expect(limitBreach(webMetric('m', { inconclusiveLimit: 1 }), resultOf('II'))?.reason).toBe(
      'inconclusive (2) > inconclusiveLimit (1)',
    );
  });
});

describe('consecutiveErrorLimit', () => {
  test.each([
    [undefined, 'EEEE', 'Running'],
    [undefined, 'EEEEE', 'Error'],
    [undefined, 'EEEESEEEE', 'Running'],
    [0, 'E', 'Error'],
    [2, 'EE', 'Running'],
    [2, 'EEE', 'Error'],
  ])('consecutiveErrorLimit %p after %s: %s', (consecutiveErrorLimit, sequence, phase) => {
    expect(assess(consecutiveErrorLimit === undefined ? {} : { consecutiveErrorLimit }, sequence)).toBe(
      phase,
    );
  });

  test('reason (default limit 4)', () => {
    expect(limitBreach(webMetric('m'), resultOf('EEEEE'))).toEqual({
      phase: 'Error',
      reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
    });
  });

  test('errors do not count toward count', () => {
    expect(assess({ count: 2 }, 'SEE')).toBe('Running');
    expect(assess({ count: 2 }, 'SES')).toBe('Successful');
  });
});

describe('consecutiveSuccessLimit', () => {
  test('completes the metric early once reached', () => {
    expect(assess({ consecutiveSuccessLimit: 3 }, 'SS')).toBe('Running');
    expect(assess({ consecutiveSuccessLimit: 3 }, 'SSS')).toBe('Successful');
    expect(assess({ consecutiveSuccessLimit: 3, count: 10 }, 'SSS')).toBe('Successful');
  });

  test('a failure in between resets the streak; failures beyond the limit still fail', () => {
    expect(assess({ consecutiveSuccessLimit: 3, failureLimit: 2 }, 'SSFSS')).toBe('Running');
    expect(assess({ consecutiveSuccessLimit: 3, failureLimit: 2 }, 'SSFSSFSF')).toBe('Failed');
  });

  test('failureLimit -1: waits for the streak, however many failures', () => {
    expect(assess({ consecutiveSuccessLimit: 2, failureLimit: -1 }, 'FFFFFFFFS')).toBe('Running');
    expect(assess({ consecutiveSuccessLimit: 2, failureLimit: -1 }, 'FFFFFFFFSS')).toBe('Successful');
  });

  test('count reached without the streak', () => {
    // failureLimit -1: only the streak applies: Failed
    expect(assess({ consecutiveSuccessLimit: 2, failureLimit: -1, count: 3 }, 'SFS')).toBe('Failed');
    // both limits apply and neither was reached: Inconclusive
    expect(assess({ consecutiveSuccessLimit: 2, failureLimit: 1, count: 3 }, 'SFS')).toBe('Inconclusive');
    // only failureLimit applies (the usual case): Successful
    expect(assess({ failureLimit: 1, count: 3 }, 'SFS')).toBe('Successful');
    // neither applies: Successful
    expect(assess({ failureLimit: -1, count: 3 }, 'SFS')).toBe('Successful');
  });
});

describe('assessMetric', () => {
  test('no measurement: Pending, or Successful when terminating', () => {
    expect(assess({}, '')).toBe('Pending');
    expect(assess({}, '', true)).toBe('Successful');
  });

  test('a measurement in flight: Running, even when terminating', () => {
    expect(assess({}, 'SR')).toBe('Running');
    expect(assess({}, 'SR', true)).toBe('Running');
  });

  test('count reached: Successful; no interval and no count is one measurement', () => {
    expect(assess({ count: 3 }, 'SS')).toBe('Running');
    expect(assess({ count: 3, failureLimit: 1 }, 'SFS')).toBe('Successful');
    expect(assessMetric(webMetric('m'), resultOf('S'), false)).toBe('Successful');
  });

  test('interval only: Running until terminated, then Successful', () => {
    expect(assess({}, 'SSSSSSSSSSSSSSSSSSSS')).toBe('Running');
    expect(assess({}, 'SSS', true)).toBe('Successful');
  });

  test('a completed metric keeps its phase', () => {
    const r = { ...resultOf('S'), phase: 'Failed' as const };
    expect(assessMetric(webMetric('m'), r, false)).toBe('Failed');
  });

  test('a later breach overrides an earlier one (Argo checks failed, inconclusive, then errors)', () => {
    const r = { ...resultOf('FI'), consecutiveError: 5 };
    expect(limitBreach(webMetric('m'), r)?.phase).toBe('Error');
    expect(limitBreach(webMetric('m'), resultOf('FI'))?.phase).toBe('Inconclusive');
  });
});
