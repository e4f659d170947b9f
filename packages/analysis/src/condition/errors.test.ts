import { ConditionError, compileCondition, evaluateExpression } from './index';

function caught(run: () => unknown): ConditionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw new Error(`expected a ConditionError, got ${String(error)}`);
  }
  throw new Error('expected a ConditionError, but nothing was thrown');
}

const parse = (source: string) => caught(() => compileCondition(source));
const evaluate = (source: string, env: Record<string, unknown> = {}) =>
  caught(() => evaluateExpression(source, env));

describe('parse errors', () => {
  test('give the 1-based column, echo the expression and point at the problem', () => {
    const error = parse('result = 1');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConditionError');
    expect(error.kind).toBe('parse');
    expect(error.source).toBe('result = 1');
    expect(error.position).toBe(7);
    expect(error.line).toBe(1);
    expect(error.column).toBe(8);
    expect(error.reason).toBe('assignment is not supported; use == to compare');
    expect(error.message).toBe(
      'column 8: assignment is not supported; use == to compare\n  result = 1\n         ^',
    );
  });

  test('name the line in multi-line expressions', () => {
    const error = parse('result > 1 &&\n  result <');
    expect(error.line).toBe(2);
    expect(error.column).toBe(11);
    expect(error.message).toBe(
      'line 2, column 11: expected an expression after <\n    result <\n            ^',
    );
  });

  test('cut long lines around the position', () => {
    const source = `${'result > 1 && '.repeat(20)}result ===== 1`;
    const error = parse(source);
    expect(error.reason).toBe('the === operator does not exist; use ==');
    const [, excerpt, caret] = error.message.split('\n');
    expect(excerpt!.length).toBeLessThan(90);
    expect(excerpt!.startsWith('  …')).toBe(true);
    expect(excerpt!.charAt(caret!.length - 1)).toBe('=');
  });

  test.each([
    ['', 'the expression is empty', undefined],
    ['   ', 'the expression is empty', undefined],
    ['(1 + 2', 'unclosed (', 6],
    ['result[0', 'unclosed [', 8],
    ['result.', 'unexpected end of expression', 7],
    ['1 +', 'expected an expression after +', 3],
    ['"abc', 'string literal is not terminated', 0],
    ['"a\nb"', 'string literal is not terminated (strings cannot span lines)', 0],
    ['1abc', 'bad number syntax: "1a"', 0],
    ['1__0', 'bad number syntax: "_" must separate digits', 0],
    ['99999999999999999999', 'integer literal is too large (the largest is 9223372036854775807)', 0],
    ['1e999', 'float literal is too large', 0],
    ['a; b', 'unexpected ";": a condition is a single expression', 1],
    ['a b', 'unexpected name "b"; is an operator missing?', 2],
    ['1)', 'unexpected ")": nothing to close', 1],
    ['(a, b)', 'unexpected second expression: a condition is a single expression', 4],
    ['a ?? b + 1', '+ and ?? cannot be mixed without parentheses', 7],
    ['a ?: b', 'the ?: operator is not supported; use a ? b : c, or a ?? b for nil', 2],
    ['a ? b', 'expected : (in a ? b : c)', 5],
    ['a not b', 'expected in, contains, startsWith, endsWith or matches after "not"', 6],
    ['a | b', 'the pipe operator | is not supported', 2],
    ['1..3', 'ranges (..) are not supported', 1],
    ['/* open', 'unterminated /* comment', 0],
    ['[1,,2]', 'empty element in array literal', 0],
    ['{a 1}', 'unexpected "1"; is an operator or a comma missing?', 3],
    ['max(1, 2 3)', 'unexpected "3"; is an operator or a comma missing?', 9],
    ['[1 2]', 'unexpected "2"; is an operator or a comma missing?', 3],
    ['{a: 1 b: 2}', 'unexpected name "b"; is an operator missing?', 6],
  ])('%j: %s', (source, reason, position) => {
    const error = parse(source);
    expect(error.kind).toBe('parse');
    expect(error.reason).toBe(reason);
    expect(error.position).toBe(position);
  });

  test('invalid string escapes explain how to write a regex backslash', () => {
    expect(parse('result matches "^\\d+$"').reason).toBe(
      'invalid escape \\d in string; write \\\\ for a backslash (e.g. "^\\\\d+$" for the regex ^\\d+$)',
    );
  });

  test('unknown functions are named, with the supported ones listed', () => {
    const error = parse('result > 1 && foo(result)');
    expect(error.position).toBe(14);
    expect(error.reason).toMatch(
      /^unknown function foo\(\); the supported functions are len, all, any, none, one/,
    );
    expect(error.reason).toContain('asFloat');
  });

  test.each([
    ['len(1, 2)', 'len() takes 1 argument, got 2: len(array | map | string)'],
    ['all(result)', 'all() takes 2 arguments, got 1: all(array, {predicate})'],
    ['count()', 'count() takes 1 or 2 arguments, got 0: count(array[, {predicate}])'],
    ['max()', 'max() takes at least 1 argument, got 0: max(array) or max(number, ...)'],
    ['len({# > 1})', 'len() does not take a predicate { ... }: len(array | map | string)'],
    [
      '{# > 1}',
      'a predicate { ... } is only allowed as the second argument of all, any, none, one, filter, map, count, sum',
    ],
    ['# > 1', '# and .field can only be used inside a predicate, e.g. all(result, {# > 0.9})'],
    ['.ok', '# and .field can only be used inside a predicate, e.g. all(result, {# > 0.9})'],
    ['all(result, {#acc > 1})', 'unknown pointer #acc; use # (the element) or #index'],
    [
      'result.sort()',
      expect.stringMatching(/^methods cannot be called: only the built-in functions can be called/),
    ],
    ['result matches "a("', 'invalid regular expression "a(": missing closing )'],
    ['result matches 1', 'the right side of matches must be a string (a regular expression)'],
  ])('%j', (source, reason) => {
    expect(parse(source).reason).toEqual(reason);
  });
});

describe('evaluation errors', () => {
  test.each([
    ['result[0]', { result: [] }, 'index out of range: 0 (array length is 0)'],
    ['result[-3]', { result: [1, 2] }, 'index out of range: -3 (array length is 2)'],
    ['result.x', { result: null }, 'cannot fetch "x" from nil (use ?. to allow nil)'],
    ['result.a.b', { result: {} }, 'cannot fetch "b" from nil (use ?. to allow nil)'],
    ['result.x', { result: [1] }, 'cannot fetch "x" from an array: array indexes are numbers'],
    ['result[0]', { result: { a: 1 } }, 'cannot fetch 0 from a map: map keys are strings'],
    ['"abc"[0]', {}, 'cannot fetch 0 from string'],
    ['result.length', { result: 'abc' }, 'cannot fetch "length" from string'],
    ['"a" < 1', {}, 'invalid operation: string < number'],
    [
      'nil + 1',
      {},
      'invalid operation: nil + number (a value is nil: guard it with ?? or default(value, fallback))',
    ],
    [
      'result > 0.5',
      { result: null },
      'invalid operation: nil > number (a value is nil: guard it with ?? or default(value, fallback))',
    ],
    ['"a" * 3', {}, 'invalid operation: string * number'],
    ['true + 1', {}, 'invalid operation: bool + number'],
    ['-"a"', {}, 'invalid operation: - string'],
    ['!1', {}, 'invalid operation: not number (not and ! need true or false)'],
    ['1 && true', {}, 'the left side of && must be true or false, got number 1'],
    ['true and "yes"', {}, 'the right side of && must be true or false, got string "yes"'],
    ['1 ? 2 : 3', {}, 'the condition of ?: must be true or false, got number 1'],
    ['5.5 % 2', {}, 'invalid operation: % needs integers, got number 5.5 % number 2'],
    ['1 % 0', {}, 'integer divide by zero'],
    ['len(5)', {}, 'len() expects an array, a map or a string, got number 5'],
    ['len(nil)', {}, 'len() expects an array, a map or a string, got nil'],
    ['isNaN("x")', {}, 'isNaN() expects a number, got string "x"'],
    ['asInt("1.5")', {}, 'asInt() cannot parse string "1.5" as an integer'],
    ['asInt(nil)', {}, 'asInt() expects a number or a string, got nil'],
    ['asInt(1 / 0)', {}, 'asInt() cannot convert number +Inf to an integer'],
    ['asFloat("abc")', {}, 'asFloat() cannot parse string "abc" as a number'],
    ['asFloat("1e400")', {}, 'asFloat(): string "1e400" is out of the float64 range'],
    [
      'all(result, {#})',
      { result: [1] },
      'the predicate of all() must be true or false, got number 1 for element 0',
    ],
    ['all(nil, {# > 1})', {}, 'all() expects an array, got nil'],
    ['count([1])', {}, 'the predicate of count() must be true or false, got number 1 for element 0'],
    ['sum(["a"])', {}, 'sum() expects a number, got string "a"'],
    ['max("a")', {}, 'max() expects numbers or arrays of numbers, got string "a"'],
    [
      '1 in "abc"',
      {},
      'invalid operation: in needs an array or a map on the right, got string; to look for a substring use contains',
    ],
    ['1 in {a: 1}', {}, 'invalid operation: number in map (map keys are strings)'],
    [
      '[1] contains 1',
      {},
      'invalid operation: array contains number (contains works on strings; to look for an element use: element in array)',
    ],
    [
      'result matches "x"',
      { result: 5 },
      'invalid operation: number matches string (matches needs a string on the left)',
    ],
    ['"a" matches result', { result: '(' }, 'invalid regular expression "(": missing closing )'],
    ['x', { result: 1, other: 2 }, 'unknown name x; available: result, other'],
    ['null', {}, 'unknown name null (nil is written nil); no variables are defined'],
    ['len', {}, 'len is a function; call it: len(array | map | string)'],
  ])('%j with %j', (source, env, reason) => {
    const error = evaluate(source, env);
    expect(error.kind).toBe('evaluate');
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(reason);
  });

  test('know where in the expression they happened', () => {
    const error = evaluate('result.items != nil && result.items[3] > 1', { result: { items: [] } });
    expect(error.reason).toBe('index out of range: 3 (array length is 0)');
    expect(error.position).toBe(23);
    expect(error.column).toBe(24);
  });

  test('a condition must be a boolean', () => {
    const condition = compileCondition('result');
    expect(caught(() => condition.evaluate({ result: 0.3 })).message).toBe(
      'condition must evaluate to true or false, got number 0.3',
    );
    expect(caught(() => condition.evaluate({ result: null })).message).toBe(
      'condition must evaluate to true or false, got nil',
    );
    expect(caught(() => condition.evaluate({ result: 'true' })).message).toBe(
      'condition must evaluate to true or false, got string "true"',
    );
    expect(caught(() => condition.evaluate({ result: [1] })).message).toBe(
      'condition must evaluate to true or false, got array of 1 element',
    );
  });

  test('the environment must be a plain object', () => {
    const condition = compileCondition('true');
    for (const env of [null, undefined, 1, 'x', [], new Map(), Object.create({ result: 1 })]) {
      expect(caught(() => condition.evaluate(env as Record<string, unknown>)).reason).toMatch(
        /^the environment must be a plain object of variables/,
      );
    }
  });

  test('a non-string source is a parse error', () => {
    expect(caught(() => compileCondition(42 as unknown as string)).reason).toBe(
      'a condition must be a string, got number',
    );
  });
});
