// The HTTP routes Ramp manages in a VirtualService for setHeaderRoute and setMirrorRoute steps, as
// Argo's createHeaderRoute and createMirrorRoute write them, and their place: the routes in force
// first, in trafficRouting.managedRoutes order (Argo's orderRoutes), then the user's routes as they
// were; a managed name not in force is removed. Pure functions of plain JSON.
import { Flaw, isJson, type Json, routeName, type SplitRoute } from './istio-routes';
import type { HeaderRoute, ManagedRoute, MirrorRoute } from './router';
import type { StringMatch } from './string-match';

/** Where a managed route sends the canary's requests: the canary Service, or the DR host and subset. */
export interface CanaryDestination {
  host: string;
  subset?: string;
}

/** A StringMatch as Istio's: only the fields that are set. */
function istioMatch(match: StringMatch | undefined): Json {
  const out: Json = {};
  if (!match) return out;
  if (match.exact) out.exact = match.exact;
  if (match.prefix) out.prefix = match.prefix;
  if (match.regex) out.regex = match.regex;
  return out;
}

/** The port of a weighted route's first destination (Argo's getVirtualServiceCanaryPort), if it has one. */
function firstPort(split: SplitRoute | undefined): number | undefined {
  const destination = split?.destinations[0]?.destination;
  const port = isJson(destination) && isJson(destination.port) ? destination.port.number : undefined;
  return typeof port === 'number' && port > 0 ? port : undefined;
}

function destination(canary: CanaryDestination, port: number | undefined): Json {
  return {
    host: canary.host,
    ...(port !== undefined ? { port: { number: port } } : {}),
    ...(canary.subset ? { subset: canary.subset } : {}),
  };
}

/** A header route: each header match its own match entry (any of them routes), all to the canary. */
export function headerRoute(route: HeaderRoute, canary: CanaryDestination, weighted?: SplitRoute): Json {
  return {
    name: route.name,
    match: route.match.map((m) => ({ headers: { [m.headerName]: istioMatch(m.headerValue) } })),
    route: [{ destination: destination(canary, firstPort(weighted)), weight: 100 }],
  };
}

/**
 * A mirror route: the matched requests go where the weighted route sends them (the same destinations
 * and weights), and `percentage` of them (default 100) are copied to the canary.
 */
export function mirrorRoute(route: MirrorRoute, canary: CanaryDestination, weighted: SplitRoute): Json {
  return {
    name: route.name,
    match: route.match.map((m) => ({
      ...(m.method ? { method: istioMatch(m.method) } : {}),
      ...(m.path ? { uri: istioMatch(m.path) } : {}),
      ...(m.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(m.headers).map(([name, value]) => [name, istioMatch(value)]),
            ),
          }
        : {}),
    })),
    route: structuredClone(weighted.destinations),
    mirror: destination(canary, firstPort(weighted)),
    mirrorPercentage: { value: route.percentage ?? 100 },
  };
}

/**
 * spec.http with the managed routes in force on top, in their order, and the other routes after
 * (those of a managed name not in force dropped). `weighted` is the first HTTP route carrying the
 * split, after its weights are set: mirror routes copy its destinations, header routes its port.
 */
export function withManagedRoutes(
  http: Json[],
  inForce: readonly ManagedRoute[],
  managedNames: ReadonlySet<string>,
  canary: CanaryDestination,
  weighted: SplitRoute | undefined,
): Json[] | Flaw {
  const managed: Json[] = [];
  for (const route of inForce) {
    if (route.type === 'header') {
      managed.push(headerRoute(route, canary, weighted));
      continue;
    }
    if (!weighted) {
      return new Flaw(
        'spec.http',
        `has no HTTP route carrying the canary split, whose destinations the mirror route "${route.name}" would keep; add one (or name it in the Rollout's routes)`,
      );
    }
    managed.push(mirrorRoute(route, canary, weighted));
  }
  const names = new Set([...managedNames, ...inForce.map((r) => r.name)]);
  return [...managed, ...http.filter((r) => !names.has(routeName(r) ?? ''))];
}
