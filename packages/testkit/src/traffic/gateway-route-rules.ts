// What HTTPRoute and GRPCRoute share as a Gateway's data plane applies them: the route's hostnames
// must accept the request's host, and the rule with the winning match takes it: among the matches
// the request satisfies, the one the route kind ranks highest (match-precedence.ts; a tie goes to
// the first rule). No rule taking it, or no spec, gives the kind's no-route answer (HTTP 404, gRPC
// UNIMPLEMENTED). A rule that is not an object never matches. A rule without matches matches every
// request, as its kind's default match says.
import type { GatewayRefContext } from './gateway-backend-refs';
import { routeAcceptsHost } from './gateway-hostnames';
import { isObject } from './json-shape';
import { compareRanks } from './match-precedence';
import type { RequestClass } from './request-mix';
import { answered, fixedRouter, ProblemList, type RouteDecision, type Router } from './route-decision';
import type { BackendAnswers, ServiceWorld } from './service-endpoints';

export interface GatewayRule<M> {
  matches: readonly M[];
  decision: RouteDecision;
}

/** How one route kind, with matches of type M, answers, reads a rule and ranks a match. */
export interface RouteRulesKind<M> {
  answers: BackendAnswers;
  /** What a request that no rule takes gets. */
  noRoute: string;
  /** The problem of a `spec.rules` that is not a list. */
  rulesProblem(rules: unknown): string;
  /** The matches and decision of the rule object at `at` (`id` names it: `rules[i]`). */
  readRule(rule: Record<string, unknown>, at: string, id: string, ctx: GatewayRefContext): GatewayRule<M>;
  /** The rank of a match the request satisfies (larger wins), or undefined when it does not. */
  rank(match: M, request: RequestClass): readonly number[] | undefined;
}

/** The model of a data plane serving one route of `kind`; `object` names it (`HTTPRoute default/shop`). */
export function routeRulesRouter<M>(
  route: unknown,
  world: ServiceWorld,
  object: string,
  kind: RouteRulesKind<M>,
): Router {
  const problems = new ProblemList(object);
  const spec = isObject(route) ? route['spec'] : undefined;
  if (!isObject(spec)) {
    problems.add('spec', `missing: the route has no rules, every request gets ${kind.noRoute}`);
    return fixedRouter(object, problems, answered('none', kind.noRoute, 'no rule'));
  }
  const rules = readRules(spec['rules'], { world, problems, answers: kind.answers }, kind);
  const hostnames = spec['hostnames'];
  // Reported once, at build time.
  routeAcceptsHost(hostnames, undefined, 'spec.hostnames', problems);
  const quiet = new ProblemList(object);
  return {
    entry: object,
    problems: problems.items,
    decide(request: RequestClass): RouteDecision {
      if (!routeAcceptsHost(hostnames, request.host, 'spec.hostnames', quiet))
        return answered('none', kind.noRoute, `host "${request.host}" is not among the route's hostnames`);
      let best: { rank: readonly number[]; rule: GatewayRule<M> } | undefined;
      for (const rule of rules)
        for (const match of rule.matches) {
          const rank = kind.rank(match, request);
          if (rank && (!best || compareRanks(rank, best.rank) > 0)) best = { rank, rule };
        }
      return best ? best.rule.decision : answered('none', kind.noRoute, 'no rule matches the request');
    },
  };
}

function readRules<M>(rules: unknown, ctx: GatewayRefContext, kind: RouteRulesKind<M>): GatewayRule<M>[] {
  if (!Array.isArray(rules)) {
    ctx.problems.add('spec.rules', kind.rulesProblem(rules));
    return [];
  }
  return rules.map((rule: unknown, i) => {
    const at = `spec.rules[${i}]`;
    const id = `rules[${i}]`;
    if (!isObject(rule)) {
      ctx.problems.add(at, 'expected a rule object; it never matches');
      return { matches: [], decision: answered(id, kind.answers.invalid, 'unreadable rule') };
    }
    return kind.readRule(rule, at, id, ctx);
  });
}

/**
 * The matches of a rule's `matches` list (`field` is its path) that can ever hold: none given, only
 * `whenNone`; a list that is not one, or an entry that is not an object or that `readMatch` cannot
 * read (undefined), is reported and never matches.
 */
export function readMatchList<M>(
  matches: unknown,
  field: string,
  problems: ProblemList,
  whenNone: M,
  readMatch: (match: Record<string, unknown>, at: string) => M | undefined,
): M[] {
  if (matches === undefined || matches === null || (Array.isArray(matches) && matches.length === 0))
    return [whenNone];
  if (!Array.isArray(matches)) {
    problems.add(field, 'expected a list of matches; the rule never matches');
    return [];
  }
  const out: M[] = [];
  matches.forEach((m: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(m)) {
      problems.add(at, 'expected a match object; it never matches');
      return;
    }
    const match = readMatch(m, at);
    if (match !== undefined) out.push(match);
  });
  return out;
}
