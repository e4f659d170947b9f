// The kinds of the objects a routed canary's traffic goes through, as the REST API addresses them, with
// the versions to try in order (the first one the cluster serves is used). The same table as the
// controller's routing/route-resources.ts: TCPRoute and TLSRoute are v1 from Gateway API v1.5 on and
// v1alpha2 before; a TrafficSplit is whichever SMI version the cluster serves.
import type { ResourceType } from '@ramp/kube';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'Ingress' | 'TrafficSplit';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

const gateway = (plural: string, kind: RouteKind, version: string): ResourceType => ({
  group: GATEWAY_GROUP,
  version,
  plural,
  namespaced: true,
  kind,
});

const trafficSplit = (version: string): ResourceType => ({
  group: 'split.smi-spec.io',
  version,
  plural: 'trafficsplits',
  namespaced: true,
  kind: 'TrafficSplit',
});

/** Each kind's resource at the versions to try, preferred first. */
export const ROUTE_RESOURCES: Record<RouteKind, readonly ResourceType[]> = {
  HTTPRoute: [gateway('httproutes', 'HTTPRoute', 'v1')],
  GRPCRoute: [gateway('grpcroutes', 'GRPCRoute', 'v1')],
  TCPRoute: [gateway('tcproutes', 'TCPRoute', 'v1'), gateway('tcproutes', 'TCPRoute', 'v1alpha2')],
  TLSRoute: [gateway('tlsroutes', 'TLSRoute', 'v1'), gateway('tlsroutes', 'TLSRoute', 'v1alpha2')],
  Ingress: [
    { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true, kind: 'Ingress' },
  ],
  TrafficSplit: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'].map(trafficSplit),
};

/** `httproutes.gateway.networking.k8s.io`, as kubectl and RBAC name a resource. */
export const qualifiedName = (res: ResourceType): string =>
  res.group ? `${res.plural}.${res.group}` : res.plural;
