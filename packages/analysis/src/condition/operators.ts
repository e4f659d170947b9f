/**
 * The non-logical operators on values, with expr-lang's typing: arithmetic on numbers, `+` also on
 * strings, ordering on two numbers or two strings, `==` on anything, `in` on arrays and maps, string
 * operators on strings. Type mismatches are errors, never coercions. (`&&`, `||`, `??` and `?:`
 * short-circuit, so they live in the evaluator.)
 */
import type { BinaryOperator, ComparisonOperator, UnaryOperator } from './ast';
import { EvalFailure } from './errors';
import { LIMITS } from './limits';
import { compileRegex, type Regex, RegexError } from './regex';
import {
  compareStrings,
  describe,
  equal,
  FORBIDDEN_KEYS,
  isArray,
  isMap,
  isNil,
  type Meter,
  ownData,
  typeName,
} from './values';

function fail(reason: string): never {
  throw new EvalFailure(reason);
}

function invalid(op: string, a: unknown, b: unknown): never {
  const hint = isNil(a) || isNil(b) ? ' (a value is nil: guard it with ?? or default(value, fallback))' : '';
  return fail(`invalid operation: ${typeName(a)} ${op} ${typeName(b)}${hint}`);
}

export function unary(op: UnaryOperator, value: unknown): unknown {
  if (op === 'not') {
    if (typeof value !== 'boolean')
      fail(`invalid operation: not ${typeName(value)} (not and ! need true or false)`);
    return !value;
  }
  if (typeof value !== 'number') fail(`invalid operation: ${op} ${typeName(value)}`);
  return op === '-' ? -value : value;
}

/** Go's math.Pow where it differs from JavaScript's `**`. */
function power(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

export function arithmetic(
  op: Exclude<BinaryOperator, ComparisonOperator | '&&' | '||' | '??'>,
  a: unknown,
  b: unknown,
): unknown {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > LIMITS.maxStringLength) {
      fail(
        `string concatenation would be ${a.length + b.length} characters long; the limit is ${LIMITS.maxStringLength}`,
      );
    }
    return a + b;
  }
  if (typeof a !== 'number' || typeof b !== 'number') return invalid(op, a, b);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '**':
      return power(a, b);
    case '%': {
      if (!Number.isInteger(a) || !Number.isInteger(b)) {
        fail(`invalid operation: % needs integers, got ${describe(a)} % ${describe(b)}`);
      }
      if (b === 0) fail('integer divide by zero');
      const rest = a % b;
      return rest === 0 ? 0 : rest;
    }
  }
}

function order(op: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number')
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return invalid(op, a, b);
}

function within(needle: unknown, haystack: unknown, meter: Meter): boolean {
  if (isNil(haystack)) return false;
  if (isArray(haystack)) {
    for (let i = 0; i < haystack.length; i++) {
      const element = ownData(haystack, i, 'an array');
      if (equal(needle, element?.value ?? null, meter)) return true;
    }
    return false;
  }
  if (isMap(haystack)) {
    if (typeof needle !== 'string')
      fail(`invalid operation: ${typeName(needle)} in map (map keys are strings)`);
    return !FORBIDDEN_KEYS.has(needle) && ownData(haystack, needle, 'a map') !== undefined;
  }
  const hint = typeof haystack === 'string' ? '; to look for a substring use contains' : '';
  return fail(`invalid operation: in needs an array or a map on the right, got ${typeName(haystack)}${hint}`);
}

function strings(op: string, a: unknown, b: unknown): [string, string] {
  if (typeof a !== 'string' || typeof b !== 'string') {
    const hint = op === 'contains' && isArray(a) ? '; to look for an element use: element in array' : '';
    fail(`invalid operation: ${typeName(a)} ${op} ${typeName(b)} (${op} works on strings${hint})`);
  }
  return [a, b];
}

function regexFor(pattern: unknown, compiled: Regex | undefined): Regex {
  if (compiled) return compiled;
  if (typeof pattern !== 'string')
    fail(`invalid operation: matches needs a string pattern, got ${describe(pattern)}`);
  return compileRegex(pattern);
}

/** A comparison or membership test; `regex` is the pattern of `matches` when it was compiled up front. */
export function compare(
  op: ComparisonOperator,
  a: unknown,
  b: unknown,
  meter: Meter,
  regex?: Regex,
): boolean {
  switch (op) {
    case '==':
      return equal(a, b, meter);
    case '!=':
      return !equal(a, b, meter);
    case '<':
      return order(op, a, b) < 0;
    case '<=':
      return order(op, a, b) <= 0;
    case '>':
      return order(op, a, b) > 0;
    case '>=':
      return order(op, a, b) >= 0;
    case 'in':
      return within(a, b, meter);
    case 'contains': {
      const [text, part] = strings(op, a, b);
      return text.includes(part);
    }
    case 'startsWith': {
      const [text, part] = strings(op, a, b);
      return text.startsWith(part);
    }
    case 'endsWith': {
      const [text, part] = strings(op, a, b);
      return text.endsWith(part);
    }
    case 'matches': {
      if (typeof a !== 'string')
        fail(`invalid operation: ${typeName(a)} matches string (matches needs a string on the left)`);
      try {
        return regexFor(b, regex).test(a);
      } catch (error) {
        if (error instanceof RegexError) fail(error.message);
        throw error;
      }
    }
  }
}
