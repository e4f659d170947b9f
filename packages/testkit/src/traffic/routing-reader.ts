// The I/O of routed traffic: each tick, the Services and pods of the namespace and the routing
// object the traffic follows, read from the API server: the object alone, or every object of its
// kind in the namespace when the data plane combines them (APISIX, Traefik, Ambassador), the
// namespace's Ingresses for an Ingress entry, and its DestinationRules with an Istio
// VirtualService. A routing object's group and version are found through discovery (the first of
// the versions the model reads that the server serves). A read that fails is reported and the last
// good read is used instead, so the traffic keeps flowing as it last did; an object that does not
// exist is a state of the cluster, not a failure.
import { CoreV1Api, CustomObjectsApi, type KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { isObject } from './json-shape';
import { toPodView } from './pod-view';
import type { RoutingProblem } from './route-decision';
import {
  DESTINATION_RULES,
  describeEntry,
  isIngressKind,
  ROUTING_RESOURCES,
  type RouteEntry,
  type RoutingResource,
} from './route-entry';
import { type ServiceView, ServiceWorld, toServiceView } from './service-endpoints';
import type { PodView } from './traffic-model';

export interface RoutingRead {
  world: ServiceWorld;
  /** The routing object (a custom resource), undefined when it does not exist or cannot be read. */
  object?: unknown;
  /** The last routing object ever read, even if it is gone now. */
  lastSeen?: unknown;
  /** For an Ingress entry: every Ingress of the namespace. */
  ingresses?: readonly unknown[];
  /** For the kinds read whole (RoutingResource.readsAll): every object of the entry's kind in the namespace. */
  objects?: readonly unknown[];
  /** For a VirtualService entry: the namespace's DestinationRules. */
  destinationRules?: readonly unknown[];
  /** What could not be read this tick. */
  problems: RoutingProblem[];
}

interface GroupVersion {
  group: string;
  version: string;
}

export class RoutingReader {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly networking: NetworkingV1Api;
  private readonly label: string;
  /** The group and version each resource is read at (by plural), once discovery found it. */
  private readonly served = new Map<string, GroupVersion>();
  private pods: PodView[] = [];
  private services: ServiceView[] = [];
  private object: unknown;
  private lastSeen: unknown;
  private ingresses: unknown[] = [];
  private objects: unknown[] = [];
  private destinationRules: unknown[] = [];

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly entry: RouteEntry,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
    this.label = describeEntry(entry, namespace);
  }

  async read(): Promise<RoutingRead> {
    const problems: RoutingProblem[] = [];
    const failed = (object: string, err: unknown) =>
      problems.push({
        object,
        field: '',
        message: `cannot be read (${errorText(err)}); the last good read is used`,
      });
    const { namespace } = this;
    await Promise.all([
      this.core.listNamespacedPod({ namespace }).then(
        (list) => {
          this.pods = list.items.map((p) => toPodView(p));
        },
        (err: unknown) => failed(`pods in ${namespace}`, err),
      ),
      this.core.listNamespacedService({ namespace }).then(
        (list) => {
          this.services = list.items.map((s) => toServiceView(s));
        },
        (err: unknown) => failed(`Services in ${namespace}`, err),
      ),
      this.readRouting(problems),
    ]);
    return {
      world: new ServiceWorld(namespace, this.services, this.pods),
      ...(this.object !== undefined ? { object: this.object } : {}),
      ...(this.lastSeen !== undefined ? { lastSeen: this.lastSeen } : {}),
      ...(isIngressKind(this.entry.kind) ? { ingresses: this.ingresses } : {}),
      ...(this.entry.kind !== 'service' &&
      !isIngressKind(this.entry.kind) &&
      ROUTING_RESOURCES[this.entry.kind].readsAll
        ? { objects: this.objects }
        : {}),
      ...(this.entry.kind === 'virtualservice' ? { destinationRules: this.destinationRules } : {}),
      problems,
    };
  }

  private async readRouting(problems: RoutingProblem[]): Promise<void> {
    const { kind } = this.entry;
    if (kind === 'service') return;
    if (kind === 'virtualservice')
      await Promise.all([
        this.readEntry(ROUTING_RESOURCES[kind], problems),
        this.readDestinationRules(problems),
      ]);
    else if (!isIngressKind(kind)) await this.readEntry(ROUTING_RESOURCES[kind], problems);
    else {
      try {
        this.ingresses = (await this.networking.listNamespacedIngress({ namespace: this.namespace })).items;
      } catch (err) {
        problems.push({
          object: `Ingresses in ${this.namespace}`,
          field: '',
          message: `cannot be read (${errorText(err)}); the last good read is used`,
        });
      }
    }
  }

  /** The entry object, alone or with every object of its kind in the namespace. */
  private async readEntry(resource: RoutingResource, problems: RoutingProblem[]): Promise<void> {
    try {
      const api = await this.servedApi(resource);
      if (api === undefined) {
        this.object = undefined;
        this.objects = [];
        problems.push({ object: this.label, field: '', message: notServed(resource) });
        return;
      }
      if (resource.readsAll) {
        this.objects = await this.list(resource, api);
        this.object = this.objects.find(
          (o) => isObject(o) && isObject(o['metadata']) && o['metadata']['name'] === this.entry.name,
        );
      } else {
        this.object = await this.custom.getNamespacedCustomObject({
          ...api,
          namespace: this.namespace,
          plural: resource.plural,
          name: this.entry.name,
        });
      }
      if (this.object !== undefined) this.lastSeen = this.object;
    } catch (err) {
      if (objectNotFound(err, this.entry.name)) {
        this.object = undefined;
        return;
      }
      // The resource may have stopped being served at that version (a CRD replaced): look again next tick.
      if (errorCode(err) === 404) this.served.delete(resource.plural);
      problems.push({
        object: this.label,
        field: '',
        message: `cannot be read (${errorText(err)}); the last good read is used`,
      });
    }
  }

  private async readDestinationRules(problems: RoutingProblem[]): Promise<void> {
    const label = `DestinationRules in ${this.namespace}`;
    try {
      const api = await this.servedApi(DESTINATION_RULES);
      if (api === undefined) {
        this.destinationRules = [];
        problems.push({ object: label, field: '', message: notServed(DESTINATION_RULES) });
        return;
      }
      this.destinationRules = await this.list(DESTINATION_RULES, api);
    } catch (err) {
      if (errorCode(err) === 404) this.served.delete(DESTINATION_RULES.plural);
      problems.push({
        object: label,
        field: '',
        message: `cannot be read (${errorText(err)}); the last good read is used`,
      });
    }
  }

  private async list(resource: RoutingResource, api: GroupVersion): Promise<unknown[]> {
    const list: unknown = await this.custom.listNamespacedCustomObject({
      ...api,
      namespace: this.namespace,
      plural: resource.plural,
    });
    const items = isObject(list) ? list['items'] : undefined;
    return Array.isArray(items) ? items : [];
  }

  /** The group and version the server serves the resource at (cached), or undefined when none. */
  private async servedApi(resource: RoutingResource): Promise<GroupVersion | undefined> {
    const known = this.served.get(resource.plural);
    if (known) return known;
    for (const group of [resource.group, ...(resource.otherGroups ?? [])])
      for (const version of resource.versions) {
        try {
          const list = await this.custom.getAPIResources({ group, version });
          if (list.resources.some((r) => r.name === resource.plural)) {
            this.served.set(resource.plural, { group, version });
            return { group, version };
          }
        } catch (err) {
          if (errorCode(err) !== 404) throw err;
        }
      }
    return undefined;
  }
}

function notServed(resource: RoutingResource): string {
  const where = [resource.group, ...(resource.otherGroups ?? [])]
    .map((g) => `${resource.plural}.${g} at ${resource.versions.join(', ')}`)
    .join(' nor ');
  return `the API server serves no ${where}: install its CRD`;
}

function errorCode(err: unknown): number | undefined {
  const code = isObject(err) || err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function errorBody(err: unknown): unknown {
  const body = err instanceof Error ? (err as { body?: unknown }).body : undefined;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** A 404 about the object itself (a Status naming it), not about the resource type. */
function objectNotFound(err: unknown, name: string): boolean {
  const body = errorBody(err);
  return (
    errorCode(err) === 404 &&
    isObject(body) &&
    body['reason'] === 'NotFound' &&
    isObject(body['details']) &&
    body['details']['name'] === name
  );
}

function errorText(err: unknown): string {
  const body = errorBody(err);
  if (isObject(body) && typeof body['message'] === 'string')
    return `${errorCode(err) ?? ''} ${body['message']}`.trim();
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
