import http from 'node:http';
import { register as globalRegistry } from 'prom-client';
import { PrometheusNotInstalledError, prometheusForTests } from './prometheus-server';
import { type RequestMetricsApp, startRequestMetricsApp } from './request-metrics-app';

function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/metrics`, { agent: false, timeout: 2000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
        );
      })
      .on('error', reject);
  });
}

const SERIES = 'service="sgdecoding-online-scaled-master"';

describe('startRequestMetricsApp', () => {
  let app: RequestMetricsApp;
  afterEach(async () => {
    jest.useRealTimers();
    await app?.close();
  });

  it('exports both counters at 0 from the start, on its own registry', async () => {
    app = await startRequestMetricsApp();
    expect(app.target).toMatch(/^127\.0\.0\.1:\d+$/);
    const { status, type, body } = await scrape(app.url);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    expect(body).toContain('# TYPE number_of_request_receive_by_master_total counter');
    expect(body).toContain(`number_of_request_receive_by_master_total{${SERIES}} 0`);
    expect(body).toContain(`number_of_request_reject_total{${SERIES}} 0`);
    expect(await globalRegistry.metrics()).not.toContain('number_of_request');
  });

  it('counts explicit requests, per version when asked', async () => {
    app = await startRequestMetricsApp({ podTemplateHash: 'stable1' });
    app.addRequests(1000, 10);
    app.addRequests(100, 20, 'canary2');
    const { body } = await scrape(app.url);
    expect(body).toContain(
      `number_of_request_receive_by_master_total{${SERIES},rollouts_pod_template_hash="stable1"} 1000`,
    );
    expect(body).toContain(
      `number_of_request_reject_total{${SERIES},rollouts_pod_template_hash="stable1"} 10`,
    );
    expect(body).toContain(
      `number_of_request_reject_total{${SERIES},rollouts_pod_template_hash="canary2"} 20`,
    );
    expect(app.totals()).toEqual({ received: 1100, rejected: 30 });
    expect(app.totals('canary2')).toEqual({ received: 100, rejected: 20 });
  });

  it('rejects impossible counts and ratios', async () => {
    app = await startRequestMetricsApp();
    expect(() => app.addRequests(10, 11)).toThrow(/rejected ≤ received/);
    expect(() => app.addRequests(-1)).toThrow();
    expect(() => app.addRequests(1.5)).toThrow();
    expect(() => app.setRejectRatio(1.5)).toThrow(/0\.\.1/);
  });

  it('the ticker adds requests at the reject ratio, exactly in the long run', async () => {
    app = await startRequestMetricsApp();
    jest.useFakeTimers();
    app.setRejectRatio(0.01);
    app.startTicker({ requestsPerSecond: 150, tickMs: 100 });
    jest.advanceTimersByTime(10_000);
    app.stopTicker();
    jest.advanceTimersByTime(5_000);
    expect(app.totals()).toEqual({ received: 1500, rejected: 15 });
    app.setRejectRatio(0.2);
    app.startTicker({ requestsPerSecond: 100 });
    jest.advanceTimersByTime(5_000);
    expect(app.totals()).toEqual({ received: 2000, rejected: 115 });
  });

  it('reset() brings every series back to 0', async () => {
    app = await startRequestMetricsApp();
    app.addRequests(5, 5);
    app.reset();
    expect(app.totals()).toEqual({ received: 0, rejected: 0 });
    expect(await app.metrics()).toContain(`number_of_request_reject_total{${SERIES}} 0`);
  });
});

describe('prometheusForTests', () => {
  const missing = { RAMP_PROMETHEUS_BINARY: '/nonexistent/prometheus' };

  it('skips with the install hint when the binary is missing outside CI', () => {
    expect(prometheusForTests({ ...missing })).toEqual({
      available: false,
      reason: 'prometheus is not installed; run: apt-get install -y prometheus',
    });
    expect(prometheusForTests({ ...missing, CI: 'false' }).available).toBe(false);
  });

  it('fails instead of skipping when CI is set', () => {
    expect(() => prometheusForTests({ ...missing, CI: 'true' })).toThrow(PrometheusNotInstalledError);
    expect(() => prometheusForTests({ ...missing, CI: '1' })).toThrow(
      'prometheus is not installed; run: apt-get install -y prometheus (CI is set, so the real-Prometheus tests fail instead of skipping)',
    );
  });
});
