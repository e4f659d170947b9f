// Gateway API header and query-parameter matches (HTTPRoute, GRPCRoute): a list of {name, value,
// type}, all of which a request must satisfy. Only the first entry of an equivalent name counts
// (names compare case-insensitively for headers, exactly for query parameters). `Exact` (the
// default) compares the value exactly; `RegularExpression`, whose dialect is implementation-specific,
// is an ECMAScript regular expression that must match the whole value (as Envoy-based gateways
// match, with RE2).
import { isObject } from './json-shape';
import type { ProblemList } from './route-decision';

export interface ValueMatch {
  name: string;
  exact?: string;
  regex?: RegExp;
}

/** The matches of a `headers` or `queryParams` list; undefined when one cannot be read (the match never matches). */
export function parseValueMatches(
  list: unknown,
  field: string,
  problems: ProblemList,
  caseInsensitiveNames: boolean,
): ValueMatch[] | undefined {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.add(field, 'expected a list; the match never matches');
    return undefined;
  }
  const out: ValueMatch[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const at = `${field}[${i}]`;
    const name = isObject(entry) ? entry['name'] : undefined;
    const value = isObject(entry) ? entry['value'] : undefined;
    const type = (isObject(entry) ? entry['type'] : undefined) ?? 'Exact';
    if (typeof name !== 'string' || name === '' || typeof value !== 'string') {
      problems.add(at, 'expected {name, value} strings; the match never matches');
      return undefined;
    }
    const key = caseInsensitiveNames ? name.toLowerCase() : name;
    if (seen.has(key)) continue;
    seen.add(key);
    if (type === 'Exact') out.push({ name: key, exact: value });
    else if (type === 'RegularExpression') {
      const regex = fullMatch(value);
      if (!regex) {
        problems.add(`${at}.value`, `not a regular expression: ${value}; the match never matches`);
        return undefined;
      }
      out.push({ name: key, regex });
    } else {
      problems.add(`${at}.type`, `expected Exact or RegularExpression, got ${JSON.stringify(type)}`);
      return undefined;
    }
  }
  return out;
}

/** Whether every match is satisfied by `lookup(name)`. */
export function valuesMatch(
  matches: readonly ValueMatch[],
  lookup: (name: string) => string | undefined,
): boolean {
  return matches.every((m) => {
    const value = lookup(m.name);
    if (value === undefined) return false;
    return m.regex ? m.regex.test(value) : value === m.exact;
  });
}

/** An anchored regular expression, or undefined when it does not compile. */
export function fullMatch(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}
