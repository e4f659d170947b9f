/**
 * Raw storage, as etcd under the API server: objects by resource, namespace and name, one global
 * resourceVersion counter bumped by every write, every write published to the watch hub.
 * No API semantics here (see store/operations.ts): this layer only stores and numbers.
 */
import { clone, type KubeObject } from '../types';
import { type StoreEvent, WatchHub } from './watch-hub';

function id(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private rv: number;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly uids = new Map<string, { key: string; id: string }>();
  readonly hub: WatchHub;

  constructor(opts: { eventHistory?: number; firstResourceVersion?: number } = {}) {
    this.hub = new WatchHub(opts.eventHistory ?? 1000);
    this.rv = opts.firstResourceVersion ?? 1000;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.data.get(key)?.get(id(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of one resource, in one namespace or all, sorted by namespace then name (etcd key order). */
  list(key: string, namespace?: string): KubeObject[] {
    const bucket = this.data.get(key);
    if (!bucket) return [];
    const out: KubeObject[] = [];
    for (const obj of bucket.values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(clone(obj));
    }
    return out.sort((a, b) =>
      id(a.metadata.namespace, a.metadata.name ?? '').localeCompare(
        id(b.metadata.namespace, b.metadata.name ?? ''),
      ),
    );
  }

  /** Every stored object with its resource key (shared references: read only). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, bucket] of this.data) for (const obj of bucket.values()) yield [key, obj];
  }

  findByUid(uid: string): { key: string; object: KubeObject } | undefined {
    const where = this.uids.get(uid);
    const object = where ? this.data.get(where.key)?.get(where.id) : undefined;
    return where && object ? { key: where.key, object } : undefined;
  }

  /** Stores `obj` at a new resourceVersion (set on it) and publishes ADDED or MODIFIED. */
  write(key: string, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    const name = stored.metadata.name ?? '';
    const bucket = this.data.get(key) ?? new Map<string, KubeObject>();
    this.data.set(key, bucket);
    const previous = bucket.get(id(stored.metadata.namespace, name));
    this.rv++;
    stored.metadata.resourceVersion = String(this.rv);
    bucket.set(id(stored.metadata.namespace, name), stored);
    if (stored.metadata.uid)
      this.uids.set(stored.metadata.uid, { key, id: id(stored.metadata.namespace, name) });
    const event: StoreEvent = previous
      ? { rv: this.rv, type: 'MODIFIED', key, object: stored, previous }
      : { rv: this.rv, type: 'ADDED', key, object: stored };
    this.hub.publish(event);
    return clone(stored);
  }

  /** Removes the object and publishes DELETED, its last state carrying a new resourceVersion. */
  remove(key: string, obj: KubeObject): KubeObject | undefined {
    const bucket = this.data.get(key);
    const where = id(obj.metadata.namespace, obj.metadata.name ?? '');
    const existing = bucket?.get(where);
    if (!bucket || !existing) return undefined;
    bucket.delete(where);
    if (existing.metadata.uid) this.uids.delete(existing.metadata.uid);
    this.rv++;
    const last = clone(obj);
    last.metadata.resourceVersion = String(this.rv);
    this.hub.publish({ rv: this.rv, type: 'DELETED', key, object: last });
    return clone(last);
  }

  /** How many objects a resource has (in one namespace or all). */
  count(key: string, namespace?: string): number {
    const bucket = this.data.get(key);
    if (!bucket) return 0;
    if (namespace === undefined) return bucket.size;
    let n = 0;
    for (const obj of bucket.values()) if (obj.metadata.namespace === namespace) n++;
    return n;
  }
}
