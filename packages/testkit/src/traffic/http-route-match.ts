// HTTPRoute matches and their precedence. A rule matches when any of its matches does (no matches:
// a prefix match on "/"); a match holds when its path, method, headers and query parameters all
// hold. Path `PathPrefix` matches element by element (`/foo` matches `/foo`, `/foo/` and `/foo/bar`,
// not `/foobar`; a trailing `/` is ignored), `Exact` the whole path, `RegularExpression` (ECMAScript,
// whole path). Among the matches a request satisfies, the spec's precedence decides: an Exact path,
// then the longest PathPrefix, then a method match, then the most header matches, then the most
// query-parameter matches; then the first rule in list order. Regular-expression paths, whose
// precedence is implementation-specific, rank after every Exact and PathPrefix match here.

import { readMatchList } from './gateway-route-rules';
import { fullMatch, parseValueMatches, type ValueMatch, valuesMatch } from './gateway-value-match';
import { isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import type { ProblemList } from './route-decision';

export interface HttpMatch {
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string; regex?: RegExp };
  method?: string;
  headers: readonly ValueMatch[];
  query: readonly ValueMatch[];
}

/** Larger wins, compared in order. */
export type HttpMatchRank = readonly [
  pathType: number,
  prefixLength: number,
  method: number,
  headers: number,
  query: number,
];

const DEFAULT_MATCH: HttpMatch = { path: { type: 'PathPrefix', value: '/' }, headers: [], query: [] };

/** The rule's matches that can ever hold (the unreadable ones are reported and left out). */
export function parseHttpMatches(matches: unknown, field: string, problems: ProblemList): HttpMatch[] {
  return readMatchList(matches, field, problems, DEFAULT_MATCH, (m, at) => {
    const path = parsePath(m['path'], `${at}.path`, problems);
    const headers = parseValueMatches(m['headers'], `${at}.headers`, problems, true);
    const query = parseValueMatches(m['queryParams'], `${at}.queryParams`, problems, false);
    const method = m['method'];
    if (method !== undefined && typeof method !== 'string') {
      problems.add(
        `${at}.method`,
        `expected an HTTP method, got ${JSON.stringify(method)}; the match never matches`,
      );
      return undefined;
    }
    if (!path || !headers || !query) return undefined;
    return { path, ...(method !== undefined ? { method: method.toUpperCase() } : {}), headers, query };
  });
}

/** The rank of a match the request satisfies, or undefined when it does not. */
export function rankHttpMatch(match: HttpMatch, request: RequestClass): HttpMatchRank | undefined {
  if (!pathMatches(match.path, request.path)) return undefined;
  if (match.method !== undefined && match.method !== request.method) return undefined;
  if (!valuesMatch(match.headers, (name) => request.headers.get(name))) return undefined;
  if (!valuesMatch(match.query, (name) => request.query.get(name))) return undefined;
  const type = match.path.type === 'Exact' ? 2 : match.path.type === 'PathPrefix' ? 1 : 0;
  return [
    type,
    type === 1 ? match.path.value.length : 0,
    match.method !== undefined ? 1 : 0,
    match.headers.length,
    match.query.length,
  ];
}

function parsePath(path: unknown, at: string, problems: ProblemList): HttpMatch['path'] | undefined {
  if (path === undefined || path === null) return DEFAULT_MATCH.path;
  if (!isObject(path)) {
    problems.add(at, 'expected {type, value}; the match never matches');
    return undefined;
  }
  const type = path['type'] ?? 'PathPrefix';
  const value = path['value'] ?? '/';
  if (typeof value !== 'string') {
    problems.add(`${at}.value`, `expected a string, got ${JSON.stringify(value)}; the match never matches`);
    return undefined;
  }
  if (type === 'Exact' || type === 'PathPrefix') {
    if (!value.startsWith('/')) {
      problems.add(`${at}.value`, `must be an absolute path starting with "/"; the match never matches`);
      return undefined;
    }
    return { type, value };
  }
  if (type === 'RegularExpression') {
    const regex = fullMatch(value);
    if (!regex) {
      problems.add(`${at}.value`, `not a regular expression: ${value}; the match never matches`);
      return undefined;
    }
    return { type, value, regex };
  }
  problems.add(`${at}.type`, `expected Exact, PathPrefix or RegularExpression, got ${JSON.stringify(type)}`);
  return undefined;
}

function pathMatches(path: HttpMatch['path'], requestPath: string): boolean {
  if (path.type === 'Exact') return requestPath === path.value;
  if (path.regex) return path.regex.test(requestPath);
  const prefix = path.value.replace(/\/+$/, '');
  return prefix === '' || requestPath === prefix || requestPath.startsWith(`${prefix}/`);
}
