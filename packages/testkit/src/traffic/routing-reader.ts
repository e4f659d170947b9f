// The I/O of routed traffic: each tick, the Services and pods of the namespace and the routing
// object the traffic follows, read from the API server. A routing object's version is found
// through discovery (the first of the versions the model reads that the server serves). A read
// that fails is reported and the last good read is used instead, so the traffic keeps flowing as
// it last did; an object that does not exist is a state of the cluster, not a failure.
import { CoreV1Api, CustomObjectsApi, type KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { isObject } from './json-shape';
import { toPodView } from './pod-view';
import type { RoutingProblem } from './route-decision';
import { describeEntry, ROUTING_RESOURCES, type RouteEntry, type RoutingResource } from './route-entry';
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
  /** What could not be read this tick. */
  problems: RoutingProblem[];
}

export class RoutingReader {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly networking: NetworkingV1Api;
  private readonly label: string;
  private version: string | undefined;
  private pods: PodView[] = [];
  private services: ServiceView[] = [];
  private object: unknown;
  private lastSeen: unknown;
  private ingresses: unknown[] = [];

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
      ...(this.entry.kind === 'ingress' ? { ingresses: this.ingresses } : {}),
      problems,
    };
  }

  private async readRouting(problems: RoutingProblem[]): Promise<void> {
    const { kind } = this.entry;
    if (kind === 'service') return;
    if (kind === 'ingress') {
      try {
        this.ingresses = (await this.networking.listNamespacedIngress({ namespace: this.namespace })).items;
      } catch (err) {
        problems.push({
          object: `Ingresses in ${this.namespace}`,
          field: '',
          message: `cannot be read (${errorText(err)}); the last good read is used`,
        });
      }
      return;
    }
    const resource = ROUTING_RESOURCES[kind];
    try {
      this.version ??= await this.servedVersion(resource);
      if (this.version === undefined) {
        this.object = undefined;
        problems.push({
          object: this.label,
          field: '',
          message: `the API server serves no ${resource.plural}.${resource.group} at ${resource.versions.join(', ')}: install its CRD`,
        });
        return;
      }
      this.object = await this.custom.getNamespacedCustomObject({
        group: resource.group,
        version: this.version,
        namespace: this.namespace,
        plural: resource.plural,
        name: this.entry.name,
      });
      this.lastSeen = this.object;
    } catch (err) {
      if (objectNotFound(err, this.entry.name)) {
        this.object = undefined;
        return;
      }
      // The resource may have stopped being served at that version (a CRD replaced): look again next tick.
      if (errorCode(err) === 404) this.version = undefined;
      problems.push({
        object: this.label,
        field: '',
        message: `cannot be read (${errorText(err)}); the last good read is used`,
      });
    }
  }

  private async servedVersion(resource: RoutingResource): Promise<string | undefined> {
    for (const version of resource.versions) {
      try {
        const list = await this.custom.getAPIResources({ group: resource.group, version });
        if (list.resources.some((r) => r.name === resource.plural)) return version;
      } catch (err) {
        if (errorCode(err) !== 404) throw err;
      }
    }
    return undefined;
  }
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
