/**
 * Direct access to a running cluster's objects, without HTTP, with the same semantics as the API
 * (resourceVersions, generation, finalizers, garbage collection, watch events all apply). Objects are
 * addressed by apiVersion + kind. Errors are ApiErrors carrying the Status the HTTP API would answer.
 */
import { groupVersion, keyOf, type ResourceType } from '../resources/resource-type';
import * as errors from '../semantics/status';
import type { KubeObject, WatchEventType } from '../types';
import { type DeleteOptions, deleteObject } from './deletion';
import type { Operations, PatchType, Scope } from './operations';

export interface StoreChange {
  type: WatchEventType;
  /** The object as served at its preferred version (a copy; shared and frozen with `subscribeShared`). */
  object: KubeObject;
  resourceVersion: string;
}

export interface ListFilter {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

function sortId(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

export class ClusterStore {
  constructor(private readonly ops: Operations) {}

  private scope(apiVersion: string, kind: string, namespace?: string): Scope {
    const found = this.ops.registry.byKind(apiVersion, kind);
    if (!found) throw errors.badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
    const scope: Scope = { type: found.type, version: found.version.name };
    if (found.type.namespaced) scope.namespace = namespace ?? 'default';
    return scope;
  }

  private scopeOf(obj: KubeObject): Scope {
    if (!obj.apiVersion || !obj.kind) throw errors.badRequest('the object needs apiVersion and kind');
    return this.scope(obj.apiVersion, obj.kind, obj.metadata?.namespace);
  }

  /** The current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.ops.store.resourceVersion);
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    try {
      return this.ops.get(this.scope(apiVersion, kind, namespace), name);
    } catch (err) {
      if (err instanceof errors.ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  /**
   * For testkit's own controllers (the workload simulator), which read far more than they write: the stored
   * object itself, not a copy (when it is stored at another apiVersion, a view of it at this one sharing all
   * but the top level). Stored objects are frozen: never mutate one (spread it into a new object to write
   * it back).
   */
  peek(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const scope = this.scope(apiVersion, kind, namespace);
    const found = this.ops.store.peek(keyOf(scope.type), scope.namespace, name);
    return found && this.served(scope, found);
  }

  /** As `peek`, the objects of a kind in one namespace or all, sorted by namespace then name. */
  peekList(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const scope = this.scope(apiVersion, kind, namespace);
    if (namespace === undefined) delete scope.namespace;
    return this.ops.store.peekList(keyOf(scope.type), scope.namespace).map((o) => this.served(scope, o));
  }

  /**
   * As `peek`, the objects of a kind (in one namespace or all) with an ownerReference to `ownerUid`, from
   * the store's owner index (nothing else is looked at), sorted by namespace then name.
   */
  peekDependents(apiVersion: string, kind: string, ownerUid: string, namespace?: string): KubeObject[] {
    const scope = this.scope(apiVersion, kind, namespace);
    const key = keyOf(scope.type);
    return this.ops.store
      .dependentsOf(ownerUid)
      .filter((d) => d.key === key && (namespace === undefined || d.object.metadata.namespace === namespace))
      .map((d) => d.object)
      .sort((a, b) => sortId(a).localeCompare(sortId(b)))
      .map((o) => this.served(scope, o));
  }

  /** The stored object when stored at the scope's version, else a view of it at that version (no copy). */
  private served(scope: Scope, obj: KubeObject): KubeObject {
    const apiVersion = groupVersion(scope.type.group, scope.version);
    return obj.apiVersion === apiVersion && obj.kind === scope.type.kind
      ? obj
      : this.ops.view(scope.type, scope.version, obj);
  }

  /** Lists across all namespaces unless `namespace` is given. */
  list(apiVersion: string, kind: string, filter: ListFilter = {}): KubeObject[] {
    const scope = this.scope(apiVersion, kind, filter.namespace);
    if (filter.namespace === undefined) delete scope.namespace;
    return this.ops.list(scope, { ...filter }).items;
  }

  create(obj: KubeObject): KubeObject {
    return this.ops.create(this.scopeOf(obj), obj).object;
  }

  /** PUT semantics: a stale metadata.resourceVersion is a Conflict; status is ignored where /status exists. */
  update(obj: KubeObject): KubeObject {
    return this.ops.update(this.scopeOf(obj), obj.metadata.name ?? '', obj).object;
  }

  /** PUT on /status. */
  updateStatus(obj: KubeObject): KubeObject {
    return this.ops.update(this.scopeOf(obj), obj.metadata.name ?? '', obj, {}, 'status').object;
  }

  patch(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    type: PatchType = 'merge',
  ): KubeObject {
    return this.ops.patch(this.scope(apiVersion, kind, namespace), name, type, patch).object;
  }

  patchStatus(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    patch: unknown,
    type: PatchType = 'merge',
  ): KubeObject {
    return this.ops.patch(this.scope(apiVersion, kind, namespace), name, type, patch, {}, 'status').object;
  }

  /**
   * Creates or replaces the object regardless of resourceVersion (a simulator's "make it so"):
   * the main resource, then its status when the kind has a /status subresource and `status` is given.
   */
  put(obj: KubeObject): KubeObject {
    const scope = this.scopeOf(obj);
    const name = obj.metadata.name ?? '';
    const existing = obj.metadata.name
      ? this.ops.store.peek(keyOf(scope.type), scope.namespace, name)
      : undefined;
    const hasStatus = scope.type.versions.find((v) => v.name === scope.version)?.status === true;
    const body = { ...obj, metadata: { ...obj.metadata } };
    delete body.metadata.resourceVersion;
    let result = existing
      ? this.ops.update(scope, name, {
          ...body,
          metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion },
        }).object
      : this.ops.create(scope, body).object;
    if (hasStatus && obj.status !== undefined) {
      result = this.ops.update(
        scope,
        result.metadata.name ?? '',
        { ...result, status: obj.status },
        {},
        'status',
      ).object;
    }
    return result;
  }

  delete(apiVersion: string, kind: string, name: string, namespace?: string, opts: DeleteOptions = {}): void {
    deleteObject(this.ops, this.scope(apiVersion, kind, namespace), name, opts);
  }

  /** Every change from now on, synchronously after it is written. Returns the unsubscribe function. */
  subscribe(
    listener: (change: StoreChange) => void,
    filter?: { apiVersion: string; kind: string },
  ): () => void {
    return this.changes(listener, filter, false);
  }

  /**
   * As `subscribe`, for testkit's own controllers: `object` is the stored object itself, as `peek` gives it
   * (frozen: never mutate it).
   */
  subscribeShared(
    listener: (change: StoreChange) => void,
    filter?: { apiVersion: string; kind: string },
  ): () => void {
    return this.changes(listener, filter, true);
  }

  private changes(
    listener: (change: StoreChange) => void,
    filter: { apiVersion: string; kind: string } | undefined,
    shared: boolean,
  ): () => void {
    let only: ResourceType | undefined;
    if (filter) only = this.scope(filter.apiVersion, filter.kind).type;
    return this.ops.store.hub.subscribe((event) => {
      const type = this.ops.registry.get(event.key);
      if (!type || (only && keyOf(only) !== event.key)) return;
      const scope: Scope = { type, version: type.versions[0]?.name ?? type.storageVersion };
      listener({
        type: event.type,
        object: shared
          ? this.served(scope, event.object)
          : this.ops.output(type, scope.version, event.object),
        resourceVersion: String(event.rv),
      });
    });
  }
}
