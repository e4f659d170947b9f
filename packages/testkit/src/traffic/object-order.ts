// The order in which data planes take objects that compete for the same requests: the oldest first
// (creationTimestamp, a string as the API returns it or a Date as client-node decodes it), then by
// name.
import { field, stringField } from './json-shape';

export function oldestFirst(objects: readonly unknown[]): unknown[] {
  const key = (o: unknown) => {
    const meta = field(o, 'metadata');
    const created = field(meta, 'creationTimestamp');
    const time =
      created instanceof Date ? created.getTime() : typeof created === 'string' ? Date.parse(created) : 0;
    return { time: Number.isNaN(time) ? 0 : time, name: stringField(meta, 'name') ?? '' };
  };
  return [...objects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka.time - kb.time || (ka.name < kb.name ? -1 : ka.name > kb.name ? 1 : 0);
  });
}
