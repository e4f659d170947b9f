// Routing objects are read as users wrote them: any JSON. The helpers the routers share to read a field
// without trusting its type, and to say what it holds instead in a problem's message.

/** A JSON object's fields. */
export type Fields = Record<string, unknown>;

/** Whether a JSON value is an object (not null, not a list). */
export const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a JSON value is, for messages about a field of the wrong type. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
