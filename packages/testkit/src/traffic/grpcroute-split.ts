// GRPCRoute (gateway.networking.k8s.io/v1) as a Gateway's data plane applies it. A rule matches
// when any of its matches does (none: every request); a match holds when its method matcher
// (service and/or method, Exact or RegularExpression on the whole name) and its headers hold. The
// traffic's requests carry the gRPC method given by --grpc-method; without one, only matches
// without a method matcher can hold. Precedence, as the spec orders it: the most characters in
// the matching service, then in the matching method, then the most header matches; then the first
// rule. backendRefs split by weight (gateway-backend-refs.ts): invalid backends and backends
// without a ready endpoint answer UNAVAILABLE, as do rules without backendRefs or with all weights
// 0; a request no rule matches gets UNIMPLEMENTED (the gRPC status of an HTTP 404). RequestMirror
// filters copy requests; other filters are not modelled.
import { backendRefsDecision, mirrorFilters } from './gateway-backend-refs';
import { type RouteRulesKind, readMatchList, routeRulesRouter } from './gateway-route-rules';
import { fullMatch, parseValueMatches, type ValueMatch, valuesMatch } from './gateway-value-match';
import { isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import type { ProblemList, Router } from './route-decision';
import type { ServiceWorld } from './service-endpoints';

export const GRPC_ANSWERS = { invalid: 'UNAVAILABLE', noEndpoints: 'UNAVAILABLE' } as const;
const NO_ROUTE = 'UNIMPLEMENTED';

interface NameMatch {
  text: string;
  regex?: RegExp;
}

interface GrpcMatch {
  service?: NameMatch;
  method?: NameMatch;
  headers: readonly ValueMatch[];
}

const GRPC_ROUTE: RouteRulesKind<GrpcMatch> = {
  answers: GRPC_ANSWERS,
  noRoute: NO_ROUTE,
  rulesProblem: (rules) =>
    `${rules === undefined ? 'missing' : 'expected a list of rules'}: every request gets ${NO_ROUTE}`,
  readRule: (rule, at, id, ctx) => {
    const mirrors = mirrorFilters(rule['filters'], `${at}.filters`, ctx);
    const decision = backendRefsDecision(id, rule['backendRefs'], `${at}.backendRefs`, ctx, mirrors);
    return { matches: parseGrpcMatches(rule['matches'], `${at}.matches`, ctx.problems), decision };
  },
  rank: rankGrpcMatch,
};

/** The model of a data plane serving one GRPCRoute; `object` names it (`GRPCRoute default/shop`). */
export function grpcRouteRouter(route: unknown, world: ServiceWorld, object: string): Router {
  return routeRulesRouter(route, world, object, GRPC_ROUTE);
}

function rankGrpcMatch(match: GrpcMatch, request: RequestClass): number[] | undefined {
  if (match.service || match.method) {
    if (!request.grpc) return undefined;
    if (match.service && !nameMatches(match.service, request.grpc.service)) return undefined;
    if (match.method && !nameMatches(match.method, request.grpc.method)) return undefined;
  }
  if (!valuesMatch(match.headers, (name) => request.headers.get(name))) return undefined;
  return [match.service?.text.length ?? 0, match.method?.text.length ?? 0, match.headers.length];
}

function nameMatches(match: NameMatch, name: string): boolean {
  return match.regex ? match.regex.test(name) : match.text === name;
}

function parseGrpcMatches(matches: unknown, field: string, problems: ProblemList): GrpcMatch[] {
  return readMatchList<GrpcMatch>(matches, field, problems, { headers: [] }, (m, at) => {
    const headers = parseValueMatches(m['headers'], `${at}.headers`, problems, true);
    if (!headers) return undefined;
    const method = m['method'];
    if (method === undefined || method === null) return { headers };
    const names = parseMethod(method, `${at}.method`, problems);
    return names ? { ...names, headers } : undefined;
  });
}

function parseMethod(
  method: unknown,
  at: string,
  problems: ProblemList,
): Pick<GrpcMatch, 'service' | 'method'> | undefined {
  if (!isObject(method)) {
    problems.add(at, 'expected {type, service, method}; the match never matches');
    return undefined;
  }
  const type = method['type'] ?? 'Exact';
  if (type !== 'Exact' && type !== 'RegularExpression') {
    problems.add(
      `${at}.type`,
      `expected Exact or RegularExpression, got ${JSON.stringify(type)}; the match never matches`,
    );
    return undefined;
  }
  const out: Pick<GrpcMatch, 'service' | 'method'> = {};
  for (const key of ['service', 'method'] as const) {
    const text = method[key];
    if (text === undefined || text === null || text === '') continue;
    if (typeof text !== 'string') {
      problems.add(`${at}.${key}`, `expected a string, got ${JSON.stringify(text)}; the match never matches`);
      return undefined;
    }
    if (type === 'Exact') out[key] = { text };
    else {
      const regex = fullMatch(text);
      if (!regex) {
        problems.add(`${at}.${key}`, `not a regular expression: ${text}; the match never matches`);
        return undefined;
      }
      out[key] = { text, regex };
    }
  }
  if (!out.service && !out.method) {
    problems.add(at, 'one or both of service and method must be given; the match never matches');
    return undefined;
  }
  return out;
}
