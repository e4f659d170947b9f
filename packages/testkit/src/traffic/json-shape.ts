// Reading objects of unknown shape (routing objects as the API server returns them, possibly
// malformed): a map or not, a string or not. The routers report what is wrong instead of throwing.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` when obj is a map, else undefined. */
export function field(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}

/** `obj[key]` when it is a string, else undefined. */
export function stringField(obj: unknown, key: string): string | undefined {
  const value = field(obj, key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * `obj[key]` as Go's encoding/json reads a struct field: the exact key, else the first key equal to it
 * ignoring case (`"ServiceName"` fills `serviceName`); undefined when obj is not a map.
 */
export function goJsonField(obj: unknown, key: string): unknown {
  if (!isObject(obj)) return undefined;
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}
