/**
 * Hostile input: every expression here must be refused with a ConditionError (when compiled, or when
 * evaluated against any of several measurements), never evaluated into something useful, never thrown
 * as a raw TypeError/RangeError, and never able to touch JavaScript internals.
 */
import { ConditionError, compileCondition, evaluateExpression } from './index';

const MEASUREMENTS: readonly unknown[] = [
  1,
  Number.NaN,
  [1, 2, 3],
  [],
  { a: 1, status: '200' },
  'text',
  null,
  true,
];

/** The outcome of a condition for every measurement: a ConditionError each time, or what went wrong. */
function refusals(source: string, env: Record<string, unknown> = {}): ConditionError[] {
  const errors: ConditionError[] = [];
  let condition: ReturnType<typeof compileCondition>;
  try {
    condition = compileCondition(source);
  } catch (error) {
    if (!(error instanceof ConditionError)) throw new Error(`${source}: threw ${String(error)}`);
    return [error];
  }
  for (const result of MEASUREMENTS) {
    try {
      const value = condition.evaluate({ ...env, result });
      throw new Error(
        `${JSON.stringify(source)} evaluated to ${String(value)} with result ${JSON.stringify(result)}`,
      );
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      expect(error.kind).toBe('evaluate');
      errors.push(error);
    }
  }
  return errors;
}

const HOSTILE: readonly string[] = [
  'constructor',
  '__proto__',
  'prototype',
  'result.constructor',
  'result["constructor"]',
  'result.__proto__',
  'result["__proto__"]["polluted"]',
  'result["__proto__"].polluted == nil',
  'result["__pro" + "to__"]',
  'result["constr" + "uctor"] == nil',
  'result?.constructor',
  'result?.["__proto__"]',
  'result.prototype',
  '"".constructor',
  '[].constructor',
  '(1).constructor',
  '{}.constructor',
  '{__proto__: 1}',
  '{"constructor": 1}.a',
  'map(result, {#.constructor})',
  'all(result, {.__proto__ == nil})',
  'toString',
  'result.toString()',
  'result.map',
  'result.map(1)',
  'valueOf',
  'hasOwnProperty',
  'result.hasOwnProperty("a")',
  'isPrototypeOf',
  'process',
  'process.env',
  'process.exit(1)',
  'require("fs")',
  'require',
  'globalThis',
  'global',
  'window',
  'module.exports',
  'this',
  'this.constructor',
  'import("x")',
  'eval("1")',
  'Function("return process")()',
  '"x".constructor.constructor("return process")()',
  'setTimeout("1", 1)',
  'len.constructor',
  'len.call(nil, result)',
  'max.apply(nil, result)',
  'result["toString"]()',
  'result = 1',
  'result.a = 1',
  'result["a"] = 1',
  'result += 1',
  'result++',
  '--result',
  'a; b',
  'true; process',
  'result > 1, process',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JavaScript template literal is the hostile input
  '`${process}`',
  '`text`',
  '/x/.test(result)',
  'result matches /^2/',
  'new Date()',
  'new result()',
  '(x) => x',
  'x => x',
  'function () { return 1 }',
  'typeof result',
  'void 0',
  'delete result.a',
  'result instanceof Object',
  'result === 1',
  'a, b',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  'Object',
  'Array.isArray(result)',
  'JSON.parse("{}")',
  'Math.max(1)',
  '@',
  '\\u0070rocess',
  'result.__defineGetter__("a", nil)',
  '#',
  '.constructor',
  'let x = 1; x',
  'result | len()',
];

describe('hostile expressions', () => {
  test('there are at least 50 of them', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(50);
  });

  test.each(HOSTILE)('%s is refused', (source) => {
    expect(refusals(source).length).toBeGreaterThan(0);
  });

  test('names of JavaScript internals are unknown, even when asked for as a value', () => {
    for (const name of [
      'toString',
      'valueOf',
      'hasOwnProperty',
      'process',
      'globalThis',
      'this',
      'require',
    ]) {
      expect(() => evaluateExpression(name, { result: 1 })).toThrow(
        new ConditionError('evaluate', `unknown name ${name}; available: result`, name),
      );
    }
  });

  test('reserved keys are refused even where they are own data properties', () => {
    const result = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}') as unknown;
    expect(() => evaluateExpression('result[k]', { result, k: '__proto__' })).toThrow(ConditionError);
    expect(() => evaluateExpression('result[k]', { result, k: 'constructor' })).toThrow(ConditionError);
    expect(() => evaluateExpression('k in result', { result, k: '__proto__' })).not.toThrow();
    expect(evaluateExpression('k in result', { result, k: '__proto__' })).toBe(false);
    expect(() => evaluateExpression('result', { result })).toThrow('result has the reserved key "__proto__"');
  });

  test('only own properties of the environment are variables', () => {
    const env = Object.assign(Object.create(null) as Record<string, unknown>, { result: 1 });
    expect(() => evaluateExpression('toString', env)).toThrow('unknown name toString');
    const inherited = { result: Object.create({ secret: 1 }) as unknown };
    expect(() => evaluateExpression('result.secret', inherited)).toThrow(
      'unsupported value in variable result: an object of type Object (only plain objects and arrays are supported)',
    );
  });

  test('getters are never run, functions and class instances never read', () => {
    const getter = jest.fn(() => 1);
    const result = Object.defineProperty({}, 'a', { get: getter, enumerable: true });
    expect(() => evaluateExpression('result.a', { result })).toThrow(
      'unsupported value in key "a": a getter',
    );
    expect(() => evaluateExpression('result', { result: [result] })).toThrow('a getter');
    expect(getter).not.toHaveBeenCalled();
    const env = { result: { f: () => 1, d: new Date(0), m: new Map(), s: Symbol('s'), b: BigInt(1) } };
    expect(() => evaluateExpression('result.f', env)).toThrow('unsupported value in key "f": a function');
    expect(() => evaluateExpression('result.d', env)).toThrow('an object of type Date');
    expect(() => evaluateExpression('result.m', env)).toThrow('an object of type Map');
    expect(() => evaluateExpression('result.s', env)).toThrow('a symbol');
    expect(() => evaluateExpression('result.b', env)).toThrow('a bigint');
    expect(() => evaluateExpression('f', { f: () => 1 })).toThrow(
      'unsupported value in variable f: a function',
    );
    expect(() => evaluateExpression('result', env)).toThrow(ConditionError);
    expect(() => evaluateExpression('all(result, {true})', { result: [() => 1] })).toThrow('a function');
  });

  test('results never contain functions or prototypes', () => {
    for (const source of ['result', '[result]', '{a: result}', 'map([1], {result})', 'result ?? 1']) {
      expect(() => evaluateExpression(source, { result: { nested: [{ f: () => 1 }] } })).toThrow(
        ConditionError,
      );
    }
  });
});

describe('the JavaScript environment', () => {
  const snapshot = () =>
    [Object.prototype, Array.prototype, String.prototype, Function.prototype].map((proto) =>
      Reflect.ownKeys(proto).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)]),
    );
  const before = snapshot();

  afterEach(() => {
    expect(snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  test.each(HOSTILE)('%s leaves Object.prototype unchanged', (source) => {
    refusals(source);
  });

  test('prototype pollution through data is impossible', () => {
    const result = JSON.parse(
      '{"__proto__": {"polluted": true}, "a": {"__proto__": {"polluted": true}}}',
    ) as unknown;
    refusals('result.__proto__.polluted', { payload: result });
    expect(() => evaluateExpression('{a: result.a}', { result })).toThrow(ConditionError);
    expect(evaluateExpression('"a" in result', { result })).toBe(true);
  });
});
