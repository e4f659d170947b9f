// A VirtualService as the split wants it: the routes that carry the split weighted (istio-routes.ts),
// and the managed header and mirror routes in force on top of the HTTP routes
// (istio-managed-routes.ts); and the Event its write is announced with, in Argo's words. Pure.
import { jsonEqual } from '@ramp/api';
import { type CanaryDestination, withManagedRoutes } from './istio-managed-routes';
import {
  Flaw,
  isJson,
  type Json,
  routeName,
  routesOf,
  type SplitRoute,
  type SplitTargets,
  weightedRoute,
} from './istio-routes';
import type { RouteEvent, RouteIntent, RouteObject } from './router';

export interface DesiredService {
  object: RouteObject;
  /** Whether the weights of the routes carrying the split change (else only the managed routes do). */
  weightsChanged: boolean;
}

export interface ManagedRouteSetup {
  /** The HTTP route names that are Ramp's (trafficRouting.managedRoutes). */
  managedNames: ReadonlySet<string>;
  /** Where header and mirror routes send the canary's requests (asked only when some are written). */
  canary: () => CanaryDestination | Flaw;
}

/** The VirtualService with the split's weights and the managed routes in force, or what is wrong. */
export function desiredVirtualService(
  current: RouteObject,
  splits: readonly SplitRoute[],
  targets: SplitTargets,
  intent: RouteIntent,
  managed: ManagedRouteSetup,
): DesiredService | Flaw {
  const object = structuredClone(current);
  const spec = object.spec as Json;
  let weightsChanged = false;
  let firstHttp: SplitRoute | undefined;
  for (const split of splits) {
    const weighted = weightedRoute(split, targets, intent.weight, intent.maxWeight);
    if (weighted instanceof Flaw) return weighted;
    (spec[split.kind] as Json[])[split.index] = weighted;
    weightsChanged ||= !jsonEqual(weighted, split.route);
    if (split.kind === 'http' && !firstHttp)
      firstHttp = { ...split, route: weighted, destinations: weighted.route as Json[] };
  }
  const http = routesOf(spec, 'http');
  if (!Array.isArray(http)) {
    if (intent.managedRoutes.length === 0) return { object, weightsChanged };
    return new Flaw(
      'spec.http',
      `is not set, so the managed route "${intent.managedRoutes[0]!.name}" has no place; give the VirtualService its HTTP routes, or leave the header and mirror steps out`,
    );
  }
  const { managedNames } = managed;
  if (intent.managedRoutes.length === 0 && !http.some((r) => managedNames.has(routeName(r) ?? '')))
    return { object, weightsChanged };
  const canary = managed.canary();
  if (canary instanceof Flaw) return canary;
  const routes = withManagedRoutes(http, intent.managedRoutes, managedNames, canary, firstHttp);
  if (routes instanceof Flaw) return routes;
  spec.http = routes;
  return { object, weightsChanged };
}

/**
 * Argo's Event for a VirtualService update (reason "Updated VirtualService"): the weight it is set
 * to, or, when only the managed routes change, the route set or that all of them were removed.
 */
export function virtualServiceEvent(
  name: string,
  current: RouteObject,
  desired: DesiredService,
  intent: RouteIntent,
  managedNames: ReadonlySet<string>,
): RouteEvent {
  const reason = 'Updated VirtualService';
  if (desired.weightsChanged)
    return { reason, message: `VirtualService \`${name}\` set to desiredWeight '${intent.weight}'` };
  const managedOf = (o: RouteObject) => {
    const routes = isJson(o.spec) ? routesOf(o.spec, 'http') : undefined;
    return (Array.isArray(routes) ? routes : []).filter((r) => managedNames.has(routeName(r) ?? ''));
  };
  const before = managedOf(current);
  const after = managedOf(desired.object);
  const set = after.find((r) => !before.some((b) => jsonEqual(b, r)));
  if (!set && after.length === 0)
    return { reason, message: `VirtualService \`${name}\` removed all managed routes.` };
  const route = set ?? before.find((b) => !after.some((r) => routeName(r) === routeName(b)));
  const kind = route?.mirror !== undefined ? 'mirrorRoute' : 'headerRoute';
  return { reason, message: `VirtualService \`${name}\` set ${kind} '${route ? routeName(route) : ''}'` };
}
