// TCPRoute and TLSRoute (gateway.networking.k8s.io/v1alpha2, also read at v1) as a Gateway's data
// plane applies them to connections: each of the traffic's requests is one connection. A TLSRoute's
// hostnames must accept the SNI name (--host; none given: accepted), else the connection is
// rejected. Their rules carry no matches, so nothing chooses between several: the first rule is
// used and the others are reported. Its backendRefs split connections by weight
// (gateway-backend-refs.ts); an invalid backend or one without a ready endpoint rejects its share
// of connections, as the spec says, and so does a rule without backendRefs or with all weights 0.
import { backendRefsDecision, type GatewayRefContext } from './gateway-backend-refs';
import { routeAcceptsHost } from './gateway-hostnames';
import { isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import { answered, fixedRouter, ProblemList, type Router } from './route-decision';
import type { ServiceWorld } from './service-endpoints';

export const STREAM_ANSWERS = { invalid: 'rejected', noEndpoints: 'rejected' } as const;

/** The model of a data plane serving one TCPRoute or TLSRoute; `object` names it. */
export function streamRouteRouter(
  route: unknown,
  world: ServiceWorld,
  object: string,
  kind: 'TCPRoute' | 'TLSRoute',
): Router {
  const problems = new ProblemList(object);
  const spec = isObject(route) ? route['spec'] : undefined;
  const rejectAll = (reason: string): Router =>
    fixedRouter(object, problems, answered('none', 'rejected', reason));
  if (!isObject(spec)) {
    problems.add('spec', 'missing: every connection is rejected');
    return rejectAll('no rule');
  }
  const rules = spec['rules'];
  if (!Array.isArray(rules) || rules.length === 0 || !isObject(rules[0])) {
    problems.add('spec.rules', 'expected a list of at least one rule: every connection is rejected');
    return rejectAll('no rule');
  }
  if (rules.length > 1)
    problems.add(
      'spec.rules',
      `${rules.length} rules: ${kind} rules have no matches to choose between them, only rules[0] is used`,
    );
  const ctx: GatewayRefContext = { world, problems, answers: STREAM_ANSWERS };
  const decision = backendRefsDecision('rules[0]', rules[0]['backendRefs'], 'spec.rules[0].backendRefs', ctx);
  const hostnames = kind === 'TLSRoute' ? spec['hostnames'] : undefined;
  routeAcceptsHost(hostnames, undefined, 'spec.hostnames', problems);
  const quiet = new ProblemList(object);
  return {
    entry: object,
    problems: problems.items,
    decide: (request: RequestClass) =>
      routeAcceptsHost(hostnames, request.host, 'spec.hostnames', quiet)
        ? decision
        : answered('none', 'rejected', `SNI "${request.host}" is not among the route's hostnames`),
  };
}
