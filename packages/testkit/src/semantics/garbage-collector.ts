/**
 * The controllers that finish deletions, run soon after each change (asynchronously, like the real ones):
 * - garbage collector: deletes objects whose owners (by uid) are all gone, drops dangling ownerReferences,
 *   deletes the dependents of a `foregroundDeletion` owner then releases it, orphans the dependents of an
 *   `orphan` owner then releases it;
 * - namespace controller: empties a terminating namespace, then lets it go;
 * - CRD cleanup: deletes a terminating CRD's custom resources, then lets it go.
 */
import { keyOf, type ResourceType } from '../resources/resource-type';
import { CRD_CLEANUP_FINALIZER, deleteObject } from '../store/deletion';
import type { Operations, Scope } from '../store/operations';
import type { StoreEvent } from '../store/watch-hub';
import { clone, isObject, type KubeObject } from '../types';
import { ApiError } from './status';

const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';

/** Where an object is stored: what the collector remembers to look at. */
interface Location {
  key: string;
  namespace: string | undefined;
  name: string;
}

function ownerUidsOf(obj: KubeObject | undefined): string[] {
  const refs = obj?.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.map((r) => r?.uid).filter((u): u is string => typeof u === 'string') : [];
}

/**
 * Incremental: each change marks the objects it may concern (the object itself when it is being deleted or
 * has owners; the dependents of a deleted object; the owners, namespace or CRD being deleted that wait for
 * it), and a collection looks only at those, reading the stored objects without copying them.
 */
export class GarbageCollector {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  /** The objects to look at, by `key` + "\n" + namespace/name, in the order they were marked. */
  private dirty = new Map<string, Location>();
  private running = false;

  constructor(
    private readonly ops: Operations,
    private readonly delayMs = 5,
  ) {}

  start(): void {
    this.unsubscribe = this.ops.store.hub.subscribe((event) => this.observe(event));
    // What was stored before the collector started.
    for (const [key, obj] of this.ops.store.entries()) {
      if (obj.metadata.deletionTimestamp || ownerUidsOf(obj).length > 0) this.mark(key, obj);
    }
    if (this.dirty.size > 0) this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
    this.release();
  }

  schedule(): void {
    if (this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
      if (!this.timer) this.release();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Resolves once no collection is pending (for tests that need the collector's effects). */
  idle(): Promise<void> {
    if (!this.timer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private release(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** One collection: passes until nothing is left to look at (bounded; then another collection later). */
  run(): void {
    this.running = true;
    try {
      for (let pass = 0; pass < 20 && this.dirty.size > 0; pass++) this.pass();
    } finally {
      this.running = false;
    }
    if (this.dirty.size > 0) this.schedule();
  }

  /** Marks what a change may concern; schedules a collection when there is something to look at. */
  private observe(event: StoreEvent): void {
    const { key, object: obj } = event;
    const store = this.ops.store;
    if (event.type === 'DELETED') {
      // Its dependents may have no owner left.
      for (const dep of store.dependentsOf(obj.metadata.uid)) this.mark(dep.key, dep.object);
    } else if (obj.metadata.deletionTimestamp || ownerUidsOf(obj).length > 0) {
      this.mark(key, obj);
    }
    // Owners being deleted wait for (or orphan) their dependents: this change may be what they wait for.
    for (const uid of new Set([...ownerUidsOf(obj), ...ownerUidsOf(event.previous)])) {
      const owner = store.findByUid(uid);
      if (owner?.object.metadata.deletionTimestamp) this.mark(owner.key, owner.object);
    }
    // A terminating namespace waits for its content, a terminating CRD for its custom resources.
    const namespace = obj.metadata.namespace;
    if (namespace !== undefined) {
      const ns = store.peek('namespaces', undefined, namespace);
      if (ns?.metadata.deletionTimestamp) this.mark('namespaces', ns);
    }
    const crdName = this.ops.registry.get(key)?.crdName;
    if (crdName) {
      const crd = store.peek(CRD_KEY, undefined, crdName);
      if (crd?.metadata.deletionTimestamp) this.mark(CRD_KEY, crd);
    }
    if (this.dirty.size > 0) this.schedule();
  }

  private mark(key: string, obj: KubeObject): void {
    const namespace = obj.metadata.namespace;
    const name = obj.metadata.name ?? '';
    this.dirty.set(`${key}\n${namespace ?? ''}/${name}`, { key, namespace, name });
  }

  private scope(key: string, obj: KubeObject): Scope | undefined {
    const type = this.ops.registry.get(key);
    if (!type) return undefined;
    const scope: Scope = { type, version: type.versions[0]?.name ?? type.storageVersion };
    if (type.namespaced && obj.metadata.namespace) scope.namespace = obj.metadata.namespace;
    return scope;
  }

  private tryDelete(key: string, obj: KubeObject, policy: 'Background' | 'Foreground'): boolean {
    const scope = this.scope(key, obj);
    if (!scope || obj.metadata.deletionTimestamp) return false;
    try {
      deleteObject(this.ops, scope, obj.metadata.name ?? '', { propagationPolicy: policy });
      return true;
    } catch (err) {
      if (err instanceof ApiError) return false;
      throw err;
    }
  }

  private write(key: string, obj: KubeObject): void {
    const type = this.ops.registry.get(key);
    if (type) this.ops.writeSystem(type, obj);
  }

  private withoutFinalizer(key: string, obj: KubeObject, finalizer: string): void {
    const next = clone(obj);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.write(key, next);
  }

  /** Looks at each marked object as it is now; what this changes marks objects for the next pass. */
  private pass(): void {
    const marked = [...this.dirty.values()];
    this.dirty.clear();
    for (const { key, namespace, name } of marked) {
      const current = this.ops.store.peek(key, namespace, name);
      if (!current) continue;
      if (current.metadata.deletionTimestamp) this.finishDeletion(key, current);
      else this.collectOrphan(key, current);
    }
  }

  private finishDeletion(key: string, obj: KubeObject): boolean {
    const finalizers = obj.metadata.finalizers ?? [];
    const deps = this.ops.store.dependentsOf(obj.metadata.uid);
    if (finalizers.includes('orphan')) {
      for (const { key: depKey, object: dep } of deps) {
        const next = clone(dep);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
          (r) => r.uid !== obj.metadata.uid,
        );
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.write(depKey, next);
      }
      this.withoutFinalizer(key, obj, 'orphan');
      return true;
    }
    if (finalizers.includes('foregroundDeletion')) {
      if (deps.length === 0) {
        this.withoutFinalizer(key, obj, 'foregroundDeletion');
        return true;
      }
      let changed = false;
      for (const { key: depKey, object: dep } of deps)
        changed = this.tryDelete(depKey, dep, 'Foreground') || changed;
      return changed;
    }
    if (key === 'namespaces') return this.finishNamespace(obj);
    if (key === CRD_KEY && finalizers.includes(CRD_CLEANUP_FINALIZER)) {
      return this.finishCrd(key, obj);
    }
    return false;
  }

  private finishNamespace(ns: KubeObject): boolean {
    const name = ns.metadata.name ?? '';
    let remaining = 0;
    let changed = false;
    for (const type of this.ops.registry.all()) {
      if (!type.namespaced) continue;
      for (const obj of this.ops.store.peekList(keyOf(type), name)) {
        remaining++;
        changed = this.tryDelete(keyOf(type), obj, 'Background') || changed;
      }
    }
    if (remaining > 0) return changed;
    const spec = isObject(ns.spec) ? ns.spec : {};
    const specFinalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (specFinalizers.includes('kubernetes')) {
      const next = clone(ns);
      next.spec = { ...spec, finalizers: specFinalizers.filter((f) => f !== 'kubernetes') };
      this.write('namespaces', next);
      return true;
    }
    return changed;
  }

  private finishCrd(key: string, crd: KubeObject): boolean {
    const type: ResourceType | undefined = this.ops.registry
      .all()
      .find((t) => t.crdName === crd.metadata.name);
    let remaining = 0;
    let changed = false;
    if (type) {
      for (const obj of this.ops.store.peekList(keyOf(type))) {
        remaining++;
        changed = this.tryDelete(keyOf(type), obj, 'Background') || changed;
      }
    }
    if (remaining > 0) return changed;
    this.withoutFinalizer(key, crd, CRD_CLEANUP_FINALIZER);
    return true;
  }

  /** An object whose owners are all gone is deleted; one with some owners gone loses those references. */
  private collectOrphan(key: string, obj: KubeObject): boolean {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return false;
    const present = refs.filter((r) => this.ops.store.findByUid(r.uid) !== undefined);
    if (present.length === refs.length) return false;
    if (present.length === 0) return this.tryDelete(key, obj, 'Background');
    const next = clone(obj);
    next.metadata.ownerReferences = present;
    this.write(key, next);
    return true;
  }
}
