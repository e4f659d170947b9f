/**
 * The limits of docs/analysis.md (the condition language): each is enforced with a ConditionError, before the work it
 * guards (no stack overflow, no unbounded allocation, no runaway regex), and legitimate large input passes.
 */
import { ConditionError, compileCondition, evaluateExpression } from './index';

/** The error a condition fails with: when compiled, or else when evaluated with `env`. */
function refusal(source: string, env: Record<string, unknown> = { result: 1 }): ConditionError {
  try {
    compileCondition(source).evaluate(env);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error(`${source.slice(0, 80)} was not refused`);
}

describe('limits', () => {
  test('an expression over 10,000 characters is refused before parsing', () => {
    const source = `result > ${'1'.repeat(10_000)}`;
    expect(refusal(source).reason).toBe('the expression is 10009 characters long; the limit is 10000');
  });

  test('10,000 nested parentheses are refused', () => {
    const source = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    expect(refusal(source).kind).toBe('parse');
  });

  test.each([
    ['parentheses', `${'('.repeat(4_000)}1${')'.repeat(4_000)}`],
    ['brackets', `${'['.repeat(4_000)}${']'.repeat(4_000)}`],
    ['calls', `${'len('.repeat(1_900)}"x"${')'.repeat(1_900)}`],
    ['braces', `all(result, ${'{'.repeat(3_000)}true${'}'.repeat(3_000)})`],
    ['negations', `${'!'.repeat(9_000)}true`],
    ['minus signs', `${'- '.repeat(4_000)}1`],
    ['not', `${'not '.repeat(2_000)}true`],
    ['powers', `2${' ** 2'.repeat(1_500)}`],
    ['sums', `1${' + 1'.repeat(2_000)}`],
    ['ands', `true${' && true'.repeat(1_000)}`],
    ['ternaries', `${'true ? 1 : '.repeat(800)}2`],
    ['member chains', `result${'.a'.repeat(3_000)}`],
    ['index chains', `result${'[0]'.repeat(2_000)}`],
    ['?? chains', `nil${' ?? nil'.repeat(1_200)}`],
    ['unclosed parentheses', '('.repeat(9_000)],
  ])('deep nesting (%s) is refused without overflowing the stack', (_, source) => {
    expect(source.length).toBeLessThanOrEqual(10_000);
    const error = refusal(source);
    expect(error.kind).toBe('parse');
    expect(error.reason).toMatch(/nested/);
  });

  test('long but flat expressions are fine', () => {
    expect(compileCondition(`0${' < 1 + 1'.repeat(1_000)}`).evaluate({})).toBe(false);
    expect(compileCondition(`[${'1, '.repeat(3_000)}1][3000] == 1`).evaluate({})).toBe(true);
  });

  test('predicates nest at most 4 deep', () => {
    const nest = (depth: number): string => (depth === 0 ? 'true' : `all([1], {${nest(depth - 1)}})`);
    expect(compileCondition(nest(4)).evaluate({})).toBe(true);
    expect(refusal(nest(5)).reason).toBe('predicates are nested more than 4 levels deep');
  });

  test('evaluation has a step budget', () => {
    const result = Array.from({ length: 2_000 }, (_, i) => i);
    expect(() => compileCondition('all(result, {all(result, {# >= 0})})').evaluate({ result })).toThrow(
      'evaluation took more than 1000000 steps; simplify the expression or the data',
    );
    expect(compileCondition('all(result, {# >= 0})').evaluate({ result })).toBe(true);
  });

  test('the step budget covers equality, flattening and checking results', () => {
    const result = Array.from({ length: 10_000 }, (_, i) => i);
    const steps = 'evaluation took more than 1000000 steps; simplify the expression or the data';
    expect(refusal('map(result, {result}) == map(result, {result})', { result }).reason).toBe(steps);
    expect(refusal('map(result, {# == 9999 ? -1 : #}) in map(result, {result})', { result }).reason).toBe(
      steps,
    );
    expect(refusal('max(map(result, {result})) > 0', { result }).reason).toBe(steps);
    expect(() => evaluateExpression('map(result, {result})', { result })).toThrow(steps);
    expect(compileCondition('result == result').evaluate({ result })).toBe(true);
  });

  test('string concatenation is capped at 1,000,000 characters', () => {
    const result = 'x'.repeat(600_000);
    expect(evaluateExpression('len(result)', { result })).toBe(600_000);
    expect(() => evaluateExpression('result + result', { result })).toThrow(
      'string concatenation would be 1200000 characters long; the limit is 1000000',
    );
    expect(evaluateExpression('len(result + "y")', { result })).toBe(600_001);
  });

  test('all concatenations of one evaluation together are capped at 10,000,000 characters', () => {
    const env = { result: Array.from({ length: 100_000 }, () => 1), s: 'x'.repeat(500_000) };
    expect(() => evaluateExpression('len(map(result, {s + s}))', env)).toThrow(
      'string concatenations produced more than 10000000 characters',
    );
    expect(evaluateExpression('len(map([1, 2, 3], {s + s}))', env)).toBe(3);
  });

  test('matches refuses long patterns and long texts', () => {
    const pattern = 'a'.repeat(1_001);
    expect(refusal(`result matches "${pattern}"`).reason).toBe(
      'regular expression is 1001 characters long; the limit is 1000',
    );
    expect(() => evaluateExpression('result matches "a"', { result: 'b'.repeat(100_001) })).toThrow(
      'matches: the text is 100001 characters long; the limit is 100000',
    );
    expect(evaluateExpression('result matches "a$"', { result: 'b'.repeat(100_000) })).toBe(false);
  });

  test('matches cannot backtrack catastrophically', () => {
    const evil = ['(a+)+$', '^(a|a)*$', '(a*)*b', '(.*a){12}x', '^(\\w+\\s?)*$', '.*.*.*=.*', '(x+x+)+y'];
    const text = `${'a'.repeat(5_000)}!`;
    for (const pattern of evil) {
      expect(evaluateExpression('result matches pattern', { result: text, pattern })).toBe(false);
    }
    const long = 'a'.repeat(100_000);
    expect(evaluateExpression('result matches "(a+)+$"', { result: long })).toBe(true);
    expect(evaluateExpression('result matches "(a+)+b$"', { result: long })).toBe(false);
    expect(evaluateExpression('result matches ".*.*x"', { result: long })).toBe(false);
  });

  test('regex features RE2 lacks are refused', () => {
    for (const pattern of ['(a)\\\\1', '(?=a)', '(?<!a)b', '(?<=a)b', 'a{1001}', '(a{1000}){10}']) {
      expect(refusal(`result matches "${pattern}"`).kind).toBe('parse');
    }
  });
});
