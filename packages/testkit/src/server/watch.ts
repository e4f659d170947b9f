/**
 * Watch streams: newline-delimited JSON events over a chunked response. Starts from a resourceVersion
 * (replaying the bounded history; 410 as an ERROR event when it is compacted) or with synthetic ADDED
 * events of the current objects (resourceVersion unset or "0"); BOOKMARKs when allowed; ends cleanly on
 * `timeoutSeconds`, on an injected watch cut, or when the server stops.
 */
import type { ServerResponse } from 'node:http';
import { keyOf } from '../resources/resource-type';
import type { FieldRequirement } from '../semantics/field-selector';
import { matchesFields } from '../semantics/field-selector';
import { type LabelSelector, matchesLabels } from '../semantics/label-selector';
import { failure } from '../semantics/status';
import { type IncludeObject, toTable } from '../semantics/table';
import type { Operations, Scope } from '../store/operations';
import type { StoreEvent } from '../store/watch-hub';
import type { KubeObject } from '../types';

export interface WatchRequest {
  scope: Scope;
  labels: LabelSelector;
  fields: FieldRequirement[];
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutMs?: number;
  table?: IncludeObject;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
  cutAfterMs?: number;
}

export class WatchStream {
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private tableColumnsSent = false;

  constructor(
    private readonly ops: Operations,
    private readonly req: WatchRequest,
    private readonly res: ServerResponse,
    private readonly onEnd: (stream: WatchStream) => void,
  ) {}

  start(settings: WatchSettings): void {
    const { scope } = this.req;
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.res.flushHeaders();
    this.res.on('close', () => this.cleanup());
    const rv = this.req.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0') {
      for (const obj of this.ops.store.peekList(keyOf(scope.type), scope.namespace)) {
        if (this.matches(obj)) this.send('ADDED', obj);
      }
      if (this.req.sendInitialEvents && this.req.allowBookmarks) this.bookmark(true);
    } else {
      const from = Number(rv);
      const events = Number.isFinite(from) ? this.ops.store.hub.since(from) : undefined;
      if (!events) {
        const oldest = this.ops.store.hub.oldestAvailable + 1;
        this.write('ERROR', failure(410, 'Expired', `too old resource version: ${rv} (${oldest})`));
        this.end();
        return;
      }
      for (const event of events) this.deliver(event);
    }
    this.unsubscribe = this.ops.store.hub.subscribe((event) => this.deliver(event));
    if (this.req.allowBookmarks) this.every(settings.bookmarkIntervalMs, () => this.bookmark(false));
    if (this.req.timeoutMs !== undefined) {
      this.after(this.req.timeoutMs, () => {
        if (this.req.allowBookmarks) this.bookmark(false);
        this.end();
      });
    }
    if (settings.cutAfterMs !== undefined) this.after(settings.cutAfterMs, () => this.end());
  }

  /** Ends the stream cleanly (the client sees the response finish, as on a server-side timeout). */
  end(): void {
    if (this.closed) return;
    this.cleanup();
    this.res.end();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.onEnd(this);
  }

  private after(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms));
  }

  private every(ms: number, fn: () => void): void {
    const tick = () => {
      fn();
      if (!this.closed) this.after(ms, tick);
    };
    this.after(ms, tick);
  }

  private matches(obj: KubeObject): boolean {
    const { scope, labels, fields } = this.req;
    if (scope.namespace !== undefined && obj.metadata.namespace !== scope.namespace) return false;
    return matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, obj);
  }

  private deliver(event: StoreEvent): void {
    if (this.closed || event.key !== keyOf(this.req.scope.type)) return;
    const now = this.matches(event.object);
    if (event.type === 'MODIFIED' && event.previous) {
      const before = this.matches(event.previous);
      if (before && now) this.send('MODIFIED', event.object);
      else if (before) this.send('DELETED', event.object);
      else if (now) this.send('ADDED', event.object);
      return;
    }
    if (now) this.send(event.type, event.object);
  }

  private send(type: string, obj: KubeObject): void {
    const { scope, table } = this.req;
    // Only serialized: a view of the stored object, not a copy.
    const out = this.ops.view(scope.type, scope.version, obj);
    if (table) {
      const withColumns = !this.tableColumnsSent;
      this.tableColumnsSent = true;
      this.write(type, toTable(scope.type, scope.version, [out], { include: table, withColumns }));
    } else this.write(type, out);
  }

  private bookmark(initialEventsEnd: boolean): void {
    const { scope } = this.req;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.ops.store.resourceVersion) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const gv = scope.type.group ? `${scope.type.group}/${scope.version}` : scope.version;
    this.write('BOOKMARK', { kind: scope.type.kind, apiVersion: gv, metadata });
  }

  private write(type: string, object: unknown): void {
    if (this.closed && type !== 'ERROR') return;
    this.res.write(`${JSON.stringify({ type, object })}\n`);
  }
}
