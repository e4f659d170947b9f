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

/**
 * Every string in a value (deep, in document order), with its path suffix, for finding placeholders
 * anywhere in a metric. Walks with its own stack, so no nesting depth can overflow the call stack.
 */
export function* stringsIn(value: unknown, path = ''): Generator<[string, string]> {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    if (typeof v === 'string') {
      yield [p, v];
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        stack.push([child, p === '' ? k : `${p}.${k}`]);
      }
    }
  }
}
