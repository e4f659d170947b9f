// A list kept current by a watch: list once, then watch from that resourceVersion, watch again when the
// server ends the stream, list again on 410 Gone. Each change is reported; transient failures are retried
// a few times with a pause before the last error is given up on.
import type { ResourceType } from '@ramp/kube';
import type { KubeObj } from './model';
import { isGone, type Session } from './session';

export interface Query {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type Change<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T } | { type: 'RELISTED' };

const keyOf = (o: KubeObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class LiveList<T extends KubeObj> {
  readonly items = new Map<string, T>();
  private resourceVersion: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly res: ResourceType,
    private readonly query: Query,
    private readonly onChange: (change: Change<T>) => void = () => {},
    /** Server-side timeout of each watch request, in seconds. */
    private readonly watchSeconds = 300,
  ) {}

  get values(): T[] {
    return [...this.items.values()];
  }

  /** Lists the objects (replacing what was known). */
  async load(): Promise<void> {
    const list = await this.session.client.list<T>(this.res, this.query);
    this.items.clear();
    for (const item of list.items) this.items.set(keyOf(item), item);
    this.resourceVersion = list.metadata.resourceVersion;
  }

  /** Watches until `signal` aborts (then resolves); rejects once failures keep coming. */
  async follow(signal: AbortSignal, maxFailures = 5): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.session.client.watch<T>(
          this.res,
          {
            ...this.query,
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.watchSeconds,
            signal,
          },
          (event) => this.apply(event.type, event.object),
        );
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) {
          await this.load();
          this.onChange({ type: 'RELISTED' });
          continue;
        }
        failures += 1;
        if (failures >= maxFailures) throw err;
        await sleep(Math.min(250 * 2 ** failures, 2000), signal);
      }
    }
  }

  private apply(type: string, object: T): void {
    const rv = object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') this.items.delete(keyOf(object));
    else if (type === 'ADDED' || type === 'MODIFIED') this.items.set(keyOf(object), object);
    else return;
    this.onChange({ type, object });
  }
}
