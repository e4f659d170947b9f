// The entry point the traffic follows (`--route KIND/NAME`), and for each kind of routing object
// the API it is read from: the group, the plural and the versions the model reads, most preferred
// first (the API server's discovery decides which one is served).

export type RouteKind =
  | 'httproute'
  | 'grpcroute'
  | 'tcproute'
  | 'tlsroute'
  | 'trafficsplit'
  | 'virtualservice'
  | 'apisixroute'
  | 'traefikservice'
  | 'mapping'
  | 'ingress'
  | 'albingress'
  | 'service';

/** The kinds read as Ingresses (networking.k8s.io/v1): ingress-nginx's and the AWS Load Balancer Controller's. */
export type IngressKind = 'ingress' | 'albingress';

export interface RouteEntry {
  kind: RouteKind;
  name: string;
}

export interface RoutingResource {
  kind: string;
  group: string;
  plural: string;
  /** The versions whose shape the model reads, in the order tried when the server serves several. */
  versions: readonly string[];
  /** Other groups of the same kind and versions, tried after `group` (Traefik before v3: traefik.containo.us). */
  otherGroups?: readonly string[];
  /**
   * Every object of the kind in the namespace is read, not only the entry: the data plane combines them
   * (APISIX's routes, nested TraefikServices, the Mappings of one prefix).
   */
  readsAll?: boolean;
}

/** Istio's DestinationRules, read with a VirtualService for the subsets its destinations name. */
export const DESTINATION_RULES: RoutingResource = {
  kind: 'DestinationRule',
  group: 'networking.istio.io',
  plural: 'destinationrules',
  versions: ['v1alpha3', 'v1beta1', 'v1'],
};

/** The custom resources (read through discovery and the custom objects API). */
export const ROUTING_RESOURCES: Readonly<
  Record<Exclude<RouteKind, IngressKind | 'service'>, RoutingResource>
> = {
  httproute: {
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    plural: 'httproutes',
    versions: ['v1', 'v1beta1'],
  },
  grpcroute: {
    kind: 'GRPCRoute',
    group: 'gateway.networking.k8s.io',
    plural: 'grpcroutes',
    versions: ['v1', 'v1alpha2'],
  },
  tcproute: {
    kind: 'TCPRoute',
    group: 'gateway.networking.k8s.io',
    plural: 'tcproutes',
    versions: ['v1alpha2', 'v1'],
  },
  tlsroute: {
    kind: 'TLSRoute',
    group: 'gateway.networking.k8s.io',
    plural: 'tlsroutes',
    versions: ['v1alpha2', 'v1alpha3', 'v1'],
  },
  trafficsplit: {
    kind: 'TrafficSplit',
    group: 'split.smi-spec.io',
    plural: 'trafficsplits',
    versions: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  },
  virtualservice: {
    kind: 'VirtualService',
    group: 'networking.istio.io',
    plural: 'virtualservices',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
  },
  apisixroute: {
    kind: 'ApisixRoute',
    group: 'apisix.apache.org',
    plural: 'apisixroutes',
    versions: ['v2', 'v2beta3'],
    readsAll: true,
  },
  traefikservice: {
    kind: 'TraefikService',
    group: 'traefik.io',
    plural: 'traefikservices',
    versions: ['v1alpha1'],
    otherGroups: ['traefik.containo.us'],
    readsAll: true,
  },
  mapping: {
    kind: 'Mapping',
    group: 'getambassador.io',
    plural: 'mappings',
    versions: ['v2', 'v3alpha1'],
    readsAll: true,
  },
};

const ALIASES: Readonly<Record<string, RouteKind>> = {
  httproute: 'httproute',
  httproutes: 'httproute',
  grpcroute: 'grpcroute',
  grpcroutes: 'grpcroute',
  tcproute: 'tcproute',
  tcproutes: 'tcproute',
  tlsroute: 'tlsroute',
  tlsroutes: 'tlsroute',
  trafficsplit: 'trafficsplit',
  trafficsplits: 'trafficsplit',
  ts: 'trafficsplit',
  virtualservice: 'virtualservice',
  virtualservices: 'virtualservice',
  vs: 'virtualservice',
  apisixroute: 'apisixroute',
  apisixroutes: 'apisixroute',
  ar: 'apisixroute',
  traefikservice: 'traefikservice',
  traefikservices: 'traefikservice',
  mapping: 'mapping',
  mappings: 'mapping',
  ingress: 'ingress',
  ingresses: 'ingress',
  ing: 'ingress',
  alb: 'albingress',
  albingress: 'albingress',
  'alb-ingress': 'albingress',
  service: 'service',
  services: 'service',
  svc: 'service',
};

/** `httproute/shop`, `TrafficSplit/shop`, `svc/shop`...; throws with what is wrong. */
export function parseRouteEntry(text: string): RouteEntry {
  const slash = text.indexOf('/');
  const kind = ALIASES[(slash < 0 ? text : text.slice(0, slash)).toLowerCase()];
  const name = slash < 0 ? '' : text.slice(slash + 1);
  if (!kind || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    throw new Error(
      `expected KIND/NAME with KIND one of httproute, grpcroute, tcproute, tlsroute, trafficsplit, virtualservice, apisixroute, traefikservice, mapping, ingress, alb, service; got "${text}"`,
    );
  return { kind, name };
}

export function isIngressKind(kind: RouteKind): kind is IngressKind {
  return kind === 'ingress' || kind === 'albingress';
}

export function describeEntry(entry: RouteEntry, namespace: string): string {
  const kind = isIngressKind(entry.kind)
    ? 'Ingress'
    : entry.kind === 'service'
      ? 'Service'
      : ROUTING_RESOURCES[entry.kind].kind;
  return `${kind} ${namespace}/${entry.name}`;
}
