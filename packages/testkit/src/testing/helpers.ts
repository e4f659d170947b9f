/** Shared by testkit's own tests: fixtures, bounded waiting, raw HTTP. */
import path from 'node:path';
import type { TestCluster } from '../index';

import { waitFor } from '../wait-for';

export { waitFor };

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** The Rollout CRD of the fixtures (FIXTURES/crds holds the upstream CRD bundles, not for every test). */
export const ROLLOUT_CRD = path.join(FIXTURES, 'rollout-crd.yaml');

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One request to the cluster with fetch; the body is parsed as JSON when it is. */
export async function request(
  cluster: TestCluster,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const init: RequestInit = {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    signal: AbortSignal.timeout(5000),
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(cluster.url + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Reads a watch stream's events until `until` says stop or the stream ends; bounded by `timeoutMs`. */
export async function readWatch(
  cluster: TestCluster,
  path: string,
  until: (events: { type: string; object: Record<string, unknown> }[]) => boolean,
  timeoutMs = 5000,
  headers: Record<string, string> = {},
): Promise<{ type: string; object: Record<string, unknown> }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { type: string; object: Record<string, unknown> }[] = [];
  try {
    const res = await fetch(cluster.url + path, { signal: controller.signal, headers });
    if (!res.body) return events;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
      if (until(events)) break;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
    throw new Error(
      `watch ${path} timed out after ${timeoutMs}ms with ${events.length} events: ${JSON.stringify(events.map((e) => e.type))}`,
    );
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
