// HTTPRoute (gateway.networking.k8s.io/v1) as a Gateway's data plane applies it to a request: the
// route's hostnames must accept the request's host (else 404), the rule with the winning match
// takes it (http-route-match.ts; none: 404), and its backendRefs split it by weight
// (gateway-backend-refs.ts: invalid backends 500, no ready endpoint 503). A rule without
// backendRefs, or whose weights are all 0, answers 500. A RequestRedirect filter answers with its
// statusCode (default 302). RequestMirror filters copy the rule's (or a backendRef's) requests.
// Other filters (header modifiers, URLRewrite, CORS, ExtensionRef...) do not change where a request
// goes and are not modelled.
import { backendRefsDecision, type GatewayRefContext, mirrorFilters } from './gateway-backend-refs';
import { routeAcceptsHost } from './gateway-hostnames';
import { type HttpMatch, type HttpMatchRank, parseHttpMatches, rankHttpMatch } from './http-route-match';
import { isObject } from './json-shape';
import { compareRanks } from './match-precedence';
import type { RequestClass } from './request-mix';
import { answered, ProblemList, type RouteDecision, type Router } from './route-decision';
import type { ServiceWorld } from './service-endpoints';

export const HTTP_ANSWERS = { invalid: '500', noEndpoints: '503' } as const;

const REDIRECT_CODES = [301, 302, 303, 307, 308];

interface HttpRule {
  matches: readonly HttpMatch[];
  decision: RouteDecision;
}

/** The model of a data plane serving one HTTPRoute; `object` names it (`HTTPRoute default/shop`). */
export function httpRouteRouter(route: unknown, world: ServiceWorld, object: string): Router {
  const problems = new ProblemList(object);
  const spec = isObject(route) ? route['spec'] : undefined;
  if (!isObject(spec)) {
    problems.add('spec', 'missing: the route has no rules, every request gets 404');
    return { entry: object, problems: problems.items, decide: () => answered('none', '404', 'no rule') };
  }
  const ctx: GatewayRefContext = { world, problems, answers: HTTP_ANSWERS };
  const rules = readRules(spec['rules'], ctx);
  const hostnames = spec['hostnames'];
  // Reported once, at build time.
  routeAcceptsHost(hostnames, undefined, 'spec.hostnames', problems);
  const quiet = new ProblemList(object);
  return {
    entry: object,
    problems: problems.items,
    decide(request: RequestClass): RouteDecision {
      if (!routeAcceptsHost(hostnames, request.host, 'spec.hostnames', quiet))
        return answered('none', '404', `host "${request.host}" is not among the route's hostnames`);
      let best: { rank: HttpMatchRank; rule: HttpRule } | undefined;
      for (const rule of rules)
        for (const match of rule.matches) {
          const rank = rankHttpMatch(match, request);
          if (rank && (!best || compareRanks(rank, best.rank) > 0)) best = { rank, rule };
        }
      return best ? best.rule.decision : answered('none', '404', 'no rule matches the request');
    },
  };
}

function readRules(rules: unknown, ctx: GatewayRefContext): HttpRule[] {
  if (rules === undefined || rules === null) {
    ctx.problems.add('spec.rules', 'missing: every request gets 404');
    return [];
  }
  if (!Array.isArray(rules)) {
    ctx.problems.add('spec.rules', 'expected a list of rules: every request gets 404');
    return [];
  }
  return rules.map((rule: unknown, i) => {
    const at = `spec.rules[${i}]`;
    const id = `rules[${i}]`;
    if (!isObject(rule)) {
      ctx.problems.add(at, 'expected a rule object; it never matches');
      return { matches: [], decision: answered(id, '500', 'unreadable rule') };
    }
    const matches = parseHttpMatches(rule['matches'], `${at}.matches`, ctx.problems);
    return { matches, decision: ruleDecision(id, rule, at, ctx) };
  });
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
