// The Prometheus provider against a real Prometheus (the installed binary), scraping an app whose
// request counters the test sets. One Prometheus for the whole file.
//
// Skips, and says so, when prometheus is not installed; when CI is set it fails instead (CI
// installs it: apt-get install -y prometheus).
import type { Metric, PrometheusMetric } from '@ramp/api';
import {
  type PrometheusQueryData,
  type PrometheusServer,
  prometheusForTests,
  type RequestMetricsApp,
  SEED_REJECT_RATIO_QUERY,
  sampleValues,
  startPrometheus,
  startRequestMetricsApp,
  waitForSample,
} from '@ramp/testkit';
import { PrometheusProvider } from './prometheus-provider';
import type { ProviderContext, ProviderOutcome } from './provider';

const availability = prometheusForTests();
const describeReal = availability.available ? describe : describe.skip;
if (!availability.available) {
  console.warn(`Skipping the real-Prometheus tests: ${availability.reason}`);
}

const ctx: ProviderContext = { now: () => new Date() };
const TEST_TIMEOUT_MS = 30_000;
const WAIT_MS = 20_000;

const near = (expected: number) => (data: PrometheusQueryData) => {
  const values = sampleValues(data);
  return values.length === 1 && Math.abs((values[0] ?? Number.NaN) - expected) < 1e-9;
};

describeReal(
  `Prometheus provider against a real Prometheus${availability.available ? '' : ' (SKIPPED: prometheus is not installed)'}`,
  () => {
    let app: RequestMetricsApp;
    let idle: RequestMetricsApp;
    let prometheus: PrometheusServer;
    const provider = new PrometheusProvider({ env: {} });

    const measure = (query: string, extra: Partial<PrometheusMetric> = {}): Promise<ProviderOutcome> => {
      const metric: Metric = {
        name: 'm',
        provider: { prometheus: { address: prometheus.url, query, ...extra } },
      };
      return provider.measure(metric, ctx);
    };

    beforeAll(async () => {
      app = await startRequestMetricsApp();
      // A second service that never sees traffic: both its counters stay at 0.
      idle = await startRequestMetricsApp({ service: 'idle-service' });
      prometheus = await startPrometheus({
        scrapeTargets: [app.target, idle.target],
        scrapeIntervalSeconds: 1,
      });
    }, 60_000);

    afterAll(async () => {
      await prometheus?.stop();
      await app?.close();
      await idle?.close();
    }, 30_000);

    it(
      'the seed query gives ~0.01 at 1% rejects, then ~0.2 at 20%',
      async () => {
        app.addRequests(1000, 10);
        await waitForSample(prometheus.url, SEED_REJECT_RATIO_QUERY, near(0.01), WAIT_MS);
        const first = await measure(SEED_REJECT_RATIO_QUERY);
        expect(first).toEqual({
          kind: 'value',
          value: [expect.closeTo(0.01, 9)],
          metadata: { ResolvedPrometheusQuery: SEED_REJECT_RATIO_QUERY.trim() },
        });

        // Cumulative counters: 5000 received, 1000 rejected in all → 0.2.
        app.addRequests(4000, 990);
        await waitForSample(prometheus.url, SEED_REJECT_RATIO_QUERY, near(0.2), WAIT_MS);
        const second = await measure(SEED_REJECT_RATIO_QUERY);
        expect(second.kind).toBe('value');
        expect(second.kind === 'value' && second.value).toEqual([expect.closeTo(0.2, 9)]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a query matching no series gives []',
      async () => {
        const outcome = await measure('sum(number_of_request_reject_total{service="no-such-service"})');
        expect(outcome).toMatchObject({ kind: 'value', value: [] });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      '0/0 (the seed query for a service without traffic) gives [NaN]',
      async () => {
        const idleQuery = SEED_REJECT_RATIO_QUERY.replaceAll(app.service, idle.service);
        await waitForSample(prometheus.url, idleQuery, (data) => sampleValues(data).length === 1, WAIT_MS);
        const outcome = await measure(idleQuery);
        expect(outcome.kind).toBe('value');
        const value = outcome.kind === 'value' ? (outcome.value as number[]) : [];
        expect(value).toHaveLength(1);
        expect(value[0]).toBeNaN();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'scalars come back as numbers, ±Inf included',
      async () => {
        expect(await measure('scalar(vector(0.25))')).toMatchObject({ kind: 'value', value: 0.25 });
        expect(await measure('1/0')).toMatchObject({ kind: 'value', value: Number.POSITIVE_INFINITY });
        expect(await measure('-1/0')).toMatchObject({ kind: 'value', value: Number.NEGATIVE_INFINITY });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "broken PromQL gives an error quoting Prometheus' parser",
      async () => {
        const outcome = await measure('sum(');
        expect(outcome.kind).toBe('error');
        expect(outcome.kind === 'error' && outcome.message).toMatch(
          /^Prometheus returned bad_data: .*parse error/,
        );
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a range query over the last 10s gives one flat array of every sample',
      async () => {
        // Two series (the two services), at least two 1s steps of scraped data.
        const query = 'number_of_request_receive_by_master_total';
        await waitForSample(
          prometheus.url,
          `count_over_time(${query}[10s])`,
          (data) => {
            const counts = sampleValues(data);
            return counts.length === 2 && counts.every((n) => n >= 3);
          },
          WAIT_MS,
        );
        const outcome = await measure(query, {
          rangeQuery: { start: 'now() - duration("10s")', end: 'now()', step: '1s' },
        });
        expect(outcome.kind).toBe('value');
        const values = outcome.kind === 'value' ? (outcome.value as number[]) : [];
        expect(Array.isArray(values)).toBe(true);
        expect(values.length).toBeGreaterThanOrEqual(4);
        expect(values.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
        // The busy service's latest total and the idle service's zeros are both in there.
        expect(values).toContain(5000);
        expect(values).toContain(0);
        expect(outcome.metadata?.['rangeQueryStep']).toBe('1s');
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'with Prometheus stopped, the measurement is a connection error naming the address',
      async () => {
        await prometheus.stop();
        const outcome = await measure(SEED_REJECT_RATIO_QUERY);
        expect(outcome).toMatchObject({
          kind: 'error',
          message: `cannot reach Prometheus at ${prometheus.url} (connection refused)`,
        });
      },
      TEST_TIMEOUT_MS,
    );
  },
);
