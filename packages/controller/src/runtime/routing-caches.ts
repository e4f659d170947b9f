// The routers' objects, cached by one registry of informers (not one field per resource): an informer
// for a routing resource starts the first time a Rollout's router watches that resource, at the first
// version the API server serves (route-resources.ts), and runs until the controller stops. A resource
// the server does not serve (its CRD is not installed) is looked for again with a backoff, and its
// state says so, which becomes the Rollout's TrafficRouting condition.
import {
  type BackoffPolicy,
  backoffDelay,
  type CachedObject,
  type Clock,
  errorFields,
  Informer,
  type InformerHandlers,
  isNotFound,
  type KubeClient,
  type Log,
  type ResourceType,
  realClock,
  resourceName,
  silentLog,
  sleep,
} from '@ramp/kube';
import type { ResourceState, RouteObject, RouteObjects, RouteResourceName } from '../routing/router';

export interface RoutingCachesOptions {
  client: KubeClient;
  /** Each resource's versions, preferred first. */
  versions: Record<RouteResourceName, ResourceType[]>;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  clock?: Clock;
  random?: () => number;
  log?: Log;
  /** Backoff between looks for a resource the server does not serve (default 2 s doubling to 60 s). */
  backoff?: BackoffPolicy;
}

/** Handlers for every routing informer, and a call when a resource's cache has listed. */
export interface RoutingHandlers extends InformerHandlers<CachedObject> {
  onListed?(resource: RouteResourceName): void;
}

interface Entry {
  informer?: Informer<RouteObject & CachedObject>;
  version?: ResourceType;
  /** Why there is no informer (yet). */
  error?: string;
}

function describe(err: unknown): string {
  const fields = errorFields(err);
  return String(fields.err);
}

export class RoutingCaches implements RouteObjects {
  private readonly entries = new Map<RouteResourceName, Entry>();
  private readonly handlers: RoutingHandlers[] = [];
  private readonly abort = new AbortController();
  private readonly running: Promise<void>[] = [];
  private readonly clock: Clock;
  private readonly log: Log;

  constructor(private readonly options: RoutingCachesOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
  }

  /** Handlers for the objects of every routing informer, those started later included. */
  addHandlers(handlers: RoutingHandlers): void {
    this.handlers.push(handlers);
    for (const entry of this.entries.values()) entry.informer?.addHandlers(handlers);
  }

  /** Starts caching `resource` unless it is cached already (or the caches are stopped). */
  watch(resource: RouteResourceName): void {
    if (this.entries.has(resource) || this.abort.signal.aborted) return;
    const entry: Entry = {};
    this.entries.set(resource, entry);
    this.running.push(this.select(resource, entry));
  }

  /** The resources being cached. */
  watched(): RouteResourceName[] {
    return [...this.entries.keys()];
  }

  get(resource: RouteResourceName, namespace: string, name: string): RouteObject | undefined {
    return this.entries.get(resource)?.informer?.get(namespace, name);
  }

  list(resource: RouteResourceName, namespace: string): RouteObject[] {
    return this.entries.get(resource)?.informer?.list(namespace) ?? [];
  }

  state(resource: RouteResourceName): ResourceState {
    const entry = this.entries.get(resource);
    if (!entry) return { listed: false };
    const { informer, version } = entry;
    if (informer && version && informer.hasSynced()) {
      return {
        listed: true,
        apiVersion: version.group ? `${version.group}/${version.version}` : version.version,
      };
    }
    const failure = informer?.lastError;
    const error = failure !== undefined ? describe(failure) : entry.error;
    return error ? { listed: false, error } : { listed: false };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.entries.values()].map((e) => e.informer?.stop()));
    await Promise.all(this.running);
  }

  /** Finds the version the server serves, then runs an informer on it. */
  private async select(resource: RouteResourceName, entry: Entry): Promise<void> {
    const { client, namespace } = this.options;
    const candidates = this.options.versions[resource];
    const policy = this.options.backoff ?? { initialMs: 2000, maxMs: 60_000 };
    const signal = this.abort.signal;
    const versions = candidates.map((c) => c.version).join(', ');
    for (let failures = 1; !signal.aborted; failures++) {
      let failure: string | undefined;
      for (const version of candidates) {
        try {
          await client.list(version, { namespace, limit: 1, signal });
          this.start(resource, entry, version);
          return;
        } catch (err) {
          if (signal.aborted) return;
          if (isNotFound(err)) continue;
          failure = `${resourceName(version)} cannot be listed: ${describe(err)}`;
          break;
        }
      }
      entry.error =
        failure ??
        `the API server does not serve ${resourceName(candidates[0]!)} (versions tried: ${versions}); install its CRD`;
      this.log.warn({ resource, error: entry.error }, 'routing objects cannot be cached yet; looking again');
      await sleep(this.clock, backoffDelay(failures, policy, this.options.random ?? Math.random), signal);
    }
  }

  private start(resource: RouteResourceName, entry: Entry, version: ResourceType): void {
    const informer = new Informer<RouteObject & CachedObject>(this.options.client, {
      resource: version,
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
      clock: this.clock,
      ...(this.options.random ? { random: this.options.random } : {}),
      log: this.log,
    });
    for (const handlers of this.handlers) informer.addHandlers(handlers);
    entry.informer = informer;
    entry.version = version;
    entry.error = undefined;
    informer.start();
    informer.whenSynced().then(
      () => {
        this.log.info({ resource: resourceName(version) }, 'routing objects cached');
        for (const handlers of this.handlers) handlers.onListed?.(resource);
      },
      // stopped before it listed: nothing waits for it
      () => undefined,
    );
  }
}
