// Istio VirtualService (networking.istio.io v1alpha3, v1beta1, v1) as istiod configures a sidecar's
// or gateway's Envoy for it. The requests are for a host (`--host`, else the VirtualService's first
// host) that `spec.hosts` must cover (the same Service by short name or FQDN, the same name, or a
// wildcard); a host it does not cover, a VirtualService that does not exist, or one with no route for
// the requests' protocol leaves them to the host's own Service (a sidecar's default route), or 404 /
// a rejected connection when the host is not a Service of the namespace.
//   - HTTP (the default protocol): the `http` routes in order, the first whose match holds takes the
//     request (istio-match.ts); none: 404. A route `redirect`s (its redirectCode, default 301),
//     answers a `directResponse` status, or sends the request to its `route` destinations
//     (istio-destination.ts): one destination takes everything whatever its weight; several split by
//     weight (a missing weight is 0, 0 gets nothing). `mirror` copies `mirrorPercentage.value` percent
//     (or the older `mirrorPercent`, default 100; 0 mirrors nothing) of the route's requests to its
//     destination; copies are counted apart and never answer the client.
//   - TLS (`--protocol tls`): the `tls` routes' matches whose `port` fits; the connection's SNI
//     (`--host`) picks among them by `sniHosts` as Envoy picks a filter chain (an exact name before the
//     longest wildcard; the first on a tie); none fits: rejected.
//   - TCP (`--protocol tcp`): the first `tcp` route without matches or with a match whose `port` fits.
// A destination that cannot be resolved (a host that is not a Service of the namespace, a Service or
// subset that does not exist, a port the Service lacks) is a cluster Envoy does not have: its share
// gets 503 (HTTP) or is rejected (TCP, TLS), and a mirror to it is dropped; a resolved one without
// ready endpoints: 503 / rejected. Not modelled: delegate VirtualServices, `gateways` (every request
// is taken to come through them), fault injection, retries, timeouts, rewrites, header changes, CORS.
import {
  DestinationRuleIndex,
  hostCovers,
  type IstioContext,
  istioTarget,
  serviceOfHost,
} from './istio-destination';
import { type IstioHttpMatch, istioHttpMatchHolds, parseIstioHttpMatches } from './istio-match';
import { field, isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import {
  answered,
  type Mirror,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import { type BackendAnswers, type ServiceWorld, serviceDestination } from './service-endpoints';

export const ISTIO_HTTP_ANSWERS: BackendAnswers = { invalid: '503', noEndpoints: '503' };
export const ISTIO_STREAM_ANSWERS: BackendAnswers = { invalid: 'rejected', noEndpoints: 'rejected' };

const REDIRECT_CODES = [301, 302, 303, 307, 308];

interface HttpRoute {
  id: string;
  matches: readonly IstioHttpMatch[];
  decision: RouteDecision;
}

interface StreamMatch {
  port?: number;
  /** TLS only; lower case. */
  sniHosts: readonly string[];
}

interface StreamRoute {
  id: string;
  /** Empty: the route has no match list (every connection). */
  matches: readonly StreamMatch[];
  decision: RouteDecision;
}

/**
 * The model of a mesh applying one VirtualService (undefined: not found) with the namespace's
 * DestinationRules; `object` names it; `lastSeen` is the last one read (its hosts outlive it).
 */
export function virtualServiceRouter(
  vs: unknown,
  destinationRules: readonly unknown[],
  world: ServiceWorld,
  object: string,
  lastSeen?: unknown,
): Router {
  const problems = new ProblemList(object);
  const ctx: IstioContext = {
    world,
    rules: new DestinationRuleIndex(destinationRules, world.namespace, problems),
    problems,
  };
  const hosts = hostsOf(vs ?? lastSeen, vs === undefined ? new ProblemList(object) : problems);
  const byDefault = (request: RequestClass, reason: string) =>
    defaultDecision(request, request.host ?? hosts[0], world, reason);
  if (vs === undefined) {
    problems.add(
      '',
      "not found: requests for its host go to the host's own Service, as without a VirtualService",
    );
    return { entry: object, problems: problems.items, decide: (r) => byDefault(r, 'no VirtualService') };
  }
  const spec = field(vs, 'spec');
  if (!isObject(spec)) problems.add('spec', 'missing: the VirtualService routes nothing');
  const http = readHttpRoutes(field(spec, 'http'), ctx);
  const tls = readStreamRoutes(field(spec, 'tls'), 'tls', ctx);
  const tcp = readStreamRoutes(field(spec, 'tcp'), 'tcp', ctx);
  if (field(spec, 'gateways') !== undefined && !Array.isArray(field(spec, 'gateways')))
    problems.add('spec.gateways', 'expected a list of gateway names');
  return {
    entry: object,
    problems: problems.items,
    decide(request: RequestClass): RouteDecision {
      if (request.host !== undefined && !hosts.some((h) => hostCovers(h, request.host!, world.namespace)))
        return byDefault(request, `host "${request.host}" is not among the VirtualService's hosts`);
      if (request.protocol === 'http') {
        const candidates = http.filter((r) => r.matches.some((m) => portFits(m.port, request)));
        if (candidates.length === 0) return byDefault(request, 'no http route for this port');
        for (const route of candidates)
          if (route.matches.some((m) => portFits(m.port, request) && istioHttpMatchHolds(m, request)))
            return route.decision;
        return answered('none', '404', 'no http route matches the request');
      }
      if (request.protocol === 'tcp') {
        const route = tcp.find(
          (r) => r.matches.length === 0 || r.matches.some((m) => portFits(m.port, request)),
        );
        return route ? route.decision : byDefault(request, 'no tcp route for this port');
      }
      const candidates = tls.flatMap((r) =>
        r.matches.filter((m) => portFits(m.port, request)).map((m) => ({ route: r, match: m })),
      );
      if (candidates.length === 0) return byDefault(request, 'no tls route for this port');
      let best: { route: StreamRoute; rank: number } | undefined;
      for (const c of candidates) {
        const rank = sniRank(c.match.sniHosts, request.host);
        if (rank >= 0 && (!best || rank > best.rank)) best = { route: c.route, rank };
      }
      return best
        ? best.route.decision
        : answered('none', 'rejected', `no tls route matches SNI "${request.host}"`);
    },
  };
}

function hostsOf(vs: unknown, problems: ProblemList): string[] {
  const hosts = field(field(vs, 'spec'), 'hosts');
  if (vs === undefined) return [];
  if (!Array.isArray(hosts) || hosts.length === 0) {
    problems.add(
      'spec.hosts',
      hosts === undefined || hosts === null || Array.isArray(hosts)
        ? 'missing: the VirtualService applies to no host'
        : 'expected a list of hosts: the VirtualService applies to no host',
    );
    return [];
  }
  const names = hosts.filter((h): h is string => typeof h === 'string' && h !== '');
  if (names.length !== hosts.length) problems.add('spec.hosts', 'every host must be a non-empty string');
  return names;
}

/** Where requests go without a route of the VirtualService: the host's own Service, when it names one. */
function defaultDecision(
  request: RequestClass,
  host: string | undefined,
  world: ServiceWorld,
  reason: string,
): RouteDecision {
  const http = request.protocol === 'http';
  const service = host === undefined ? undefined : serviceOfHost(host, world.namespace);
  if (service === undefined || !world.service(service))
    return answered(
      'none',
      http ? '404' : 'rejected',
      `${reason}, and the host is not a Service of the namespace`,
    );
  const destination = serviceDestination(world, service, http ? ISTIO_HTTP_ANSWERS : ISTIO_STREAM_ANSWERS);
  return { rule: 'default', destinations: [{ weight: 1, destination, mirrors: [] }], mirrors: [] };
}

function portFits(port: number | undefined, request: RequestClass): boolean {
  return port === undefined || request.port === undefined || port === request.port;
}

/** How well the SNI fits the names (larger is better; -1: it does not): exact, then the longest wildcard. */
function sniRank(sniHosts: readonly string[], sni: string | undefined): number {
  if (sni === undefined) return 0;
  let rank = -1;
  for (const name of sniHosts) {
    if (name === sni) return Number.MAX_SAFE_INTEGER;
    if (name === '*') rank = Math.max(rank, 0);
    else if (name.startsWith('*.') && sni.endsWith(name.slice(1)) && sni.length > name.length - 1)
      rank = Math.max(rank, name.length);
  }
  return rank;
}

function readHttpRoutes(routes: unknown, ctx: IstioContext): HttpRoute[] {
  if (routes === undefined || routes === null) return [];
  if (!Array.isArray(routes)) {
    ctx.problems.add('spec.http', 'expected a list of http routes; none is read');
    return [];
  }
  const out: HttpRoute[] = [];
  routes.forEach((route: unknown, i) => {
    const at = `spec.http[${i}]`;
    const id = `http[${i}]`;
    if (!isObject(route)) {
      ctx.problems.add(at, 'expected an http route; it never matches');
      return;
    }
    const decision = httpDecision(route, at, id, ctx);
    if (!decision) return;
    out.push({ id, matches: parseIstioHttpMatches(route['match'], `${at}.match`, ctx.problems), decision });
  });
  return out;
}

/** What an http route does with the requests it takes; undefined when istiod would leave it out. */
function httpDecision(
  route: Record<string, unknown>,
  at: string,
  id: string,
  ctx: IstioContext,
): RouteDecision | undefined {
  if (route['delegate'] !== undefined) {
    ctx.problems.add(`${at}.delegate`, 'delegate VirtualServices are not modelled; the route is left out');
    return undefined;
  }
  const redirect = route['redirect'];
  if (redirect !== undefined) {
    const code = field(redirect, 'redirectCode') ?? 0;
    if (code === 0) return answered(id, '301', 'redirect');
    if (!REDIRECT_CODES.includes(code as number)) {
      ctx.problems.add(
        `${at}.redirect.redirectCode`,
        `expected one of ${REDIRECT_CODES.join(', ')}, got ${JSON.stringify(code)}: istiod cannot build the route, it is left out`,
      );
      return undefined;
    }
    return answered(id, String(code), 'redirect');
  }
  const direct = route['directResponse'];
  if (direct !== undefined) {
    const status = field(direct, 'status');
    if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
      ctx.problems.add(
        `${at}.directResponse.status`,
        `expected an HTTP status, got ${JSON.stringify(status)}; the route is left out`,
      );
      return undefined;
    }
    return answered(id, String(status), 'directResponse');
  }
  const mirrors = mirrorOf(route, at, ctx);
  return { ...destinationsDecision(id, route['route'], `${at}.route`, ctx, ISTIO_HTTP_ANSWERS), mirrors };
}

function readStreamRoutes(routes: unknown, kind: 'tls' | 'tcp', ctx: IstioContext): StreamRoute[] {
  if (routes === undefined || routes === null) return [];
  if (!Array.isArray(routes)) {
    ctx.problems.add(`spec.${kind}`, `expected a list of ${kind} routes; none is read`);
    return [];
  }
  const out: StreamRoute[] = [];
  routes.forEach((route: unknown, i) => {
    const at = `spec.${kind}[${i}]`;
    const id = `${kind}[${i}]`;
    if (!isObject(route)) {
      ctx.problems.add(at, `expected a ${kind} route; it never matches`);
      return;
    }
    const matches = readStreamMatches(route['match'], `${at}.match`, kind, ctx.problems);
    if (matches === undefined) return;
    const decision = destinationsDecision(id, route['route'], `${at}.route`, ctx, ISTIO_STREAM_ANSWERS);
    out.push({ id, matches, decision });
  });
  return out;
}

/** A stream route's matches; undefined when none can ever hold (reported). */
function readStreamMatches(
  matches: unknown,
  at: string,
  kind: 'tls' | 'tcp',
  problems: ProblemList,
): StreamMatch[] | undefined {
  if (matches === undefined || matches === null || (Array.isArray(matches) && matches.length === 0)) {
    if (kind === 'tls') {
      problems.add(at, 'a tls route needs matches with sniHosts; the route is left out');
      return undefined;
    }
    return [];
  }
  if (!Array.isArray(matches)) {
    problems.add(at, 'expected a list of matches; the route is left out');
    return undefined;
  }
  const out: StreamMatch[] = [];
  matches.forEach((m: unknown, i) => {
    const mat = `${at}[${i}]`;
    if (!isObject(m)) {
      problems.add(mat, 'expected a match object; it never holds');
      return;
    }
    const port = m['port'];
    if (port !== undefined && port !== 0 && !Number.isInteger(port)) {
      problems.add(
        `${mat}.port`,
        `expected a port number, got ${JSON.stringify(port)}; the match never holds`,
      );
      return;
    }
    for (const key of ['sourceLabels', 'sourceNamespace', 'destinationSubnets'])
      if (m[key] !== undefined) problems.add(`${mat}.${key}`, 'not modelled: the condition is taken to hold');
    let sniHosts: string[] = [];
    if (kind === 'tls') {
      const names = m['sniHosts'];
      if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
        problems.add(`${mat}.sniHosts`, 'a tls match needs a list of SNI names; the match never holds');
        return;
      }
      sniHosts = (names as string[]).map((n) => n.toLowerCase());
    }
    out.push({ ...(typeof port === 'number' && port !== 0 ? { port } : {}), sniHosts });
  });
  return out.length > 0 ? out : undefined;
}

/** A route's destinations (`route` list at `at`) and how they split, as istiod builds the Envoy route. */
function destinationsDecision(
  id: string,
  routes: unknown,
  at: string,
  ctx: IstioContext,
  answers: BackendAnswers,
): RouteDecision {
  if (!Array.isArray(routes) || routes.length === 0) {
    ctx.problems.add(
      at,
      `a route needs at least one destination; every request it takes gets ${answers.invalid}`,
    );
    return answered(id, answers.invalid, 'no destination');
  }
  const single = routes.length === 1;
  const destinations: WeightedDestination[] = [];
  let total = 0;
  routes.forEach((route: unknown, i) => {
    const rat = `${at}[${i}]`;
    let weight = 1;
    if (!single) {
      const w = field(route, 'weight') ?? 0;
      if (!Number.isInteger(w) || (w as number) < 0) {
        ctx.problems.add(
          `${rat}.weight`,
          `expected a non-negative integer, got ${JSON.stringify(w)}; the destination is left out`,
        );
        return;
      }
      weight = w as number;
      total += weight;
      // Envoy gets no cluster for a weight of 0 when there are other destinations.
      if (weight === 0) return;
    }
    const target = istioTarget(field(route, 'destination'), `${rat}.destination`, ctx);
    if ('unresolved' in target) {
      ctx.problems.add(target.field, `${target.unresolved}: its share gets ${answers.invalid}`);
      destinations.push({
        weight,
        destination: {
          kind: 'answer',
          code: answers.invalid,
          service: target.service,
          reason: target.unresolved,
        },
        mirrors: [],
      });
      return;
    }
    destinations.push({
      weight,
      destination: serviceDestination(ctx.world, target.service, answers, target.subset),
      mirrors: [],
    });
  });
  if (!single && total !== 100 && total > 0)
    ctx.problems.add(
      at,
      `weights total ${total}, not 100: Istio's validation refuses such a route; read as relative weights`,
    );
  if (destinations.length === 0) {
    ctx.problems.add(
      at,
      `no destination with a weight above 0: every request the route takes gets ${answers.invalid}`,
    );
    return answered(id, answers.invalid, 'no destination with a weight above 0');
  }
  return { rule: id, destinations, mirrors: [] };
}

/** The route's mirror, with its percentage, when it has a resolvable one. */
function mirrorOf(route: Record<string, unknown>, at: string, ctx: IstioContext): Mirror[] {
  const mirror = route['mirror'];
  if (mirror === undefined || mirror === null) return [];
  let fraction = 1;
  const percentage = route['mirrorPercentage'];
  const percent = route['mirrorPercent'];
  if (percentage !== undefined && percentage !== null) {
    const value = field(percentage, 'value') ?? 0;
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
      ctx.problems.add(
        `${at}.mirrorPercentage.value`,
        `expected a percentage within 0..100, got ${JSON.stringify(value)}; the mirror is dropped`,
      );
      return [];
    }
    fraction = value / 100;
  } else if (percent !== undefined && percent !== null) {
    if (!Number.isInteger(percent) || (percent as number) < 0 || (percent as number) > 100) {
      ctx.problems.add(
        `${at}.mirrorPercent`,
        `expected an integer within 0..100, got ${JSON.stringify(percent)}; the mirror is dropped`,
      );
      return [];
    }
    fraction = (percent as number) / 100;
  }
  if (fraction === 0) return [];
  const target = istioTarget(mirror, `${at}.mirror`, ctx);
  if ('unresolved' in target) {
    ctx.problems.add(target.field, `${target.unresolved}: the mirrored copies are dropped`);
    return [];
  }
  return [
    {
      id: `${at}.mirror`,
      service: target.service,
      ...(target.subset ? { subset: target.subset } : {}),
      fraction,
    },
  ];
}
