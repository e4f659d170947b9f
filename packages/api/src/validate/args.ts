// `{{args.name}}` placeholders, as Argo substitutes them in metrics (and in limits given as strings).

const PLACEHOLDER = /\{\{\s*args\.([A-Za-z0-9_.-]+?)\s*\}\}/g;

/** The arg names a text refers to, in order of first use. */
export function argReferences(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

export function hasPlaceholder(text: string): boolean {
  return /\{\{.*\}\}/.test(text);
}

/** Replaces every `{{args.x}}`; `lookup` returns undefined for an arg it cannot give. */
export function substituteArgs(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => lookup(name) ?? whole);
}

/** Every string in a value (deep), with its path suffix, for finding placeholders anywhere in a metric. */
export function* stringsIn(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) yield* stringsIn(v, path === '' ? k : `${path}.${k}`);
  }
}
