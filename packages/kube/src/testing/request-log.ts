// Records the requests a KubeClient sends, for tests that count reads and writes.
import type { RequestRecord } from '../kube-client';

/** Records the requests of a KubeClient (pass `log.record` as its onRequest). */
export class RequestLog {
  readonly records: RequestRecord[] = [];
  readonly record = (r: RequestRecord): void => {
    this.records.push(r);
  };

  /** Writes (POST, PUT, PATCH, DELETE) since `from`, as `METHOD path`. */
  writes(from = 0): string[] {
    return this.records
      .slice(from)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
  }

  get length(): number {
    return this.records.length;
  }
}
