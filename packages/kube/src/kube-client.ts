// A small REST client for the resources the controller uses: get, list, create, replace, patch (merge,
// JSON, strategic), status patches, delete and watch. Objects stay raw JSON; errors are KubeApiErrors;
// requests are rate limited (qps/burst) and each has a timeout.
import type { KubeConfig } from '@kubernetes/client-node';
import { type Clock, realClock } from './clock';
import { type HttpRequest, HttpTransport, type Query } from './http-transport';
import { KubeApiError } from './kube-api-error';
import { TokenBucket } from './rate-limiter';
import { type ResourceType, resourcePath } from './resources';

export type PatchType = 'merge' | 'json' | 'strategic';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  signal?: AbortSignal;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Asks the server to end the watch after this long; the client gives up a little later. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface PatchOptions {
  namespace?: string;
  type?: PatchType;
  subresource?: 'status' | 'scale';
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** One request as it happened, for metrics, logs and tests that count writes. */
export interface RequestRecord {
  method: HttpRequest['method'];
  path: string;
  query?: Query;
  /** The HTTP status; 0 when no answer came (network error, timeout). */
  status: number;
  durationMs: number;
  watch?: boolean;
}

export interface KubeClientOptions {
  /** Requests per second, sustained (default 40). */
  qps?: number;
  /** Requests allowed in a burst above qps (default 80). */
  burst?: number;
  /** Timeout of every request that is not a watch (default 30 s). */
  timeoutMs?: number;
  /** How long after its timeoutSeconds a watch is given up on the client side (default 30 s). */
  watchGraceMs?: number;
  clock?: Clock;
  onRequest?: (record: RequestRecord) => void;
  /**
   * Asked right before each write (POST, PUT, PATCH, DELETE) is sent, after the rate limiter: a throw
   * refuses it (leader election fences the writes of a replica that lost its lease this way).
   */
  writeGuard?: (req: { method: HttpRequest['method']; path: string }) => void;
}

export class KubeClient {
  private readonly transport: HttpTransport;
  private readonly limiter: TokenBucket;
  private readonly timeoutMs: number;
  private readonly watchGraceMs: number;
  private readonly clock: Clock;

  constructor(
    kc: KubeConfig,
    private readonly options: KubeClientOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.transport = new HttpTransport(kc, this.clock);
    this.limiter = new TokenBucket(options.qps ?? 40, options.burst ?? 80, this.clock);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.watchGraceMs = options.watchGraceMs ?? 30_000;
  }

  /** The API server's URL. */
  get server(): string {
    return this.transport.server;
  }

  get<T>(res: ResourceType, name: string, namespace?: string): Promise<T> {
    return this.call<T>({ method: 'GET', path: resourcePath(res, namespace, name) });
  }

  /** One page of a list (all of it unless `limit` is given). */
  async list<T>(res: ResourceType, opts: ListOptions = {}): Promise<KubeList<T>> {
    const { namespace, labelSelector, fieldSelector, limit } = opts;
    const query = { labelSelector, fieldSelector, limit, continue: opts.continue };
    const path = resourcePath(res, namespace);
    const list = await this.call<KubeList<T>>({ method: 'GET', path, query, signal: opts.signal });
    if (res.kind) {
      const apiVersion = res.group ? `${res.group}/${res.version}` : res.version;
      for (const item of list.items as Record<string, unknown>[]) {
        item.apiVersion ??= apiVersion;
        item.kind ??= res.kind;
      }
    }
    return list;
  }

  /** Every page of a list, `pageSize` objects at a time; the resourceVersion is the last page's. */
  async listAll<T>(res: ResourceType, opts: ListOptions = {}, pageSize = 500): Promise<KubeList<T>> {
    const items: T[] = [];
    let page = await this.list<T>(res, { ...opts, limit: pageSize });
    items.push(...page.items);
    for (let pages = 1; page.metadata.continue && pages < 100_000; pages++) {
      page = await this.list<T>(res, { ...opts, limit: pageSize, continue: page.metadata.continue });
      items.push(...page.items);
    }
    return { ...page, metadata: { resourceVersion: page.metadata.resourceVersion }, items };
  }

  create<T extends { metadata?: { namespace?: string } }>(
    res: ResourceType,
    obj: T,
    namespace = obj.metadata?.namespace,
  ): Promise<T> {
    return this.call<T>({ method: 'POST', path: resourcePath(res, namespace), body: obj });
  }

  /** PUT: replaces the object (its metadata.resourceVersion guards against lost updates). */
  replace<T extends { metadata: { name: string; namespace?: string } }>(
    res: ResourceType,
    obj: T,
  ): Promise<T> {
    const path = resourcePath(res, obj.metadata.namespace, obj.metadata.name);
    return this.call<T>({ method: 'PUT', path, body: obj });
  }

  patch<T>(res: ResourceType, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    return this.call<T>({
      method: 'PATCH',
      path: resourcePath(res, opts.namespace, name, opts.subresource),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  patchStatus<T>(
    res: ResourceType,
    name: string,
    patch: unknown,
    opts: Omit<PatchOptions, 'subresource'> = {},
  ): Promise<T> {
    return this.patch<T>(res, name, patch, { ...opts, subresource: 'status' });
  }

  async delete(res: ResourceType, name: string, opts: DeleteOptions = {}): Promise<void> {
    const { propagationPolicy, preconditions } = opts;
    const body =
      propagationPolicy || preconditions
        ? { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, preconditions }
        : undefined;
    await this.call<unknown>({ method: 'DELETE', path: resourcePath(res, opts.namespace, name), body });
  }

  /**
   * Watches a collection: `onEvent` gets each ADDED/MODIFIED/DELETED/BOOKMARK event in order. Resolves
   * when the watch ends cleanly (server timeout, cut, `signal` aborted); rejects with a KubeApiError for
   * an ERROR event (410 Expired: relist) or an HTTP error, or with what `onEvent` threw.
   */
  async watch<T>(
    res: ResourceType,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<void> {
    const own = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal;
    const timeoutSeconds = opts.timeoutSeconds;
    const req: HttpRequest = {
      method: 'GET',
      path: resourcePath(res, opts.namespace),
      query: {
        watch: 1,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks || undefined,
        timeoutSeconds,
      },
      timeoutMs: (timeoutSeconds ?? 3600) * 1000 + this.watchGraceMs,
      signal,
    };
    let failure: unknown;
    const onLine = (line: string) => {
      if (failure !== undefined) return;
      try {
        const event = JSON.parse(line) as { type: string; object: unknown };
        if (event.type === 'ERROR') {
          throw KubeApiError.fromResponse(500, event.object, `watch ${req.path}`);
        }
        onEvent(event as WatchEvent<T>);
      } catch (err) {
        failure = err;
        own.abort();
      }
    };
    await this.limited(req, true, () => this.transport.stream(req, onLine));
    if (failure !== undefined) throw failure;
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }

  private async call<T>(partial: Omit<HttpRequest, 'timeoutMs'>): Promise<T> {
    const req: HttpRequest = { ...partial, timeoutMs: this.timeoutMs };
    const res = await this.limited(req, false, () => this.transport.request(req));
    if (res.status >= 200 && res.status < 300) return res.body as T;
    if (res.status === 401) this.transport.resetCredentials();
    throw KubeApiError.fromResponse(res.status, res.body, `${req.method} ${req.path}`, res.retryAfter);
  }

  private async limited<R>(req: HttpRequest, watch: boolean, send: () => Promise<R>): Promise<R> {
    await this.limiter.take(req.signal);
    if (req.method !== 'GET') this.options.writeGuard?.(req);
    const start = this.clock.now();
    let status = 0;
    try {
      const result = await send();
      status = watch ? 200 : ((result as { status?: number }).status ?? 0);
      return result;
    } catch (err) {
      if (err instanceof KubeApiError) status = err.code;
      throw err;
    } finally {
      this.options.onRequest?.({
        method: req.method,
        path: req.path,
        query: req.query,
        status,
        durationMs: this.clock.now() - start,
        watch: watch || undefined,
      });
    }
  }
}
