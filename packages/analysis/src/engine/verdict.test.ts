import type { Metric } from '@ramp/api';
import { tinyEvaluator, webMetric } from '../testing/engine';
import { evaluateCondition } from './default-evaluator';
import { takeMeasurement } from './measure';
import { type ConditionEvaluator, formatValue, judge } from './verdict';

// One row per row of the verdict table in docs/analysis.md. "true"/"false" are conditions that
// evaluate to that; "error" is one that cannot be evaluated.
type Cond = 'true' | 'false' | 'error' | undefined;
const verdictTable: [string, Cond, Cond, string][] = [
  ['no conditions', undefined, undefined, 'Successful'],
  ['successCondition only, true', 'true', undefined, 'Successful'],
  ['successCondition only, false', 'false', undefined, 'Failed'],
  ['failureCondition only, true', undefined, 'true', 'Failed'],
  ['failureCondition only, false', undefined, 'false', 'Successful'],
  ['both, success true, failure true (failure wins)', 'true', 'true', 'Failed'],
  ['both, success false, failure true', 'false', 'true', 'Failed'],
  ['both, success true, failure false', 'true', 'false', 'Successful'],
  ['both, success false, failure false', 'false', 'false', 'Inconclusive'],
  ['successCondition cannot be evaluated', 'error', 'false', 'Error'],
  ['failureCondition cannot be evaluated', 'true', 'error', 'Error'],
];

const evaluator: ConditionEvaluator = (source, env) => {
  if (source === 'error') throw new Error('cannot compare string and number');
  return tinyEvaluator(source, env);
};

const metric = (success: Cond, failure: Cond): Metric =>
  webMetric('m', {
    ...(success ? { successCondition: success } : {}),
    ...(failure ? { failureCondition: failure } : {}),
  });

describe('the verdict table', () => {
  test.each(verdictTable)('%s', (_name, success, failure, phase) => {
    const verdict = judge(metric(success, failure), 1, evaluator);
    expect(verdict.phase).toBe(phase);
    if (phase === 'Error') expect(verdict.message).toBe('cannot compare string and number');
    else expect(verdict.message).toBeUndefined();
  });

  test('provider error: the measurement is Error with the provider message', async () => {
    const provider = { type: 'web', measure: async () => ({ kind: 'error' as const, message: 'HTTP 503' }) };
    const m = await takeMeasurement(metric('true', undefined), {
      providers: new Map([['web', provider]]),
      evaluate: evaluator,
      ctx: { now: () => new Date('2026-11-21T10:00:00Z') },
    });
    expect(m).toEqual({
      phase: 'Error',
      message: 'HTTP 503',
      startedAt: '2026-11-21T10:00:00Z',
      finishedAt: '2026-11-21T10:00:00Z',
    });
  });
});

describe('judge', () => {
  test('the failure condition is not evaluated when the success condition errs', () => {
    const seen: string[] = [];
    const spy: ConditionEvaluator = (source, env) => {
      seen.push(source);
      return evaluator(source, env);
    };
    judge(metric('error', 'true'), 1, spy);
    expect(seen).toEqual(['error']);
  });

  test('conditions see the value as `result`', () => {
    expect(judge(webMetric('m', { successCondition: 'result < 5' }), 3, tinyEvaluator).phase).toBe(
      'Successful',
    );
    expect(judge(webMetric('m', { successCondition: 'result < 5' }), 7, tinyEvaluator).phase).toBe('Failed');
  });

  test('an evaluator returning a non-boolean is an Error', () => {
    const bad = (() => 3) as unknown as ConditionEvaluator;
    expect(judge(metric('true', undefined), 1, bad)).toEqual({
      phase: 'Error',
      message: 'expected bool, but got number',
    });
  });

  test('empty condition strings count as absent', () => {
    expect(judge(webMetric('m', { successCondition: '', failureCondition: '' }), 1, evaluator).phase).toBe(
      'Successful',
    );
  });

  test('with the condition language (default evaluator)', () => {
    const m = webMetric('m', { successCondition: 'result[0] >= 0.95', failureCondition: 'result[0] < 0.5' });
    expect(judge(m, [0.99], evaluateCondition).phase).toBe('Successful');
    expect(judge(m, [0.7], evaluateCondition).phase).toBe('Inconclusive');
    expect(judge(m, [0.1], evaluateCondition).phase).toBe('Failed');
    const err = judge(m, [], evaluateCondition);
    expect(err.phase).toBe('Error');
    expect(err.message).not.toContain('\n');
  });
});

describe('formatValue', () => {
  test.each([
    [0.99, '0.99'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [[0.99, 0.5], '[0.99,0.5]'],
    [[], '[]'],
    ['ok', 'ok'],
    [true, 'true'],
    [{ a: 1 }, '{"a":1}'],
    [null, ''],
  ])('%p → %p', (input, text) => {
    expect(formatValue(input)).toBe(text);
  });
});
