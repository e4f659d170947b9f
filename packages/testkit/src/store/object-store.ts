/**
 * Raw storage, as etcd under the API server: objects by resource, namespace and name, one global
 * resourceVersion counter bumped by every write, every write published to the watch hub.
 * No API semantics here (see store/operations.ts): this layer only stores and numbers, and keeps the indexes
 * its readers need: objects by uid, by namespace (per resource) and by owner (the uids in ownerReferences).
 *
 * A stored object never changes: a write stores a new one, frozen (deepFreeze). The readers that do not copy
 * (`peek`, `peekList`, `entries`, `findByUid`, `dependentsOf`) and the objects `write` and `remove` return
 * and publish share it: read only. `get` and `list` return copies.
 */
import { clone, deepFreeze, type KubeObject } from '../types';
import { type StoreEvent, WatchHub } from './watch-hub';

function id(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** The order of String.prototype.localeCompare (the same collation), without its per-call set-up. */
const collator = new Intl.Collator();

/** Objects sorted by their id (namespace, then name), as etcd's key order. */
function byId(entries: [string, KubeObject][]): KubeObject[] {
  return entries.sort((a, b) => collator.compare(a[0], b[0])).map((e) => e[1]);
}

/** The uids an object's ownerReferences name (string uids only). */
function ownerUids(obj: KubeObject): string[] {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  const out: string[] = [];
  for (const ref of refs) if (typeof ref?.uid === 'string' && !out.includes(ref.uid)) out.push(ref.uid);
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** One resource's objects: by id (in insertion order) and by namespace. */
class Bucket {
  readonly all = new Map<string, KubeObject>();
  readonly byNamespace = new Map<string | undefined, Map<string, KubeObject>>();

  set(where: string, obj: KubeObject): void {
    this.all.set(where, obj);
    const ns = obj.metadata.namespace;
    let inNamespace = this.byNamespace.get(ns);
    if (!inNamespace) {
      inNamespace = new Map();
      this.byNamespace.set(ns, inNamespace);
    }
    inNamespace.set(where, obj);
  }

  delete(where: string, obj: KubeObject): void {
    this.all.delete(where);
    const ns = obj.metadata.namespace;
    const inNamespace = this.byNamespace.get(ns);
    inNamespace?.delete(where);
    if (inNamespace?.size === 0) this.byNamespace.delete(ns);
  }

  /** The objects of one namespace, or all of them. */
  objects(namespace?: string): Map<string, KubeObject> {
    if (namespace === undefined) return this.all;
    return this.byNamespace.get(namespace) ?? new Map();
  }
}

export class ObjectStore {
  private rv: number;
  private readonly data = new Map<string, Bucket>();
  private readonly uids = new Map<string, { key: string; id: string }>();
  /** Owner uid → its dependents (objects with an ownerReference to it), by `key` + "\n" + id. */
  private readonly owned = new Map<string, Map<string, { key: string; id: string }>>();
  readonly hub: WatchHub;

  constructor(opts: { eventHistory?: number; firstResourceVersion?: number } = {}) {
    this.hub = new WatchHub(opts.eventHistory ?? 1000);
    this.rv = opts.firstResourceVersion ?? 1000;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** A copy of the stored object. */
  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.peek(key, namespace, name);
    return found ? clone(found) : undefined;
  }

  /** The stored object itself (frozen, shared: read only). */
  peek(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.data.get(key)?.all.get(id(namespace, name));
  }

  /** Copies of a resource's objects (in one namespace or all), by namespace then name (etcd key order). */
  list(key: string, namespace?: string): KubeObject[] {
    return this.peekList(key, namespace).map((o) => clone(o));
  }

  /** As `list`, the stored objects themselves (frozen, shared: read only). */
  peekList(key: string, namespace?: string): KubeObject[] {
    const bucket = this.data.get(key);
    if (!bucket) return [];
    return byId([...bucket.objects(namespace)]);
  }

  /** Every stored object with its resource key (shared references: read only). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, bucket] of this.data) for (const obj of bucket.all.values()) yield [key, obj];
  }

  /** The stored object with this uid (shared: read only). */
  findByUid(uid: string): { key: string; object: KubeObject } | undefined {
    const where = this.uids.get(uid);
    const object = where ? this.data.get(where.key)?.all.get(where.id) : undefined;
    return where && object ? { key: where.key, object } : undefined;
  }

  /**
   * The stored objects with an ownerReference to `ownerUid` (whether or not that owner exists), in the order
   * they were first indexed (shared: read only).
   */
  dependentsOf(ownerUid: string | undefined): { key: string; object: KubeObject }[] {
    const deps = ownerUid === undefined ? undefined : this.owned.get(ownerUid);
    if (!deps) return [];
    const out: { key: string; object: KubeObject }[] = [];
    for (const where of deps.values()) {
      const object = this.data.get(where.key)?.all.get(where.id);
      if (object) out.push({ key: where.key, object });
    }
    return out;
  }

  /** Stores `obj` at a new resourceVersion (set on it), publishes ADDED or MODIFIED; returns it as stored. */
  write(key: string, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    const name = stored.metadata.name ?? '';
    let bucket = this.data.get(key);
    if (!bucket) {
      bucket = new Bucket();
      this.data.set(key, bucket);
    }
    const where = id(stored.metadata.namespace, name);
    const previous = bucket.all.get(where);
    this.rv++;
    stored.metadata.resourceVersion = String(this.rv);
    deepFreeze(stored);
    bucket.set(where, stored);
    if (previous?.metadata.uid && previous.metadata.uid !== stored.metadata.uid)
      this.uids.delete(previous.metadata.uid);
    if (stored.metadata.uid) this.uids.set(stored.metadata.uid, { key, id: where });
    this.reindex(key, where, previous, stored);
    const event: StoreEvent = previous
      ? { rv: this.rv, type: 'MODIFIED', key, object: stored, previous }
      : { rv: this.rv, type: 'ADDED', key, object: stored };
    this.hub.publish(event);
    return stored;
  }

  /** Removes the object and publishes DELETED, its last state carrying a new resourceVersion (returned). */
  remove(key: string, obj: KubeObject): KubeObject | undefined {
    const bucket = this.data.get(key);
    const where = id(obj.metadata.namespace, obj.metadata.name ?? '');
    const existing = bucket?.all.get(where);
    if (!bucket || !existing) return undefined;
    bucket.delete(where, existing);
    if (existing.metadata.uid) this.uids.delete(existing.metadata.uid);
    this.reindex(key, where, existing, undefined);
    this.rv++;
    const last = clone(obj);
    last.metadata.resourceVersion = String(this.rv);
    deepFreeze(last);
    this.hub.publish({ rv: this.rv, type: 'DELETED', key, object: last });
    return last;
  }

  /** How many objects a resource has (in one namespace or all). */
  count(key: string, namespace?: string): number {
    return this.data.get(key)?.objects(namespace).size ?? 0;
  }

  /** Keeps the owner index in step with the object at `where` going from `before` to `after`. */
  private reindex(key: string, where: string, before?: KubeObject, after?: KubeObject): void {
    const was = before ? ownerUids(before) : [];
    const now = after ? ownerUids(after) : [];
    if (sameList(was, now)) return;
    const location = `${key}\n${where}`;
    for (const uid of was) {
      if (now.includes(uid)) continue;
      const deps = this.owned.get(uid);
      deps?.delete(location);
      if (deps?.size === 0) this.owned.delete(uid);
    }
    for (const uid of now) {
      if (was.includes(uid)) continue;
      let deps = this.owned.get(uid);
      if (!deps) {
        deps = new Map();
        this.owned.set(uid, deps);
      }
      deps.set(location, { key, id: where });
    }
  }
}
