// Fuzz: random conditions (token soups, valid conditions with their text damaged, nesting at and past
// the limits, huge numbers, unicode) compiled and evaluated against hostile measurements (NaN,
// infinities, nil, lists, deep and wide values, long strings, reserved keys). The only error that may
// come out is a ConditionError of the right kind with a message; evaluation gives a boolean; nothing
// takes long; Object.prototype stays clean. Seeded.
import { Dice, fuzzSettings, nest } from '@ramp/api/testing';
import { ConditionError, compileCondition, evaluateExpression } from './index';

const { cases: CASES, seed: SEED } = fuzzSettings(2000, 0xe9e1);
/** A case slower than this is a hang in the making (the limits keep every evaluation far below it). */
const SLOW_MS = 1000;

/** Conditions as people write them (examples/, the docs, Argo's own examples). */
const VALID = [
  'result[0] < 0.05',
  'result < 0.05',
  'len(result) == 0 || result[0] < 0.05',
  'result.status == "ok"',
  'all(result, {# < 300})',
  'any(result, #.code >= 500)',
  'isNaN(result[0]) || result[0] >= 0.95',
  'result == nil',
  'result in [200, 201, 204]',
  'result.body matches "^ok"',
  'asFloat(result) > 0.5 and not isInf(asFloat(result))',
  'default(result, 0) <= 1',
  'mean(result) - 2 * max(result) > -1',
  'filter(result, {# > 1}) == []',
  'count(result, {# != nil}) >= 1',
  '(result?.data?.items[0].value ?? 0) > 10',
  'result.version startsWith "2"',
  'result.a.b.c contains "x"',
  '{a: 1, b: [1, 2]}.b[1] == 2',
  'round(result * 100) / 100 % 2 == 0',
  'result > 1 ? true : false',
];

const TOKENS = [
  'result',
  'result',
  'x',
  '#',
  '$env',
  'nil',
  'true',
  'false',
  ...['len', 'all', 'any', 'none', 'one', 'filter', 'map', 'count', 'abs', 'min', 'max', 'mean', 'median'],
  ...['sum', 'isNaN', 'isInf', 'isNil', 'asInt', 'asFloat', 'default', 'string', 'number', 'round', 'nan'],
  ...['+', '-', '*', '/', '%', '**', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!', '?', ':'],
  ...['??', '?.', '.', '..', ',', '(', ')', '[', ']', '{', '}', ';', '=', '|', '&', '~', '@', '\\'],
  ...['and', 'or', 'not', 'in', 'not in', 'contains', 'matches', 'startsWith', 'endsWith', 'let', 'new'],
  ...['0', '1', '-0', '0.05', '.5', '5.', '1e308', '1e309', '-1e309', '0x1F', '1_000', '9007199254740993'],
  ...['"a"', "'b'", '""', '"\\u0000"', '"\\n"', '"🚀"', '"\\', '"unterminated', "'\\x41'", '`t`'],
  ...['é', 'ü', '\u00a0', '\u2028', '\ud800', '\u202e', '𝑥', '中', '\t', '\n', ' ', ' '],
  ...['__proto__', 'constructor', 'prototype', 'toString', 'process', 'this', 'globalThis'],
];

/** Measurements by kind, built once (the big ones are costly to make). */
const VALUE_KINDS: readonly (readonly unknown[])[] = [
  [0, -0, 1, 0.05, 1e308, -1e308, 2 ** 53 + 1, 5e-324],
  [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  [null, undefined, true, false],
  ['', 'ok', '200', 'NaN', 'x'.repeat(100_001), '\u0000\ud800🚀'],
  [[], [Number.NaN], [0.01, 0.2], [1, 'a', null, [2]], Array.from({ length: 50_000 }, (_, i) => i)],
  [{}, { status: 'ok' }, { a: { b: { c: 'x' } } }, { data: { items: [{ value: 11 }] } }],
  [10, 99, 100, 101, 150, 1000].flatMap((depth) =>
    [1, 'x', null].map((v) => nest(v, depth, new Dice(depth))),
  ),
  [JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "a": [1]}')],
];

/** One measurement of every kind. */
const measurements = (dice: Dice): unknown[] => VALUE_KINDS.map((kind) => dice.pick(kind));

function tokenSoup(dice: Dice): string {
  const n = 1 + dice.int(dice.chance(0.9) ? 12 : 400);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(dice.pick(TOKENS));
  return parts.join(dice.chance(0.7) ? ' ' : '');
}

function damaged(dice: Dice): string {
  let s = dice.pick(VALID);
  for (let k = 1 + dice.int(3); k > 0; k--) {
    const i = dice.int(s.length + 1);
    switch (dice.int(4)) {
      case 0:
        s = s.slice(0, i) + dice.pick(TOKENS) + s.slice(i);
        break;
      case 1:
        s = s.slice(0, i) + s.slice(i + 1 + dice.int(4));
        break;
      case 2:
        s = s.slice(0, i) + s.slice(i, i + 1 + dice.int(8)).repeat(2 + dice.int(3)) + s.slice(i);
        break;
      default:
        s = `${s} ${dice.pick(['&&', '||', '+', '?', '??', 'in', ','])} ${dice.pick(VALID)}`;
    }
  }
  return s;
}

function deep(dice: Dice): string {
  const n = dice.pick([50, 99, 100, 101, 200, 199, 201, 5000]);
  switch (dice.int(9)) {
    case 0:
      return `${'('.repeat(n)}result${')'.repeat(n)} > 0`;
    case 1:
      return `${'!'.repeat(n)}true`;
    case 2:
      return `${'-'.repeat(n)}result > 0`;
    case 3:
      return `result${'.a'.repeat(n)} == nil`;
    case 4:
      return `${'['.repeat(n)}1${']'.repeat(n)} != nil`;
    case 5:
      return Array.from({ length: n }, () => 'result > 0').join(dice.pick([' && ', ' || ', ' + ', ' ?? ']));
    case 6:
      return `${'all(result, {'.repeat(Math.min(n, 10))}true${'})'.repeat(Math.min(n, 10))}`;
    case 7:
      return `${'result[0]'.repeat(1)}${'[0]'.repeat(n)} < 1`;
    default:
      return `${'1'.repeat(n)} > result || 0.${'0'.repeat(n)}1 < result || 1e${'9'.repeat(Math.min(n, 400))} > 0`;
  }
}

function source(dice: Dice): string {
  switch (dice.int(4)) {
    case 0:
      return tokenSoup(dice);
    case 1:
      return deep(dice);
    default:
      return damaged(dice);
  }
}

/** What is wrong with what came out of the condition language, or undefined. */
function thrownProblem(error: unknown, kind: 'parse' | 'evaluate'): string | undefined {
  if (!(error instanceof ConditionError))
    return `threw ${(error as Error)?.stack?.split('\n').slice(0, 4).join('\n')}`;
  if (error.kind !== kind) return `a ConditionError of kind ${error.kind} where ${kind} was expected`;
  if (!error.message.trim() || !error.reason.trim()) return 'a ConditionError without a message';
  return undefined;
}

function check(text: string, values: unknown[]): string | undefined {
  let compiled: ReturnType<typeof compileCondition> | undefined;
  try {
    compiled = compileCondition(text);
  } catch (error) {
    return thrownProblem(error, 'parse');
  }
  for (const result of values) {
    try {
      const out = compiled.evaluate({ result });
      if (typeof out !== 'boolean') return `evaluated to ${String(out)}`;
    } catch (error) {
      const problem = thrownProblem(error, 'evaluate');
      if (problem) return `with result ${String(result).slice(0, 40)}: ${problem}`;
    }
    try {
      evaluateExpression(text, { result });
    } catch (error) {
      const problem = thrownProblem(error, 'evaluate');
      if (problem) return `evaluateExpression with result ${String(result).slice(0, 40)}: ${problem}`;
    }
  }
  return undefined;
}

test(`${CASES} random conditions: ConditionErrors with a message, booleans, nothing slow`, () => {
  const failures: string[] = [];
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const dice = new Dice(SEED + i);
    const text = source(dice);
    const values = measurements(dice);
    const started = performance.now();
    const problem = check(text, values);
    const ms = performance.now() - started;
    const shown = JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...(${text.length})` : text);
    if (problem) failures.push(`case ${i} ${shown}: ${problem}`);
    else if (ms > SLOW_MS) failures.push(`case ${i} ${shown}: took ${Math.round(ms)} ms`);
    if (({} as Record<string, unknown>).polluted !== undefined)
      failures.push(`case ${i} ${shown}: polluted Object.prototype`);
  }
  expect(failures).toEqual([]);
});

test('the valid conditions compile (so damaged ones start from something real)', () => {
  const refused = VALID.filter((text) => {
    try {
      compileCondition(text);
      return false;
    } catch {
      return true;
    }
  });
  expect(refused).toEqual([]);
});
