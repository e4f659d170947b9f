// APISIX ApisixRoute (apisix.apache.org v2, also read at v2beta3) as the APISIX ingress controller
// translates the namespace's ApisixRoutes into APISIX routes and as APISIX's default router
// (radixtree_host_uri) matches a request. Every ApisixRoute of the namespace takes part (Argo Rollouts'
// header route is an ApisixRoute of its own); the entry names the one followed. Each `spec.http[]`
// rule is a route: `match.paths` (a trailing `*` is a prefix, anything else the whole path),
// `match.hosts` (exact or `*.` wildcard), `match.methods`, `match.exprs`, `priority` (default 0).
// Routes with hosts that accept the request's host are tried before routes without hosts; among
// them, a whole-path match before prefixes, longer prefixes first, then the higher priority, then
// the older ApisixRoute and the earlier rule; the first whose methods and exprs hold takes the
// request; none: 404. Its `backends` split it by `weight` (default 100; one backend takes everything,
// 0 gets nothing); a backend without ready endpoints answers 503 for its share. Exprs compare a
// Header (by name, `-` and `_` alike), Query parameter, Cookie or the Path with Equal, NotEqual,
// GreaterThan(Equal), LessThan(Equal) (numbers), In, NotIn (`set`), RegexMatch, RegexNotMatch and
// their CaseInsensitive forms (PCRE anywhere in the value in APISIX, ECMAScript here); a missing value
// holds only for the negated operators. An ApisixRoute the controller cannot translate (a backend
// Service or port that does not exist, an unknown operator) is left out, as if never synced; the
// rest are served. Not modelled: upstreams (ApisixUpstream), backend subsets, remoteAddrs,
// filter_func, Variable exprs, plugins (traffic-split, authentication...), websocket, timeouts.
import { field, isObject, stringField } from './json-shape';
import { oldestFirst } from './object-order';
import { cookieOf, type RequestClass } from './request-mix';
import {
  answered,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import { type ServiceWorld, serviceDestination } from './service-endpoints';

export const APISIX_ANSWERS = { invalid: '503', noEndpoints: '503' } as const;

const DEFAULT_WEIGHT = 100;

type PathMatch = { exact: string } | { prefix: string };

interface Expr {
  scope: 'Header' | 'Query' | 'Cookie' | 'Path' | 'Variable';
  name: string;
  op: string;
  value?: string;
  set?: readonly string[];
  regex?: RegExp;
}

interface ApisixRule {
  id: string;
  order: number;
  priority: number;
  paths: readonly PathMatch[];
  /** Lower case; empty: any host (tried after the routes with hosts). */
  hosts: readonly string[];
  methods: readonly string[];
  exprs: readonly Expr[];
  decision: RouteDecision;
}

const OPS = new Set([
  'Equal',
  'NotEqual',
  'GreaterThan',
  'GreaterThanEqual',
  'LessThan',
  'LessThanEqual',
  'In',
  'NotIn',
  'RegexMatch',
  'RegexNotMatch',
  'RegexMatchCaseInsensitive',
  'RegexNotMatchCaseInsensitive',
]);

/**
 * The model of APISIX serving the namespace's ApisixRoutes (`routes`, read whole), following `entry`
 * (undefined when not found); `object` names it.
 */
export function apisixRouteRouter(
  entry: unknown,
  routes: readonly unknown[],
  world: ServiceWorld,
  object: string,
): Router {
  const problems = new ProblemList(object);
  const all = routes.some((r) => r === entry) || entry === undefined ? routes : [...routes, entry];
  if (entry === undefined)
    problems.add('', 'not found: only the other ApisixRoutes of the namespace can take the requests');
  const rules: ApisixRule[] = [];
  for (const route of oldestFirst(all)) {
    const routeName = stringField(field(route, 'metadata'), 'name') ?? '';
    const own = new ProblemList(`ApisixRoute ${world.namespace}/${routeName}`);
    const read = readRoute(route, routeName, world, own, rules.length);
    for (const p of own.items) problems.add(p.field, p.message, p.object);
    if (read) rules.push(...read);
  }
  return {
    entry: object,
    problems: problems.items,
    decide: (request) => {
      const rule = pick(rules, request);
      return rule ? rule.decision : answered('none', '404', 'no APISIX route matches the request');
    },
  };
}

/** The route that takes the request, as radixtree_host_uri picks it. */
function pick(rules: readonly ApisixRule[], request: RequestClass): ApisixRule | undefined {
  const host = request.host;
  const withHost = rules.filter(
    (r) => r.hosts.length > 0 && (host === undefined || r.hosts.some((h) => hostMatches(h, host))),
  );
  const withoutHost = rules.filter((r) => r.hosts.length === 0);
  for (const phase of [withHost, withoutHost]) {
    const candidates = phase
      .map((rule) => ({ rule, rank: pathRank(rule.paths, request.path) }))
      .filter((c) => c.rank >= 0)
      .sort((a, b) => b.rank - a.rank || b.rule.priority - a.rule.priority || a.rule.order - b.rule.order);
    for (const { rule } of candidates)
      if (
        (rule.methods.length === 0 || rule.methods.includes(request.method)) &&
        rule.exprs.every((e) => exprHolds(e, request))
      )
        return rule;
  }
  return undefined;
}

/** How well the best path matches (larger first; -1: none): a whole path, then the longest prefix. */
function pathRank(paths: readonly PathMatch[], path: string): number {
  let rank = -1;
  for (const p of paths) {
    if ('exact' in p) {
      if (p.exact === path) return Number.MAX_SAFE_INTEGER;
    } else if (path.startsWith(p.prefix)) rank = Math.max(rank, p.prefix.length);
  }
  return rank;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

function exprHolds(e: Expr, request: RequestClass): boolean {
  const value = subjectValue(e, request);
  switch (e.op) {
    case 'Equal':
      return value !== undefined && value === e.value;
    case 'NotEqual':
      return value === undefined || value !== e.value;
    case 'GreaterThan':
    case 'GreaterThanEqual':
    case 'LessThan':
    case 'LessThanEqual': {
      const a = Number(value);
      const b = Number(e.value);
      if (value === undefined || value.trim() === '' || Number.isNaN(a) || Number.isNaN(b)) return false;
      return e.op === 'GreaterThan'
        ? a > b
        : e.op === 'GreaterThanEqual'
          ? a >= b
          : e.op === 'LessThan'
            ? a < b
            : a <= b;
    }
    case 'In':
      return value !== undefined && (e.set ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(e.set ?? []).includes(value);
    case 'RegexMatch':
    case 'RegexMatchCaseInsensitive':
      return value !== undefined && e.regex?.test(value) === true;
    default:
      return value === undefined || e.regex === undefined || !e.regex.test(value);
  }
}

function subjectValue(e: Expr, request: RequestClass): string | undefined {
  switch (e.scope) {
    case 'Header': {
      const want = e.name.toLowerCase().replaceAll('-', '_');
      for (const [name, value] of request.headers) if (name.replaceAll('-', '_') === want) return value;
      return undefined;
    }
    case 'Query':
      return request.query.get(e.name);
    case 'Cookie':
      return cookieOf(request, e.name);
    case 'Path':
      return request.path;
    case 'Variable':
      return undefined;
  }
}

/** The rules of one ApisixRoute; undefined when the controller cannot translate it (reported). */
function readRoute(
  route: unknown,
  routeName: string,
  world: ServiceWorld,
  problems: ProblemList,
  order: number,
): ApisixRule[] | undefined {
  const http = field(field(route, 'spec'), 'http');
  if (!Array.isArray(http) || http.length === 0) {
    problems.add('spec.http', 'expected a non-empty list of rules; the ApisixRoute is left out');
    return undefined;
  }
  const rules: ApisixRule[] = [];
  let translated = true;
  http.forEach((rule: unknown, i) => {
    const at = `spec.http[${i}]`;
    if (!isObject(rule)) {
      problems.add(at, 'expected a rule object; the ApisixRoute is left out');
      translated = false;
      return;
    }
    const read = readRule(rule, at, world, problems);
    const id = `${routeName}/http[${i}]`;
    if (read === 'untranslatable') translated = false;
    else if (read)
      rules.push({ ...read, id, order: order + rules.length, decision: { ...read.decision, rule: id } });
  });
  return translated ? rules : undefined;
}

type RuleShape = Omit<ApisixRule, 'id' | 'order'>;

function readRule(
  rule: Record<string, unknown>,
  at: string,
  world: ServiceWorld,
  problems: ProblemList,
): RuleShape | undefined | 'untranslatable' {
  const untranslatable = (f: string, message: string): 'untranslatable' => {
    problems.add(f, `${message}: the controller cannot translate the ApisixRoute, it is left out`);
    return 'untranslatable';
  };
  if (typeof rule['name'] !== 'string' || rule['name'] === '')
    problems.add(`${at}.name`, 'missing: every rule needs a name');
  const priority = rule['priority'] ?? 0;
  if (!Number.isInteger(priority))
    problems.add(`${at}.priority`, `expected an integer, got ${JSON.stringify(priority)}; read as 0`);
  const match = rule['match'];
  if (!isObject(match)) return untranslatable(`${at}.match`, 'missing');
  const paths = match['paths'];
  if (
    !Array.isArray(paths) ||
    paths.length === 0 ||
    paths.some((p) => typeof p !== 'string' || !p.startsWith('/'))
  )
    return untranslatable(`${at}.match.paths`, 'expected a non-empty list of paths starting with "/"');
  const hosts = match['hosts'] ?? [];
  if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string'))
    return untranslatable(`${at}.match.hosts`, 'expected a list of host names');
  const methods = match['methods'] ?? [];
  if (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string'))
    return untranslatable(`${at}.match.methods`, 'expected a list of methods');
  for (const key of ['remoteAddrs', 'filter_func'])
    if (match[key] !== undefined)
      problems.add(`${at}.match.${key}`, 'not modelled: the condition is taken to hold');
  const exprs: Expr[] = [];
  const rawExprs = match['exprs'] ?? [];
  if (!Array.isArray(rawExprs)) return untranslatable(`${at}.match.exprs`, 'expected a list of expressions');
  for (const [j, raw] of rawExprs.entries()) {
    const eat = `${at}.match.exprs[${j}]`;
    const scope = field(field(raw, 'subject'), 'scope');
    const name = stringField(field(raw, 'subject'), 'name') ?? '';
    const op = field(raw, 'op');
    if (
      scope !== 'Header' &&
      scope !== 'Query' &&
      scope !== 'Cookie' &&
      scope !== 'Path' &&
      scope !== 'Variable'
    )
      return untranslatable(
        `${eat}.subject.scope`,
        `expected Header, Query, Cookie, Path or Variable, got ${JSON.stringify(scope)}`,
      );
    if (scope !== 'Path' && name === '') return untranslatable(`${eat}.subject.name`, 'missing');
    if (typeof op !== 'string' || !OPS.has(op))
      return untranslatable(`${eat}.op`, `unknown operator ${JSON.stringify(op)}`);
    const value = field(raw, 'value');
    const set = field(raw, 'set');
    const isSet = op === 'In' || op === 'NotIn';
    if (isSet ? !Array.isArray(set) || set.some((s) => typeof s !== 'string') : typeof value !== 'string')
      return untranslatable(eat, isSet ? `${op} needs set, a list of strings` : `${op} needs a string value`);
    if (scope === 'Variable')
      problems.add(`${eat}.subject`, 'Variable expressions are not modelled: the variable reads as missing');
    const expr: Expr = {
      scope,
      name,
      op,
      ...(isSet ? { set: set as string[] } : { value: value as string }),
    };
    if (op.startsWith('Regex')) {
      try {
        expr.regex = new RegExp(value as string, op.endsWith('CaseInsensitive') ? 'i' : '');
      } catch {
        problems.add(`${eat}.value`, `not a regular expression: ${String(value)}; it never matches`);
      }
    }
    exprs.push(expr);
  }
  if (rule['upstreams'] !== undefined)
    problems.add(`${at}.upstreams`, 'ApisixUpstream references are not modelled; only backends are followed');
  const backends = rule['backends'];
  if (!Array.isArray(backends) || backends.length === 0) {
    problems.add(`${at}.backends`, 'no backends: the rule is left out');
    return undefined;
  }
  const single = backends.length === 1;
  const destinations: WeightedDestination[] = [];
  for (const [j, backend] of backends.entries()) {
    const bat = `${at}.backends[${j}]`;
    const service = stringField(backend, 'serviceName');
    if (!service) return untranslatable(`${bat}.serviceName`, 'missing');
    const view = world.service(service);
    if (!view) return untranslatable(`${bat}.serviceName`, `Service "${service}" not found`);
    const port = field(backend, 'servicePort');
    if (!view.ports.some((p) => p.port === port || (typeof port === 'string' && p.name === port)))
      return untranslatable(`${bat}.servicePort`, `Service "${service}" has no port ${JSON.stringify(port)}`);
    if (field(backend, 'subset') !== undefined)
      problems.add(`${bat}.subset`, 'ApisixUpstream subsets are not modelled: the whole Service is used');
    let weight = 1;
    if (!single) {
      const w = field(backend, 'weight') ?? DEFAULT_WEIGHT;
      if (!Number.isInteger(w) || (w as number) < 0)
        return untranslatable(`${bat}.weight`, `expected a non-negative integer, got ${JSON.stringify(w)}`);
      weight = w as number;
    }
    destinations.push({
      weight,
      destination: serviceDestination(world, service, APISIX_ANSWERS),
      mirrors: [],
    });
  }
  let decision: RouteDecision = { rule: '', destinations, mirrors: [] };
  if (destinations.every((d) => d.weight === 0)) {
    problems.add(`${at}.backends`, 'every backend has weight 0: every request the rule takes gets 503');
    decision = answered('', '503', 'every backend has weight 0');
  }
  return {
    priority: Number.isInteger(priority) ? (priority as number) : 0,
    paths: (paths as string[]).map((p) => (p.endsWith('*') ? { prefix: p.slice(0, -1) } : { exact: p })),
    hosts: (hosts as string[]).map((h) => h.toLowerCase()),
    methods: methods as string[],
    exprs,
    decision,
  };
}
