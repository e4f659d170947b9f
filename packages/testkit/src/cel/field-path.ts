/**
 * The `fieldPath` of a validation rule: a JSON path of field and map accessors (`.spec.x`, `.labels['a.b']`)
 * that must name a field of the schema, normalized as the API server reports it (`spec.x`, `labels[a.b]`).
 */
import type { Schema } from '../semantics/schema-validation';

function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i] ?? '';
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j] ?? '')) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

const UNESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  "'": "'",
  '\\': '\\',
};

function unescapeQuoted(text: string): string | { error: string } {
  let bad: string | undefined;
  const out = text.replace(/\\./g, (m) => {
    const r = UNESCAPES[m[1] ?? ''];
    if (r === undefined) bad = m;
    return r ?? '';
  });
  return bad ? { error: `invalid string literal: invalid escape char ${bad}` } : out;
}

/** The normalized path (`spec.x`, `m[k]`), or the error the API server gives for it. */
export function validFieldPath(path: string, schema: Schema): { path: string } | { error: string } {
  let current: Schema | undefined = schema;
  let out = '';
  const list = tokens(path);
  const append = (name: string): string | undefined => {
    if (current?.properties) {
      out = out ? `${out}.${name}` : name;
      current = current.properties[name];
      return current ? undefined : 'does not refer to a valid field';
    }
    if (typeof current?.additionalProperties === 'object') {
      out = `${out}[${name}]`;
      current = current.additionalProperties as Schema;
      return undefined;
    }
    return 'does not refer to a valid field';
  };
  for (let i = 0; i < list.length; i++) {
    const tok = list[i] ?? '';
    if (tok === '.') {
      const name = list[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      const err = append(name);
      if (err) return { error: err };
    } else if (tok === '[') {
      const quotedName = list[++i];
      if (quotedName === undefined) return { error: 'unexpected end of JSON path' };
      if (quotedName.length < 2 || !quotedName.startsWith("'") || !quotedName.endsWith("'")) {
        return { error: `expected single quoted string but got ${quotedName}` };
      }
      const name = unescapeQuoted(quotedName.slice(1, -1));
      if (typeof name !== 'string') return name;
      const err = append(name);
      if (err) return { error: err };
      const close = list[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else {
      return { error: `expected [ or . but got: ${tok}` };
    }
  }
  return { path: out };
}
