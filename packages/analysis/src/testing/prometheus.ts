// The fake Prometheus (a local server on 127.0.0.1) and helpers shared by the Prometheus provider tests;
// the server lifecycle, `answer`, `measuredValue` and `messageOf` are also used by the web provider tests.
import type { Metric, PrometheusMetric } from '@ramp/api';
import { PrometheusProvider } from '../providers/prometheus-provider';
import type { ProviderContext, ProviderOutcome } from '../providers/provider';
import { json, type LocalServer, startLocalServer } from './local-server';

export const NOW = new Date('2024-05-01T10:00:00.000Z');
export const ctx: ProviderContext = { now: () => NOW };
export const QUERY = 'sum(rate(x[1m]))';

export let server: LocalServer;

/** Starts a local server for the calling test file and clears its request log before each test. */
export function useLocalServer(): void {
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
}

/** Starts the fake Prometheus for the calling test file (see `useLocalServer`). */
export function useFakePrometheus(): void {
  useLocalServer();
}

export function metric(prometheus: Partial<PrometheusMetric>): Metric {
  return { name: 'm', provider: { prometheus: { address: server.url, query: QUERY, ...prometheus } } };
}

export function provider(env: Record<string, string> = {}): PrometheusProvider {
  return new PrometheusProvider({ env, retryMinDelayMs: 10 });
}

export function success(data: unknown, extra: Record<string, unknown> = {}) {
  return { status: 'success', data, ...extra };
}

export function answer(body: unknown, status = 200): void {
  server.handle((_req, res) => json(res, status, body));
}

export function measuredValue(outcome: ProviderOutcome): unknown {
  if (outcome.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

export function messageOf(outcome: ProviderOutcome): string {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}
