// JSON comparison and RFC 7386 merge-patch diffs: what to send so that `from` becomes `to`, with null
// for every field that disappears. `undefined` counts as absent (as JSON.stringify drops it).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; keys whose value is undefined are absent; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

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
