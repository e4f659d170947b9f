import { compileCondition, evaluateExpression } from './index';

type Env = Record<string, unknown>;

/** [expression, environment, expected value]; NaN is compared with Object.is semantics by toEqual. */
const values: readonly (readonly [string, Env, unknown])[] = [
  // literals
  ['42', {}, 42],
  ['4.25', {}, 4.25],
  ['1e3', {}, 1000],
  ['1.5E-3', {}, 0.0015],
  ['1_000_000', {}, 1_000_000],
  ['0x1F', {}, 31],
  ['0o17', {}, 15],
  ['0b101', {}, 5],
  ['.5', {}, 0.5],
  ['"double"', {}, 'double'],
  ["'single'", {}, 'single'],
  ['"a\\"b\\n"', {}, 'a"b\n'],
  ["'it\\'s'", {}, "it's"],
  ['"\\u00e9\\x41\\101\\U0001F600"', {}, 'éAA😀'],
  ['true', {}, true],
  ['false', {}, false],
  ['nil', {}, null],
  ['[1, "two", nil, [3]]', {}, [1, 'two', null, [3]]],
  ['[1, 2,]', {}, [1, 2]],
  ['[]', {}, []],
  ['{a: 1, "b c": [2], 3: true}', {}, { a: 1, 'b c': [2], '3': true }],
  ['{}', {}, {}],
  ['{a: {b: 1}}.a.b', {}, 1],
  // arithmetic
  ['1 + 2 * 3', {}, 7],
  ['(1 + 2) * 3', {}, 9],
  ['10 - 2 - 3', {}, 5],
  ['7 / 2', {}, 3.5],
  ['6 / 3', {}, 2],
  ['7 % 3', {}, 1],
  ['-7 % 3', {}, -1],
  ['2 ** 10', {}, 1024],
  ['2 ^ 3', {}, 8],
  ['2 ** 3 ** 2', {}, 512],
  ['-2 ** 2', {}, -4],
  ['(-2) ** 2', {}, 4],
  ['1 - -1', {}, 2],
  ['+1', {}, 1],
  ['-result', { result: 3 }, -3],
  ['1 / 0', {}, Number.POSITIVE_INFINITY],
  ['-1 / 0', {}, Number.NEGATIVE_INFINITY],
  ['0 / 0', {}, Number.NaN],
  ['"a" + "b"', {}, 'ab'],
  ['1 + 2 ?? 3', {}, 3],
  // comparison and equality
  ['1 < 2', {}, true],
  ['2 <= 2', {}, true],
  ['"a" < "b"', {}, true],
  ['"abc" >= "abd"', {}, false],
  ['"Z" < "a"', {}, true],
  ['1 == 1.0', {}, true],
  ['1 == "1"', {}, false],
  ['1 != "1"', {}, true],
  ['nil == nil', {}, true],
  ['nil == 0', {}, false],
  ['nil != false', {}, true],
  ['[1, [2]] == [1, [2]]', {}, true],
  ['[1, 2] == [2, 1]', {}, false],
  ['{a: 1, b: [2]} == {b: [2], a: 1}', {}, true],
  ['{a: 1} != {a: 2}', {}, true],
  ['result == result', { result: Number.NaN }, false],
  ['result != result', { result: Number.NaN }, true],
  ['result < 0.05', { result: Number.NaN }, false],
  ['result >= 0.05', { result: Number.NaN }, false],
  ['result > 1e308', { result: Number.POSITIVE_INFINITY }, true],
  ['1 < 2 < 3', {}, true],
  ['3 > 2 > 2', {}, false],
  ['0 < result <= 1', { result: 1 }, true],
  // a chain links every comparison operator, as in expr-lang: (1 < 2) && (2 == true)
  ['1 < 2 == true', {}, false],
  ['(1 < 2) == true', {}, true],
  // logic
  ['true && false', {}, false],
  ['true and not false', {}, true],
  ['false or true', {}, true],
  ['!true', {}, false],
  ['not (1 > 2)', {}, true],
  ['not true == false', {}, true],
  ['!false && false', {}, false],
  ['false && result.missing.deeper', { result: {} }, false],
  ['true || nil', {}, true],
  ['result > 1 ? "big" : "small"', { result: 3 }, 'big'],
  ['false ? 1 : true ? 2 : 3', {}, 2],
  ['true ? false ? 1 : 2 : 3', {}, 2],
  // nil handling
  ['nil ?? 1', {}, 1],
  ['result ?? 0', { result: null }, 0],
  ['result ?? 0', { result: undefined }, 0],
  ['0 ?? 1', {}, 0],
  ['false ?? true', {}, false],
  ['result.missing ?? "x"', { result: {} }, 'x'],
  ['nil ?? nil ?? 2', {}, 2],
  ['result?.a', { result: null }, null],
  ['result?.a.b.c', { result: null }, null],
  ['result?.[0]', { result: null }, null],
  ['result?.a', { result: { a: 1 } }, 1],
  ['result.missing', { result: { a: 1 } }, null],
  // membership and strings
  ['result in [200, 201]', { result: 201 }, true],
  ['result in [200, 201]', { result: 500 }, false],
  ['"ok" in result', { result: ['ok', 'fail'] }, true],
  ['"x" in {x: 1}', {}, true],
  ['"y" not in {x: 1}', {}, true],
  ['"a" in result', { result: { a: null } }, true],
  ['1 in nil', {}, false],
  ['[1] in [[1], [2]]', {}, true],
  ['1 + 2 in [3]', {}, true],
  ['3 not   in [1, 2]', {}, true],
  ['"hello" contains "ell"', {}, true],
  ['"hello" startsWith "he"', {}, true],
  ['"hello" endsWith "lo"', {}, true],
  ['"hello" not contains "z"', {}, true],
  ['"hello" not startsWith "h"', {}, false],
  ['result.status matches "^2"', { result: { status: '204' } }, true],
  ['"ABC" matches "(?i)^abc$"', {}, true],
  ['"abc" not matches "^b"', {}, true],
  ['"v1.2.3" matches "^v\\\\d+\\\\.\\\\d+"', {}, true],
  ['result matches result', { result: 'a+' }, true],
  // member access
  ['result[0]', { result: [5, 6] }, 5],
  ['result[-1]', { result: [5, 6] }, 6],
  ['result[-2]', { result: [5, 6] }, 5],
  ['result[1.9]', { result: [5, 6] }, 6],
  ['result["a-b"]', { result: { 'a-b': 1 } }, 1],
  ['result.a.b[1].c', { result: { a: { b: [{}, { c: 'deep' }] } } }, 'deep'],
  ['result[len(result) - 1]', { result: [1, 2, 3] }, 3],
  ['result.data.result[0].value[1]', { result: { data: { result: [{ value: [0, '0.5'] }] } } }, '0.5'],
  // predicates
  ['all(result, {# < 0.05})', { result: [0.01, 0.02] }, true],
  ['all(result, {# < 0.05})', { result: [0.01, 0.2] }, false],
  ['all([], {# > 1})', {}, true],
  ['any(result, # > 0.5)', { result: [0.1, 0.9] }, true],
  ['any([], {true})', {}, false],
  ['none(result, {# > 1})', { result: [0, 1] }, true],
  ['one(result, {# == 2})', { result: [1, 2, 3] }, true],
  ['one(result, {# > 1})', { result: [1, 2, 3] }, false],
  ['filter(result, {# > 1})', { result: [1, 2, 3] }, [2, 3]],
  ['map(result, {# * 2})', { result: [1, 2, 3] }, [2, 4, 6]],
  ['map(result, {#index})', { result: ['a', 'b'] }, [0, 1]],
  ['map(result, .name)', { result: [{ name: 'x' }, { name: 'y' }] }, ['x', 'y']],
  ['map(result, #.name)', { result: [{ name: 'x' }] }, ['x']],
  ['filter(result, .ok)', { result: [{ ok: true }, { ok: false }] }, [{ ok: true }]],
  ['count(result, {# > 1})', { result: [1, 2, 3] }, 2],
  ['count([true, false, true])', {}, 2],
  ['sum(result)', { result: [1, 2, 3.5] }, 6.5],
  ['sum(result, {# * 2})', { result: [1, 2] }, 6],
  ['sum([])', {}, 0],
  ['all(result, {any(#, {# > 2})})', { result: [[1, 3], [4]] }, true],
  ['map([[1, 2], [3]], {len(#)})', {}, [2, 1]],
  ['map(result, {# > 1 ? "hi" : "lo"})', { result: [1, 2] }, ['lo', 'hi']],
  ['map(result, {map(#, {# + 1})})', { result: [[1], [2, 3]] }, [[2], [3, 4]]],
  ['all(result, {.code in [200, 201]})', { result: [{ code: 200 }, { code: 201 }] }, true],
  ['len(filter(result, {# >= 0.9})) / len(result) >= 0.5', { result: [0.95, 0.5, 0.99] }, true],
  // functions
  ['len(result)', { result: [1, 2] }, 2],
  ['len("héllo")', {}, 5],
  ['len("😀")', {}, 1],
  ['len({a: 1, b: 2})', {}, 2],
  ['isNaN(result)', { result: Number.NaN }, true],
  ['isNaN(1)', {}, false],
  ['isInf(result)', { result: Number.NEGATIVE_INFINITY }, true],
  ['isInf(1e308)', {}, false],
  ['isInf(-1 / 0, 1)', {}, false],
  ['isInf(-1 / 0, -1)', {}, true],
  ['isInf(1 / 0, 1)', {}, true],
  ['isNil(result)', { result: null }, true],
  ['isNil(result)', { result: 0 }, false],
  ['default(result, 0)', { result: null }, 0],
  ['default(result, 0)', { result: 7 }, 7],
  ['default(result, 0)', { result: false }, false],
  ['asInt("42")', {}, 42],
  ['asInt("-7")', {}, -7],
  ['asInt(3.9)', {}, 3],
  ['asInt(-3.9)', {}, -3],
  ['asFloat("0.95")', {}, 0.95],
  ['asFloat("1e3")', {}, 1000],
  ['asFloat("-Inf")', {}, Number.NEGATIVE_INFINITY],
  ['asFloat("NaN")', {}, Number.NaN],
  ['asFloat(2)', {}, 2],
  ['max(result)', { result: [3, 9, 4] }, 9],
  ['max(1, 5, 3)', {}, 5],
  ['min([3, [1, 2]])', {}, 1],
  ['min(4, [3], 5)', {}, 3],
  ['max([])', {}, null],
  ['mean([1, 2, 3, 4])', {}, 2.5],
  ['mean([])', {}, 0],
  ['median([3, 1, 2])', {}, 2],
  ['median([4, 1, 2, 3])', {}, 2.5],
  ['median([])', {}, 0],
  ['abs(-2.5)', {}, 2.5],
  ['ceil(1.2)', {}, 2],
  ['floor(-1.2)', {}, -2],
  ['round(2.5)', {}, 3],
  ['round(-2.5)', {}, -3],
  ['round(2.4)', {}, 2],
  // layout
  ['1 + /* two */ 2 // and a comment', {}, 3],
  ['result > 1\n  && result < 5', { result: 3 }, true],
  ['\tresult\u00a0>\u00a01\n', { result: 3 }, true],
];

describe('evaluateExpression', () => {
  test.each(values)('%s with %j', (source, env, expected) => {
    expect(evaluateExpression(source, env)).toEqual(expected);
  });

  test('extra variables come from the environment', () => {
    expect(evaluateExpression('result < threshold', { result: 1, threshold: 2 })).toBe(true);
  });

  test('maps with a null prototype are plain data too', () => {
    const result = Object.assign(Object.create(null) as Record<string, unknown>, { ok: true });
    expect(evaluateExpression('result.ok', { result })).toBe(true);
  });

  test('results are plain data', () => {
    const value = evaluateExpression('{a: [1, {b: nil}]}', {});
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"a":[1,{"b":null}]}');
  });

  test('the environment object is never modified', () => {
    const env = Object.freeze({ result: Object.freeze([Object.freeze({ a: 1 })]) });
    expect(evaluateExpression('map(result, {#.a + 1})', env)).toEqual([2]);
  });
});

/** Conditions as Argo Rollouts users write them, with the measurement in `result`. */
const argo: readonly (readonly [string, unknown, boolean])[] = [
  ['result[0] < 0.05', [0.01], true],
  ['result[0] < 0.05', [0.1], false],
  ['result > 0.9', 0.95, true],
  ['result > 0.9', 0.5, false],
  ['len(result) == 0 || result[0] < 0.05', [], true],
  ['len(result) == 0 || result[0] < 0.05', [0.5], false],
  ['all(result, {# < 0.05})', [0.01, 0.04], true],
  ['result.successful == true', { successful: true }, true],
  ['result.successful == true', { successful: 'true' }, false],
  ['asFloat(result) >= 0.95', '0.97', true],
  ['asInt(result) == 3', '3', true],
  ['isNaN(result)', Number.NaN, true],
  ['isNaN(result) || result < 0.05', Number.NaN, true],
  ['result < 0.05', Number.NaN, false],
  ['default(result, 0) < 5', null, true],
  ['default(result, 0) < 5', 7, false],
  ['result in [200, 201]', 200, true],
  ['"ok" in result', ['ok', 'warn'], true],
  ['result.status matches "^2"', { status: '200' }, true],
  ['result.status matches "^2"', { status: '503' }, false],
  ['result == nil', null, true],
  ['isNil(result) || result[0] >= 0.95', [0.99], true],
  ['result.data.ok and result.data.count > 10', { data: { ok: true, count: 11 } }, true],
  ['result[0] >= 0.95 && result[1] >= 0.95', [0.99, 0.96], true],
];

describe('compileCondition', () => {
  test.each(argo)('%s with result %j', (source, result, expected) => {
    expect(compileCondition(source).evaluate({ result })).toBe(expected);
  });

  test('compiles once and evaluates many times', () => {
    const condition = compileCondition('result < 0.05');
    expect(condition.source).toBe('result < 0.05');
    expect([0.01, 0.1, 0.049].map((result) => condition.evaluate({ result }))).toEqual([true, false, true]);
  });
});
