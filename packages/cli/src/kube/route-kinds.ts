// The kinds of the objects a routed canary's traffic goes through, as the REST API addresses them, with
// the versions to try in order (the first one the cluster serves is used): the controller's own table
// (@ramp/controller's routeResourceVersions), by kind.
import { ROUTE_KINDS, routeResourceVersions } from '@ramp/controller';
import type { ResourceType } from '@ramp/kube';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'Ingress' | 'TrafficSplit';

const versions = routeResourceVersions();

/** Each kind's resource at the versions to try, preferred first. */
export const ROUTE_RESOURCES = Object.fromEntries(
  Object.entries(ROUTE_KINDS).map(([kind, resource]) => [kind, versions[resource!]]),
) as unknown as Record<RouteKind, readonly ResourceType[]>;

/** `httproutes.gateway.networking.k8s.io`, as kubectl and RBAC name a resource. */
export const qualifiedName = (res: ResourceType): string =>
  res.group ? `${res.plural}.${res.group}` : res.plural;
