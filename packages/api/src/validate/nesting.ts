// How deep an object nests. Kubernetes objects nest a few dozen levels; a document nested hundreds
// of levels deep is a mistake (or an attack), and recursive readers (hashing, copying, JSON) would
// exhaust the call stack on it. Measured with an explicit stack, so any depth is safe to measure.
import { joinPath } from './findings';

/** The deepest nesting accepted in one of our objects (maps and lists, counted from the object). */
export const MAX_NESTING = 100;

/** The path of the first value nested deeper than `limit` levels, or undefined when none is. */
export function tooDeep(value: unknown, limit = MAX_NESTING): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return path;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push([v[i], joinPath(path, i), depth + 1]);
    else for (const [k, item] of Object.entries(v)) stack.push([item, joinPath(path, k), depth + 1]);
  }
  return undefined;
}
