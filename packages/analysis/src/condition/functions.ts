/**
 * The built-in functions: expr-lang's (len, all, any, none, one, filter, map, count, sum, max, min,
 * mean, median, abs, ceil, floor, round) and the helpers Argo Rollouts adds to its environment (isNaN,
 * isInf, isNil, default, asInt, asFloat). Predicate functions receive their closure as a callback.
 */
import { EvalFailure } from './errors';
import { LIMITS } from './limits';
import { describe, elementAt, isArray, isMap, isNil, type Meter, tick } from './values';

export interface BuiltinSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The second argument is a predicate closure (`{# > 1}` or a bare expression using `#`). */
  readonly predicate?: 'required' | 'optional';
  readonly usage: string;
}

export type Predicate = (element: unknown, index: number) => unknown;

const ANY = Number.POSITIVE_INFINITY;
const spec = (minArgs: number, maxArgs: number, usage: string, predicate?: 'required' | 'optional') => ({
  minArgs,
  maxArgs,
  usage,
  predicate,
});

export const BUILTINS: ReadonlyMap<string, BuiltinSpec> = new Map([
  ['len', spec(1, 1, 'len(array | map | string)')],
  ['all', spec(2, 2, 'all(array, {predicate})', 'required')],
  ['any', spec(2, 2, 'any(array, {predicate})', 'required')],
  ['none', spec(2, 2, 'none(array, {predicate})', 'required')],
  ['one', spec(2, 2, 'one(array, {predicate})', 'required')],
  ['filter', spec(2, 2, 'filter(array, {predicate})', 'required')],
  ['map', spec(2, 2, 'map(array, {expression})', 'required')],
  ['count', spec(1, 2, 'count(array[, {predicate}])', 'optional')],
  ['sum', spec(1, 2, 'sum(array[, {expression}])', 'optional')],
  ['max', spec(1, ANY, 'max(array) or max(number, ...)')],
  ['min', spec(1, ANY, 'min(array) or min(number, ...)')],
  ['mean', spec(1, ANY, 'mean(array) or mean(number, ...)')],
  ['median', spec(1, ANY, 'median(array) or median(number, ...)')],
  ['abs', spec(1, 1, 'abs(number)')],
  ['ceil', spec(1, 1, 'ceil(number)')],
  ['floor', spec(1, 1, 'floor(number)')],
  ['round', spec(1, 1, 'round(number)')],
  ['isNaN', spec(1, 1, 'isNaN(number)')],
  ['isInf', spec(1, 2, 'isInf(number[, sign])')],
  ['isNil', spec(1, 1, 'isNil(value)')],
  ['default', spec(2, 2, 'default(value, fallback)')],
  ['asInt', spec(1, 1, 'asInt(number | string)')],
  ['asFloat', spec(1, 1, 'asFloat(number | string)')],
]);

export const PREDICATE_FUNCTIONS: ReadonlySet<string> = new Set(
  [...BUILTINS].filter(([, s]) => s.predicate).map(([name]) => name),
);

export function builtinNames(): string[] {
  return [...BUILTINS.keys()];
}

function fail(reason: string): never {
  throw new EvalFailure(reason);
}

function number(name: string, value: unknown): number {
  if (typeof value !== 'number') fail(`${name}() expects a number, got ${describe(value)}`);
  return value;
}

function array(name: string, value: unknown): readonly unknown[] {
  if (!isArray(value)) fail(`${name}() expects an array, got ${describe(value)}`);
  return value;
}

function truth(name: string, value: unknown, index: number): boolean {
  if (typeof value !== 'boolean') {
    fail(`the predicate of ${name}() must be true or false, got ${describe(value)} for element ${index}`);
  }
  return value;
}

/** Numbers from the arguments, arrays flattened (expr-lang's max/min/mean/median accept both). */
function numbers(
  name: string,
  values: readonly unknown[],
  meter: Meter,
  out: number[] = [],
  depth = 0,
): number[] {
  if (depth > LIMITS.maxValueDepth) fail(`${name}(): arrays are nested too deeply`);
  for (let i = 0; i < values.length; i++) {
    tick(meter);
    const value = elementAt(values, i);
    if (typeof value === 'number') out.push(value);
    else if (isArray(value)) numbers(name, value, meter, out, depth + 1);
    else fail(`${name}() expects numbers or arrays of numbers, got ${describe(value)}`);
  }
  return out;
}

const INT64 = 2 ** 63;

function asInt(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`asInt() cannot convert ${describe(value)} to an integer`);
    const truncated = Math.trunc(value);
    if (Math.abs(truncated) >= INT64) fail(`asInt(): ${describe(value)} is out of the int64 range`);
    return truncated === 0 ? 0 : truncated;
  }
  if (typeof value === 'string') {
    if (!/^[+-]?[0-9]+$/.test(value)) fail(`asInt() cannot parse ${describe(value)} as an integer`);
    const parsed = Number(value);
    if (Math.abs(parsed) >= INT64) fail(`asInt(): ${describe(value)} is out of the int64 range`);
    return parsed === 0 ? 0 : parsed;
  }
  return fail(`asInt() expects a number or a string, got ${describe(value)}`);
}

function asFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') fail(`asFloat() expects a number or a string, got ${describe(value)}`);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(value);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(value)) {
    fail(`asFloat() cannot parse ${describe(value)} as a number`);
  }
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) fail(`asFloat(): ${describe(value)} is out of the float64 range`);
  return parsed;
}

/** Go's math.Round: half away from zero (JavaScript's Math.round rounds half up). */
function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? value * 0 : rounded;
}

/** Go's sort.Float64s order: NaN first, then ascending. */
function byFloat(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** expr-lang's minMax: the first number, replaced by each later one that compares greater (or less). */
function extreme(name: string, args: readonly unknown[], greater: boolean, meter: Meter): number | null {
  let best: number | undefined;
  for (const value of numbers(name, args, meter)) {
    if (best === undefined || (greater ? best < value : best > value)) best = value;
  }
  return best ?? null;
}

function length(value: unknown): number {
  if (typeof value === 'string') {
    let count = 0;
    for (const _ of value) count++;
    return count;
  }
  if (isArray(value)) return value.length;
  if (isMap(value)) return Object.keys(value).length;
  return fail(`len() expects an array, a map or a string, got ${describe(value)}`);
}

function withPredicate(name: string, items: readonly unknown[], predicate: Predicate): unknown {
  let count = 0;
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const element = elementAt(items, i);
    const result = predicate(element, i);
    if (name === 'map') {
      out.push(result);
      continue;
    }
    if (name === 'sum') {
      out.push(number('sum', result));
      continue;
    }
    const yes = truth(name, result, i);
    if (name === 'all' && !yes) return false;
    if ((name === 'any' || name === 'none') && yes) return name === 'any';
    if (yes) {
      count++;
      if (name === 'filter') out.push(element);
      if (name === 'one' && count > 1) return false;
    }
  }
  switch (name) {
    case 'all':
    case 'none':
      return true;
    case 'any':
      return false;
    case 'one':
      return count === 1;
    case 'count':
      return count;
    case 'sum':
      return (out as number[]).reduce((total, n) => total + n, 0);
    default:
      return out;
  }
}

/** Calls a built-in with evaluated arguments (for predicate functions: the array only). */
export function callBuiltin(
  name: string,
  args: readonly unknown[],
  meter: Meter,
  predicate?: Predicate,
): unknown {
  const [a, b] = args;
  switch (name) {
    case 'all':
    case 'any':
    case 'none':
    case 'one':
    case 'filter':
    case 'map':
      return withPredicate(name, array(name, a), predicate!);
    case 'count':
      return withPredicate(name, array(name, a), predicate ?? ((element, i) => truth('count', element, i)));
    case 'sum':
      return withPredicate(name, array(name, a), predicate ?? ((element) => element));
    case 'len':
      return length(a);
    case 'max':
    case 'min':
      return extreme(name, args, name === 'max', meter);
    case 'mean': {
      const values = numbers(name, args, meter);
      return values.length === 0 ? 0 : values.reduce((total, n) => total + n, 0) / values.length;
    }
    case 'median': {
      const values = numbers(name, args, meter).sort(byFloat);
      const middle = Math.floor(values.length / 2);
      if (values.length === 0) return 0;
      return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
    }
    case 'abs':
      return Math.abs(number(name, a));
    case 'ceil':
      return Math.ceil(number(name, a));
    case 'floor':
      return Math.floor(number(name, a));
    case 'round':
      return round(number(name, a));
    case 'isNaN':
      return Number.isNaN(number(name, a));
    case 'isInf': {
      const value = number(name, a);
      const sign = args.length > 1 ? number(name, b) : 0;
      if (value === Number.POSITIVE_INFINITY) return sign >= 0;
      return value === Number.NEGATIVE_INFINITY && sign <= 0;
    }
    case 'isNil':
      return isNil(a);
    case 'default':
      return isNil(a) ? (b ?? null) : a;
    case 'asInt':
      return asInt(a);
    case 'asFloat':
      return asFloat(a);
    default:
      return fail(`unknown function ${name}()`);
  }
}
