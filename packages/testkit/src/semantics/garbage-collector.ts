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
import { clone, isObject, type KubeObject } from '../types';
import { ApiError } from './status';

type Entry = [string, KubeObject];

export class GarbageCollector {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ops: Operations,
    private readonly delayMs = 5,
  ) {}

  start(): void {
    this.unsubscribe = this.ops.store.hub.subscribe((event) => {
      const o = event.object;
      if (
        event.type === 'DELETED' ||
        o.metadata.deletionTimestamp ||
        (o.metadata.ownerReferences ?? []).length > 0
      ) {
        this.schedule();
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
  }

  schedule(): void {
    if (this.timer) return;
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

  /** One collection: passes until nothing changes (bounded). */
  run(): void {
    for (let pass = 0; pass < 20; pass++) {
      if (!this.pass()) return;
    }
    this.schedule();
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

  private pass(): boolean {
    const entries: Entry[] = [...this.ops.store.entries()];
    const dependents = new Map<string, Entry[]>();
    for (const entry of entries) {
      for (const ref of entry[1].metadata.ownerReferences ?? []) {
        const list = dependents.get(ref.uid) ?? [];
        list.push(entry);
        dependents.set(ref.uid, list);
      }
    }
    let changed = false;
    for (const [key, obj] of entries) {
      const current = this.ops.store.get(key, obj.metadata.namespace, obj.metadata.name ?? '');
      if (!current || current.metadata.uid !== obj.metadata.uid) continue;
      if (current.metadata.deletionTimestamp)
        changed = this.finishDeletion(key, current, dependents) || changed;
      else changed = this.collectOrphan(key, current) || changed;
    }
    return changed;
  }

  private finishDeletion(key: string, obj: KubeObject, dependents: Map<string, Entry[]>): boolean {
    const finalizers = obj.metadata.finalizers ?? [];
    const deps = (dependents.get(obj.metadata.uid ?? '') ?? []).filter(([k, d]) =>
      this.ops.store.get(k, d.metadata.namespace, d.metadata.name ?? ''),
    );
    if (finalizers.includes('orphan')) {
      for (const [depKey, dep] of deps) {
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
      for (const [depKey, dep] of deps) changed = this.tryDelete(depKey, dep, 'Foreground') || changed;
      return changed;
    }
    if (key === 'namespaces') return this.finishNamespace(obj);
    if (
      key === 'customresourcedefinitions.apiextensions.k8s.io' &&
      finalizers.includes(CRD_CLEANUP_FINALIZER)
    ) {
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
      for (const obj of this.ops.store.list(keyOf(type), name)) {
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
      for (const obj of this.ops.store.list(keyOf(type))) {
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
