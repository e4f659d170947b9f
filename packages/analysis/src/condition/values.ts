/**
 * The value model: what a condition can see and produce. Values are nil (null or undefined), booleans,
 * numbers (IEEE doubles, NaN and ±Inf included), strings, arrays and maps (plain objects). Only own data
 * properties of arrays and plain objects are ever read: never a getter, never a prototype member.
 * Anything else (functions, class instances, Dates, Maps, symbols, bigints) is refused when it is read.
 */
import { EvalFailure } from './errors';
import { LIMITS } from './limits';

export type TypeName = 'nil' | 'bool' | 'number' | 'string' | 'array' | 'map';

/** Counts work done on behalf of one evaluation; see LIMITS.maxSteps. */
export interface Meter {
  steps: number;
}

/** Counts one step of work; throws once the evaluation's budget is spent. */
export function tick(meter: Meter): void {
  if (++meter.steps > LIMITS.maxSteps) {
    throw new EvalFailure(
      `evaluation took more than ${LIMITS.maxSteps} steps; simplify the expression or the data`,
    );
  }
}

/** Keys that could reach JavaScript internals; refused everywhere, even as own properties. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

export function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function typeName(value: unknown): TypeName {
  const name = typeNameOrUndefined(value);
  if (!name) throw new EvalFailure(`unsupported value: ${foreignDescription(value)}`);
  return name;
}

function typeNameOrUndefined(value: unknown): TypeName | undefined {
  if (isNil(value)) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return isArray(value) ? 'array' : isMap(value) ? 'map' : undefined;
  }
}

function foreignDescription(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  const proto: unknown = Object.getPrototypeOf(value);
  const ctor: unknown =
    proto === null || typeof proto !== 'object' ? undefined : Reflect.get(proto, 'constructor');
  const name =
    typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name ? ctor.name : 'object';
  return `an object of type ${name} (only plain objects and arrays are supported)`;
}

/** Checks a value read from outside (the environment, a map, an array) and turns undefined into null. */
export function accept(value: unknown, where: string): unknown {
  if (value === undefined) return null;
  if (!typeNameOrUndefined(value))
    throw new EvalFailure(`unsupported value in ${where}: ${foreignDescription(value)}`);
  return value;
}

/** An own data property, or `undefined` when absent. Accessors are refused: reading one would run code. */
export function ownData(object: object, key: string | number, where: string): { value: unknown } | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor) return undefined;
  if (!('value' in descriptor)) throw new EvalFailure(`unsupported value in ${where}: a getter`);
  return { value: accept(descriptor.value, where) };
}

export function elementAt(array: readonly unknown[], index: number): unknown {
  return ownData(array, index, 'an array')?.value ?? null;
}

/** A map built by the language (map literals); own data properties only, whatever the keys are. */
export function createMap(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** expr-lang's `==`: numbers by value (NaN is unequal to everything), arrays and maps deeply, nil == nil. */
export function equal(a: unknown, b: unknown, meter: Meter, depth = 0): boolean {
  tick(meter);
  if (depth > LIMITS.maxValueDepth)
    throw new EvalFailure(`values are nested more than ${LIMITS.maxValueDepth} levels deep`);
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  const type = typeName(a);
  if (type !== typeName(b)) return false;
  if (type === 'array') {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (!equal(elementAt(x, i), elementAt(y, i), meter, depth + 1)) return false;
    }
    return true;
  }
  if (type === 'map') {
    const x = a as object;
    const y = b as object;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    return keys.every((key) => {
      const other = ownData(y, key, 'a map');
      return other !== undefined && equal(ownData(x, key, 'a map')?.value, other.value, meter, depth + 1);
    });
  }
  return a === b;
}

/** Orders strings by Unicode code point, as Go compares UTF-8 bytes (JavaScript's `<` uses UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** A short description for messages: `number 0.3`, `string "ok"`, `nil`, `array of 3 elements`. */
export function describe(value: unknown): string {
  const type = typeNameOrUndefined(value);
  switch (type) {
    case 'nil':
      return 'nil';
    case 'bool':
      return `bool ${String(value)}`;
    case 'number':
      return `number ${formatNumber(value as number)}`;
    case 'string': {
      const text = value as string;
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'array': {
      const length = (value as readonly unknown[]).length;
      return `array of ${length} element${length === 1 ? '' : 's'}`;
    }
    case 'map': {
      const size = Object.keys(value as object).length;
      return `map with ${size} key${size === 1 ? '' : 's'}`;
    }
    default:
      return foreignDescription(value);
  }
}

/** Checks that a value handed back to a caller is plain data all the way down (bounded depth). */
export function checkResult(value: unknown, meter: Meter = { steps: 0 }, depth = 0): void {
  tick(meter);
  if (depth > LIMITS.maxValueDepth)
    throw new EvalFailure(`result is nested more than ${LIMITS.maxValueDepth} levels deep`);
  const type = typeName(value);
  if (type === 'array') {
    const array = value as readonly unknown[];
    for (let i = 0; i < array.length; i++) checkResult(elementAt(array, i), meter, depth + 1);
  } else if (type === 'map') {
    for (const key of Object.keys(value as object)) {
      if (FORBIDDEN_KEYS.has(key)) throw new EvalFailure(`result has the reserved key "${key}"`);
      checkResult(ownData(value as object, key, 'a map')?.value, meter, depth + 1);
    }
  }
}
