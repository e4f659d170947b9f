// HTTPRoute (gateway.networking.k8s.io/v1) as a Gateway's data plane applies it to a request: the
// route's hostnames must accept the request's host (else 404), the rule with the winning match
// takes it (http-route-match.ts; none: 404), and its backendRefs split it by weight
// (gateway-backend-refs.ts: invalid backends 500, no ready endpoint 503). A rule without
// backendRefs, or whose weights are all 0, answers 500. A RequestRedirect filter answers with its
// statusCode (default 302). RequestMirror filters copy the rule's (or a backendRef's) requests.
// Other filters (header modifiers, URLRewrite, CORS, ExtensionRef...) do not change where a request
// goes and are not modelled.
import { backendRefsDecision, type GatewayRefContext, mirrorFilters } from './gateway-backend-refs';
import { type RouteRulesKind, routeRulesRouter } from './gateway-route-rules';
import { type HttpMatch, parseHttpMatches, rankHttpMatch } from './http-route-match';
import { isObject } from './json-shape';
import { answered, type ProblemList, type RouteDecision, type Router } from './route-decision';
import type { ServiceWorld } from './service-endpoints';

export const HTTP_ANSWERS = { invalid: '500', noEndpoints: '503' } as const;

const REDIRECT_CODES = [301, 302, 303, 307, 308];

const HTTP_ROUTE: RouteRulesKind<HttpMatch> = {
  answers: HTTP_ANSWERS,
  noRoute: '404',
  rulesProblem: (rules) =>
    rules === undefined || rules === null
      ? 'missing: every request gets 404'
      : 'expected a list of rules: every request gets 404',
  readRule: (rule, at, id, ctx) => {
    const matches = parseHttpMatches(rule['matches'], `${at}.matches`, ctx.problems);
    return { matches, decision: ruleDecision(id, rule, at, ctx) };
  },
  rank: rankHttpMatch,
};

/** The model of a data plane serving one HTTPRoute; `object` names it (`HTTPRoute default/shop`). */
export function httpRouteRouter(route: unknown, world: ServiceWorld, object: string): Router {
  return routeRulesRouter(route, world, object, HTTP_ROUTE);
}

function ruleDecision(
  id: string,
  rule: Record<string, unknown>,
  at: string,
  ctx: GatewayRefContext,
): RouteDecision {
  const mirrors = mirrorFilters(rule['filters'], `${at}.filters`, ctx);
  const redirect = redirectOf(rule['filters'], `${at}.filters`, ctx.problems);
  if (redirect !== undefined) return { ...answered(id, String(redirect), 'RequestRedirect filter'), mirrors };
  return backendRefsDecision(id, rule['backendRefs'], `${at}.backendRefs`, ctx, mirrors);
}

function redirectOf(filters: unknown, at: string, problems: ProblemList): number | undefined {
  if (!Array.isArray(filters)) return undefined;
  for (const [i, filter] of filters.entries()) {
    if (!isObject(filter) || filter['type'] !== 'RequestRedirect') continue;
    const code =
      (isObject(filter['requestRedirect']) ? filter['requestRedirect']['statusCode'] : undefined) ?? 302;
    if (!REDIRECT_CODES.includes(code as number)) {
      problems.add(
        `${at}[${i}].requestRedirect.statusCode`,
        `expected one of ${REDIRECT_CODES.join(', ')}; read as 302`,
      );
      return 302;
    }
    return code as number;
  }
  return undefined;
}
