// RFC 7386 merge-patch diffs: what to send so that `from` becomes `to`, with null for every field that
// disappears. `undefined` counts as absent (as JSON.stringify drops it). jsonEqual is @ramp/api's.

import { isPlainObject, jsonEqual } from '@ramp/api';

export { jsonEqual };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deep copy without undefined values (as the value would be after a JSON round trip). */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : withoutUndefined(item))) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out as T;
  }
  return value;
}

/**
 * The merge patch that turns the object `from` into `to`: changed and new fields with their new value
 * (objects diffed recursively, arrays replaced whole), removed fields as null. Undefined when equal.
 */
export function mergePatchDiff(
  from: Record<string, unknown> | undefined,
  to: Record<string, unknown>,
): Record<string, Json> | undefined {
  const patch: Record<string, Json> = {};
  const old = from ?? {};
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const before = old[key];
    if (before === undefined || before === null) {
      patch[key] = withoutUndefined(value) as Json;
    } else if (isPlainObject(before) && isPlainObject(value)) {
      const sub = mergePatchDiff(before, value);
      if (sub) patch[key] = sub;
    } else if (!jsonEqual(before, value)) {
      patch[key] = withoutUndefined(value) as Json;
    }
  }
  for (const [key, value] of Object.entries(old)) {
    if (value !== undefined && to[key] === undefined) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
