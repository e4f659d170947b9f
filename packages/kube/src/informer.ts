// List+watch of one resource into an ObjectCache: an initial list, then a watch from the list's
// resourceVersion; a watch that ends is resumed from the last resourceVersion seen (bookmarks included);
// a 410 Gone relists and emits the differences, so the cache stays exact; errors retry with a capped,
// jittered exponential backoff. Handlers run after the cache is updated.
import { type BackoffPolicy, backoffDelay } from './backoff';
import { type Clock, realClock, sleep } from './clock';
import { isGone } from './kube-api-error';
import type { KubeClient, WatchEvent } from './kube-client';
import { errorFields, type Log, silentLog } from './log';
import { type CachedObject, cacheKey, type IndexFn, ObjectCache } from './object-cache';
import { type ResourceType, resourceName } from './resources';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends CachedObject> {
  resource: ResourceType;
  /** Only this namespace (default: all). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, IndexFn<T>>;
  /** Applied to every object before it is cached (default: drops metadata.managedFields). */
  transform?: (obj: T) => T;
  clock?: Clock;
  random?: () => number;
  /** Backoff after errors (default 500 ms doubling to 30 s). */
  backoff?: BackoffPolicy;
  /** The timeoutSeconds of each watch (default: a random value in 300..600). */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  log?: Log;
}

/** Drops what decisions never read (managedFields can be most of an object's size). */
export function dropManagedFields<T extends CachedObject>(obj: T): T {
  const meta = obj.metadata as { managedFields?: unknown };
  if (meta.managedFields !== undefined) delete meta.managedFields;
  return obj;
}

export class Informer<T extends CachedObject> {
  readonly cache: ObjectCache<T>;
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly transform: (obj: T) => T;
  private readonly log: Log;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private synced = false;
  private rv: string | undefined;
  private failure: unknown;
  private readonly syncWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly options: InformerOptions<T>,
  ) {
    this.cache = new ObjectCache<T>(options.indexers);
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.transform = options.transform ?? dropManagedFields;
    this.log = (options.log ?? silentLog).child({ resource: resourceName(options.resource) });
  }

  /** Handlers for later changes (register them before start()); returns their removal. */
  addHandlers(handlers: InformerHandlers<T>): () => void {
    this.handlers.push(handlers);
    return () => {
      const i = this.handlers.indexOf(handlers);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = this.run();
  }

  /** Stops watching; resolves once the loop has ended (an open request is aborted). */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const waiter of this.syncWaiters.splice(0)) waiter.reject(new Error('informer stopped'));
    await this.running;
  }

  /** True once the first list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves when the first list is in the cache; rejects if the informer stops first. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.abort.signal.aborted) return Promise.reject(new Error('informer stopped'));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The error of the last list or watch, until one succeeds (e.g. a 404: the resource is not served). */
  get lastError(): unknown {
    return this.failure;
  }

  /** The resourceVersion the next watch starts from. */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace, name);
  }

  list(namespace?: string): T[] {
    return this.cache.list(namespace);
  }

  byIndex(index: string, value: string): T[] {
    return this.cache.byIndex(index, value);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    let needList = true;
    while (!signal.aborted) {
      let delay: number;
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const started = this.clock.now();
        const events = await this.watchOnce();
        failures = 0;
        this.failure = undefined;
        // A watch the server ends at once, with nothing in it, is retried after a pause, not in a spin.
        if (events > 0 || this.clock.now() - started >= 1000) continue;
        delay = this.backoff.initialMs;
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        this.failure = err;
        if (isGone(err)) {
          needList = true;
          this.log.info({ resourceVersion: this.rv }, 'watch history expired (410); relisting');
          if (failures === 1) continue;
        } else {
          this.log.warn({ ...errorFields(err), failures, relist: needList }, 'list/watch failed; retrying');
        }
        delay = backoffDelay(failures, this.backoff, this.random);
      }
      await sleep(this.clock, delay, signal);
    }
  }

  /** Lists everything and makes the cache equal to it, emitting adds, updates and deletes. */
  private async relist(): Promise<void> {
    const { resource, namespace, labelSelector, fieldSelector } = this.options;
    const list = await this.client.listAll<T>(
      resource,
      { namespace, labelSelector, fieldSelector, signal: this.abort.signal },
      this.options.pageSize,
    );
    if (this.abort.signal.aborted) return;
    const seen = new Set<string>();
    for (const raw of list.items) {
      const obj = this.transform(raw);
      const key = cacheKey(obj);
      seen.add(key);
      const old = this.cache.upsert(obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.emit((h) => h.onUpdate?.(old, obj));
      }
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.remove(key);
      if (old) this.emit((h) => h.onDelete?.(old));
    }
    this.rv = list.metadata.resourceVersion;
    this.failure = undefined;
    this.log.debug({ objects: list.items.length, resourceVersion: this.rv }, 'listed');
    if (!this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters.splice(0)) waiter.resolve();
    }
  }

  /** One watch from the current resourceVersion; returns how many events it carried. */
  private async watchOnce(): Promise<number> {
    const { resource, namespace, labelSelector, fieldSelector } = this.options;
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? Math.floor(300 * (1 + this.random()));
    let events = 0;
    await this.client.watch<T>(
      resource,
      {
        namespace,
        labelSelector,
        fieldSelector,
        resourceVersion: this.rv,
        allowWatchBookmarks: true,
        timeoutSeconds,
        signal: this.abort.signal,
      },
      (event) => {
        events++;
        this.apply(event);
      },
    );
    return events;
  }

  private apply(event: WatchEvent<T>): void {
    const rv = event.object?.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    const obj = this.transform(event.object);
    const key = cacheKey(obj);
    if (event.type === 'DELETED') {
      const old = this.cache.remove(key);
      this.emit((h) => h.onDelete?.(old ?? obj));
    } else {
      const old = this.cache.upsert(obj);
      if (old) this.emit((h) => h.onUpdate?.(old, obj));
      else this.emit((h) => h.onAdd?.(obj));
    }
    if (rv) this.rv = rv;
  }

  private emit(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (err) {
        this.log.error(errorFields(err), 'informer handler failed');
      }
    }
  }
}
