// The objects of one resource kept in memory by key (`namespace/name`), with a namespace index and
// named indexes (e.g. by controller owner uid), so reconciles read without asking the API server.
import type { ObjectMetaFields } from '@ramp/api';

/** What a cache needs of an object: its metadata (Rollouts from @ramp/api type the name as optional). */
export interface CachedObject {
  metadata: ObjectMetaFields;
}

/** `namespace/name`, the key of the work queue and the caches (`name` for cluster-scoped objects). */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function cacheKey(obj: CachedObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

/** The values an object is indexed under (none: not indexed). */
export type IndexFn<T> = (obj: T) => string[];

/** Index of objects by the uid of their controller owner (ownerReferences[].controller: true). */
export const CONTROLLER_UID_INDEX = 'controllerUid';

export function controllerUidIndex(obj: CachedObject): string[] {
  const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
  return owner ? [owner.uid] : [];
}

export class ObjectCache<T extends CachedObject> {
  private readonly objects = new Map<string, T>();
  private readonly namespaces = new Map<string, Set<string>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Readonly<Record<string, IndexFn<T>>> = {}) {
    for (const name of Object.keys(indexers)) this.indexes.set(name, new Map());
  }

  get size(): number {
    return this.objects.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): T | undefined {
    return this.objects.get(key);
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.objects.values()];
    return this.resolve(this.namespaces.get(namespace));
  }

  /** The objects indexed under `value` by the indexer `index`. */
  byIndex(index: string, value: string): T[] {
    const byValue = this.indexes.get(index);
    if (!byValue) throw new Error(`no index "${index}" on this cache`);
    return this.resolve(byValue.get(value));
  }

  /** Adds or replaces an object; returns the one it replaced. */
  upsert(obj: T): T | undefined {
    const key = cacheKey(obj);
    const old = this.objects.get(key);
    if (old) this.unindex(key, old);
    this.objects.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes an object by key; returns it. */
  remove(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.objects.delete(key);
    return old;
  }

  private resolve(keys: Set<string> | undefined): T[] {
    const out: T[] = [];
    for (const key of keys ?? []) {
      const obj = this.objects.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  private index(key: string, obj: T): void {
    addTo(this.namespaces, obj.metadata.namespace ?? '', key);
    for (const [name, fn] of Object.entries(this.indexers)) {
      const byValue = this.indexes.get(name)!;
      for (const value of fn(obj)) addTo(byValue, value, key);
    }
  }

  private unindex(key: string, obj: T): void {
    removeFrom(this.namespaces, obj.metadata.namespace ?? '', key);
    for (const [name, fn] of Object.entries(this.indexers)) {
      const byValue = this.indexes.get(name)!;
      for (const value of fn(obj)) removeFrom(byValue, value, key);
    }
  }
}

function addTo(map: Map<string, Set<string>>, value: string, key: string): void {
  let keys = map.get(value);
  if (!keys) {
    keys = new Set();
    map.set(value, keys);
  }
  keys.add(key);
}

function removeFrom(map: Map<string, Set<string>>, value: string, key: string): void {
  const keys = map.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) map.delete(value);
}
