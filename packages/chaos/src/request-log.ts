// The controller's requests, as testkit's API server logs them (its debug line per request:
// `METHOD PATH STATUS DURATIONms`). In a chaos run the controller is the only HTTP client (the script
// and the monitor use the store directly), so every request logged is the controller's: its writes
// (POST, PUT, PATCH, DELETE: Events included) are counted, and the faults answered to it.
const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) \d+ms$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `PATCH rollouts/status`: the verb and the resource (with its subresource) of a request path. */
export function requestKey(method: string, path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const ns = parts.indexOf('namespaces');
  const rest = ns >= 0 ? parts.slice(ns + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
  const resource = [rest[0], rest[2]].filter(Boolean).join('/');
  return `${method} ${resource || path}`;
}

export class RequestLog {
  requests = 0;
  writes = 0;
  /** 5xx and 429 answers: the injected errors (testkit answers none of its own). */
  errors = 0;
  /** 409 answers: injected conflicts and real ones. */
  conflicts = 0;
  lastWriteAt = 0;
  private readonly writesBy = new Map<string, number>();
  private readonly warnings: string[] = [];

  /** A testkit Logger, given every line (debug included): pass it as `logger` to startTestCluster. */
  readonly logger = {
    debug: (message: string) => this.onLine(message),
    info: (_message: string) => {},
    warn: (message: string) => {
      this.warnings.push(message);
      if (this.warnings.length > 20) this.warnings.shift();
    },
  };

  /** Writes by `VERB resource` since the counts were `since` (from snapshot()). */
  writesSince(since: Map<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, n] of this.writesBy) {
      const d = n - (since.get(key) ?? 0);
      if (d > 0) out[key] = d;
    }
    return out;
  }

  snapshot(): Map<string, number> {
    return new Map(this.writesBy);
  }

  lastWarnings(): string[] {
    return [...this.warnings];
  }

  private onLine(message: string): void {
    const m = REQUEST_LINE.exec(message);
    if (!m) return;
    const [, method, path, status] = m as unknown as [string, string, string, string];
    this.requests += 1;
    const code = Number(status);
    if (code >= 500 || code === 429) this.errors += 1;
    if (code === 409) this.conflicts += 1;
    if (!WRITES.has(method)) return;
    this.writes += 1;
    this.lastWriteAt = Date.now();
    const key = requestKey(method, path);
    this.writesBy.set(key, (this.writesBy.get(key) ?? 0) + 1);
  }
}
