// Services and their endpoints as a data plane sees them: a Service's endpoints are the ready pods
// of its namespace that its selector selects (what the EndpointSlice controller would publish). A
// Service without a selector has no endpoints here (hand-written EndpointSlices are not modelled).
import type { Destination } from './route-decision';
import type { PodView } from './traffic-model';

export interface ServicePortView {
  port: number;
  name?: string;
}

export interface ServiceView {
  name: string;
  /** ClusterIP (default), NodePort, LoadBalancer, ExternalName. */
  type?: string;
  selector?: Readonly<Record<string, string>>;
  ports: readonly ServicePortView[];
}

type ServiceLike = {
  metadata?: { name?: string };
  spec?: { type?: string; selector?: Record<string, string>; ports?: { port?: number; name?: string }[] };
};

export function toServiceView(service: ServiceLike): ServiceView {
  const spec = service.spec ?? {};
  return {
    name: service.metadata?.name ?? '',
    ...(spec.type !== undefined ? { type: spec.type } : {}),
    ...(spec.selector !== undefined ? { selector: { ...spec.selector } } : {}),
    ports: (spec.ports ?? [])
      .filter((p) => typeof p.port === 'number')
      .map((p) => ({ port: p.port!, ...(p.name ? { name: p.name } : {}) })),
  };
}

/** A part of a Service's pods, as a mesh's subset names it (an Istio DestinationRule subset): their labels. */
export interface Subset {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** The Services and pods of one namespace, as read at one tick. */
export class ServiceWorld {
  private readonly byName: ReadonlyMap<string, ServiceView>;

  constructor(
    readonly namespace: string,
    services: readonly ServiceView[],
    readonly pods: readonly PodView[],
  ) {
    this.byName = new Map(services.map((s) => [s.name, s]));
  }

  service(name: string): ServiceView | undefined {
    return this.byName.get(name);
  }

  /**
   * The ready pods the Service selects, by name, narrowed to those with the `subset` labels when given;
   * none for a missing Service or one without a selector.
   */
  endpoints(name: string, subset?: Readonly<Record<string, string>>): PodView[] {
    return this.selected(name, subset).filter((p) => p.ready);
  }

  /** Every pod the Service selects, ready or not (what its Endpoints list, ready and not ready), by name. */
  selected(name: string, subset?: Readonly<Record<string, string>>): PodView[] {
    const selector = this.byName.get(name)?.selector;
    if (!selector || Object.keys(selector).length === 0) return [];
    const wanted = [...Object.entries(selector), ...Object.entries(subset ?? {})];
    return this.pods
      .filter((p) => wanted.every(([k, v]) => p.labels?.[k] === v))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The answers a data plane gives when a backend Service cannot take a request. */
export interface BackendAnswers {
  /** The Service does not exist, or is of a type the data plane does not forward to (ExternalName). */
  invalid: string;
  /** The Service exists but has no ready endpoint. */
  noEndpoints: string;
}

/**
 * Where requests for a Service (narrowed to a subset's pods when given) go: its ready pods, or the data
 * plane's answer when it has none.
 */
export function serviceDestination(
  world: ServiceWorld,
  name: string,
  answers: BackendAnswers,
  subset?: Subset,
): Destination {
  const service = world.service(name);
  if (!service)
    return { kind: 'answer', code: answers.invalid, service: name, reason: `Service "${name}" not found` };
  if (service.type === 'ExternalName')
    return {
      kind: 'answer',
      code: answers.invalid,
      service: name,
      reason: `Service "${name}" is of type ExternalName`,
    };
  if (world.endpoints(name, subset?.labels).length === 0)
    return {
      kind: 'answer',
      code: answers.noEndpoints,
      service: name,
      reason:
        subset === undefined
          ? `Service "${name}" has no ready endpoints`
          : `subset "${subset.name}" of Service "${name}" has no ready endpoints`,
    };
  return { kind: 'pods', service: name, ...(subset !== undefined ? { subset } : {}) };
}
