// The kinds of the objects a routed canary's traffic goes through, as the REST API addresses them, with
// the versions to try in order (the first one the cluster serves is used): the controller's own table
// (@ramp/controller's routeResourceVersions), by kind. The plugin reads these with the user's
// credentials (`get`, or `list` when several of a kind share a namespace), so they are also the RBAC a
// user of `get rollout` needs on top of Rollouts, ReplicaSets, pods and AnalysisRuns.
import { ROUTE_KINDS, routeResourceVersions } from '@ramp/controller';
import type { ResourceType } from '@ramp/kube';

export const ROUTE_KIND_NAMES = [
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'TLSRoute',
  'Ingress',
  'TrafficSplit',
  'VirtualService',
  'DestinationRule',
  'ApisixRoute',
  'TraefikService',
  'Mapping',
] as const;

export type RouteKind = (typeof ROUTE_KIND_NAMES)[number];

const versions = routeResourceVersions();

/** Each kind's resource at the versions to try, preferred first. */
export const ROUTE_RESOURCES = Object.fromEntries(
  ROUTE_KIND_NAMES.map((kind) => [kind, versions[ROUTE_KINDS[kind]!]]),
) as unknown as Record<RouteKind, readonly ResourceType[]>;

/** `httproutes.gateway.networking.k8s.io`, as kubectl and RBAC name a resource. */
export const qualifiedName = (res: ResourceType): string =>
  res.group ? `${res.plural}.${res.group}` : res.plural;
