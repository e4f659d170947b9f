// The API resources of the routing objects, with the versions to try in order: the first one the API
// server serves is the one read and written. TCPRoute and TLSRoute are v1 from Gateway API v1.5 on
// (v1alpha2 before, and in its experimental channel); a TrafficSplit's version is the controller's
// --traffic-split-api-version (Argo's flag, default v1alpha1), then the others SMI has had.
import type { ResourceType } from '@ramp/kube';
import type { RouteResourceName } from './router';

const gateway = (plural: string, kind: string, version: string): ResourceType => ({
  group: 'gateway.networking.k8s.io',
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

const resource = (group: string, version: string, plural: string, kind: string): ResourceType => ({
  group,
  version,
  plural,
  namespaced: true,
  kind,
});

/** Istio's networking versions, Argo's default (--istio-api-version v1alpha3) first. */
const ISTIO_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'];

export const SMI_VERSIONS = ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'] as const;
export type SmiVersion = (typeof SMI_VERSIONS)[number];

/** Each routing resource's versions, preferred first. */
export function routeResourceVersions(
  smiVersion: SmiVersion = 'v1alpha1',
): Record<RouteResourceName, ResourceType[]> {
  return {
    httproutes: [gateway('httproutes', 'HTTPRoute', 'v1')],
    grpcroutes: [gateway('grpcroutes', 'GRPCRoute', 'v1')],
    tcproutes: [gateway('tcproutes', 'TCPRoute', 'v1'), gateway('tcproutes', 'TCPRoute', 'v1alpha2')],
    tlsroutes: [gateway('tlsroutes', 'TLSRoute', 'v1'), gateway('tlsroutes', 'TLSRoute', 'v1alpha2')],
    ingresses: [
      { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true, kind: 'Ingress' },
    ],
    trafficsplits: [smiVersion, ...SMI_VERSIONS.filter((v) => v !== smiVersion)].map(trafficSplit),
    virtualservices: ISTIO_VERSIONS.map((v) =>
      resource('networking.istio.io', v, 'virtualservices', 'VirtualService'),
    ),
    destinationrules: ISTIO_VERSIONS.map((v) =>
      resource('networking.istio.io', v, 'destinationrules', 'DestinationRule'),
    ),
    apisixroutes: ['v2', 'v2beta3'].map((v) =>
      resource('apisix.apache.org', v, 'apisixroutes', 'ApisixRoute'),
    ),
    // Argo's default (traefik.io), then the group Traefik used before v3
    traefikservices: [
      resource('traefik.io', 'v1alpha1', 'traefikservices', 'TraefikService'),
      resource('traefik.containo.us', 'v1alpha1', 'traefikservices', 'TraefikService'),
    ],
    // Argo's default (getambassador.io/v2), then Emissary's v3alpha1
    mappings: ['v2', 'v3alpha1'].map((v) => resource('getambassador.io', v, 'mappings', 'Mapping')),
  };
}

/** The routing resource of an object's kind (list items and watch events carry it). */
export const ROUTE_KINDS: Record<string, RouteResourceName | undefined> = {
  HTTPRoute: 'httproutes',
  GRPCRoute: 'grpcroutes',
  TCPRoute: 'tcproutes',
  TLSRoute: 'tlsroutes',
  Ingress: 'ingresses',
  TrafficSplit: 'trafficsplits',
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
  ApisixRoute: 'apisixroutes',
  TraefikService: 'traefikservices',
  Mapping: 'mappings',
};
