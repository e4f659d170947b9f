// Istio's HTTP match conditions (HTTPMatchRequest) as the routes istiod gives Envoy apply them. All
// the conditions of one match must hold; a route holds when any of its matches does (none: every
// request). A StringMatch is `exact`, `prefix` or `regex` (RE2 in Envoy, ECMAScript here, matching
// the whole value); `{}` (or the regex `*`) only asks for the header or parameter to be present.
// `uri` is matched against the path without its query string (`ignoreUriCase`: exact and prefix
// case-insensitively); `method`, `authority` and `scheme` against the request's (the host, `http`);
// `headers` by lower-case name (the keys `uri`, `method`, `authority` and `scheme` are ignored there,
// as Istio says), `withoutHeaders` inverted (a missing header reads as empty), `queryParams` by name;
// `port` against the port of the request (`--host NAME:PORT`; none given: it holds). The source of a
// request is not modelled: `sourceLabels` and `sourceNamespace` are reported and hold; `gateways` hold.
import { fullMatch } from './gateway-value-match';
import { isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import type { ProblemList } from './route-decision';

export type StringMatcher =
  | { kind: 'present' }
  | { kind: 'exact'; value: string }
  | { kind: 'prefix'; value: string }
  | { kind: 'regex'; regex: RegExp };

export interface IstioHttpMatch {
  uri?: StringMatcher;
  ignoreUriCase: boolean;
  method?: StringMatcher;
  authority?: StringMatcher;
  scheme?: StringMatcher;
  headers: readonly (readonly [string, StringMatcher])[];
  withoutHeaders: readonly (readonly [string, StringMatcher])[];
  queryParams: readonly (readonly [string, StringMatcher])[];
  port?: number;
}

/** The matcher of a StringMatch at `at`; undefined when it cannot be read (reported: its match never holds). */
export function parseStringMatch(
  value: unknown,
  at: string,
  problems: ProblemList,
): StringMatcher | undefined {
  if (value === null || !isObject(value)) {
    problems.add(at, 'expected a StringMatch {exact | prefix | regex}; the match never holds');
    return undefined;
  }
  const kinds = (['exact', 'prefix', 'regex'] as const).filter((k) => value[k] !== undefined);
  if (kinds.length === 0) return { kind: 'present' };
  if (kinds.length > 1) {
    problems.add(
      at,
      `only one of exact, prefix or regex may be given, got ${kinds.join(', ')}; the match never holds`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  const text = value[kind];
  if (typeof text !== 'string') {
    problems.add(`${at}.${kind}`, `expected a string, got ${JSON.stringify(text)}; the match never holds`);
    return undefined;
  }
  if (kind !== 'regex') return { kind, value: text };
  if (text === '*') return { kind: 'present' };
  const regex = fullMatch(text);
  if (!regex) {
    problems.add(`${at}.regex`, `not a regular expression: ${text}; the match never holds`);
    return undefined;
  }
  return { kind: 'regex', regex };
}

/** Whether `value` (undefined: absent) satisfies the matcher. */
export function stringMatches(m: StringMatcher, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  switch (m.kind) {
    case 'present':
      return true;
    case 'exact':
      return ignoreCase ? value.toLowerCase() === m.value.toLowerCase() : value === m.value;
    case 'prefix':
      return ignoreCase ? value.toLowerCase().startsWith(m.value.toLowerCase()) : value.startsWith(m.value);
    case 'regex':
      return m.regex.test(value);
  }
}

const IGNORED_HEADER_KEYS = new Set(['uri', 'method', 'authority', 'scheme']);

/** The matches of an http route's `match` list at `at` that can ever hold; none given: one that always holds. */
export function parseIstioHttpMatches(matches: unknown, at: string, problems: ProblemList): IstioHttpMatch[] {
  const always: IstioHttpMatch = { ignoreUriCase: false, headers: [], withoutHeaders: [], queryParams: [] };
  if (matches === undefined || matches === null || (Array.isArray(matches) && matches.length === 0))
    return [always];
  if (!Array.isArray(matches)) {
    problems.add(at, 'expected a list of matches; the route never matches');
    return [];
  }
  const out: IstioHttpMatch[] = [];
  matches.forEach((m: unknown, i) => {
    const match = parseMatch(m, `${at}[${i}]`, problems);
    if (match) out.push(match);
  });
  return out;
}

function parseMatch(m: unknown, at: string, problems: ProblemList): IstioHttpMatch | undefined {
  if (!isObject(m)) {
    problems.add(at, 'expected a match object; it never holds');
    return undefined;
  }
  let readable = true;
  const one = (key: string): StringMatcher | undefined => {
    if (m[key] === undefined || m[key] === null) return undefined;
    const matcher = parseStringMatch(m[key], `${at}.${key}`, problems);
    if (!matcher) readable = false;
    return matcher;
  };
  const map = (key: string, skip?: Set<string>): [string, StringMatcher][] => {
    const value = m[key];
    if (value === undefined || value === null) return [];
    if (!isObject(value)) {
      problems.add(`${at}.${key}`, 'expected a map of name to StringMatch; the match never holds');
      readable = false;
      return [];
    }
    const out: [string, StringMatcher][] = [];
    for (const [name, sm] of Object.entries(value)) {
      if (skip?.has(name.toLowerCase())) continue;
      if (name.startsWith('@request.auth.claims')) {
        problems.add(`${at}.${key}["${name}"]`, 'JWT claim matches are not modelled; the match never holds');
        readable = false;
        continue;
      }
      const matcher = parseStringMatch(sm, `${at}.${key}["${name}"]`, problems);
      if (!matcher) readable = false;
      else out.push([key === 'queryParams' ? name : name.toLowerCase(), matcher]);
    }
    return out;
  };
  const uri = one('uri');
  const method = one('method');
  const authority = one('authority');
  const scheme = one('scheme');
  const headers = map('headers', IGNORED_HEADER_KEYS);
  const withoutHeaders = map('withoutHeaders', IGNORED_HEADER_KEYS);
  const queryParams = map('queryParams');
  const port = m['port'];
  if (
    port !== undefined &&
    port !== 0 &&
    !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)
  ) {
    problems.add(`${at}.port`, `expected a port number, got ${JSON.stringify(port)}; the match never holds`);
    readable = false;
  }
  for (const key of ['sourceLabels', 'sourceNamespace'])
    if (m[key] !== undefined)
      problems.add(`${at}.${key}`, 'the source of requests is not modelled: the condition is taken to hold');
  if (!readable) return undefined;
  return {
    ...(uri ? { uri } : {}),
    ignoreUriCase: m['ignoreUriCase'] === true,
    ...(method ? { method } : {}),
    ...(authority ? { authority } : {}),
    ...(scheme ? { scheme } : {}),
    headers,
    withoutHeaders,
    queryParams,
    ...(typeof port === 'number' && port !== 0 ? { port } : {}),
  };
}

/** Whether the request satisfies every condition of the match. */
export function istioHttpMatchHolds(match: IstioHttpMatch, request: RequestClass): boolean {
  if (match.port !== undefined && request.port !== undefined && match.port !== request.port) return false;
  if (match.uri) {
    const ignoreCase = match.ignoreUriCase && match.uri.kind !== 'regex';
    if (!stringMatches(match.uri, request.path, ignoreCase)) return false;
  }
  if (match.method && !stringMatches(match.method, request.method)) return false;
  if (match.authority && request.host !== undefined && !stringMatches(match.authority, request.host))
    return false;
  if (match.scheme && !stringMatches(match.scheme, 'http')) return false;
  for (const [name, m] of match.headers) if (!stringMatches(m, request.headers.get(name))) return false;
  for (const [name, m] of match.withoutHeaders) {
    const value = request.headers.get(name);
    if (stringMatches(m, m.kind === 'present' ? value : (value ?? ''))) return false;
  }
  for (const [name, m] of match.queryParams) if (!stringMatches(m, request.query.get(name))) return false;
  return true;
}
