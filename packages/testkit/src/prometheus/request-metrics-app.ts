// A small app exporting the request counters the seed AnalysisTemplate queries
// (rejected / received for service="sgdecoding-online-scaled-master"), with values the test
// controls. Test infrastructure (and the demo's traffic app later); product code never imports it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';

export const SEED_SERVICE = 'sgdecoding-online-scaled-master';
export const RECEIVED_METRIC = 'number_of_request_receive_by_master_total';
export const REJECTED_METRIC = 'number_of_request_reject_total';
/** The label Argo Rollouts puts on a version's pods; optional here, one series per version. */
export const VERSION_LABEL = 'rollouts_pod_template_hash';

/** The seed template's query, as it stands there (rejected / received). */
export const SEED_REJECT_RATIO_QUERY = `sum(${REJECTED_METRIC}{service="${SEED_SERVICE}"})
/
sum(${RECEIVED_METRIC}{service="${SEED_SERVICE}"})
`;

export interface RequestMetricsAppOptions {
  /** The `service` label; default the seed's "sgdecoding-online-scaled-master". */
  service?: string;
  /** The version label value used when a call gives none; without it, series carry no version label. */
  podTemplateHash?: string;
  /** Default 127.0.0.1 (only loopback is used in tests). */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The share of ticker requests that are rejected, 0..1; default 0. */
  rejectRatio?: number;
}

export interface RequestCounts {
  received: number;
  rejected: number;
}

export interface TickerOptions {
  /** Requests received per second; default 100. */
  requestsPerSecond?: number;
  /** Tick period; default 1000 ms. */
  tickMs?: number;
  /** Version label value for the ticker's requests; default the app's. */
  podTemplateHash?: string;
}

export interface RequestMetricsApp {
  /** http://127.0.0.1:PORT (metrics at /metrics). */
  url: string;
  /** 127.0.0.1:PORT, as a scrape target. */
  target: string;
  port: number;
  service: string;
  /** The app's own prom-client registry (never the global one). */
  registry: Registry;
  /** Counts `received` requests of which `rejected` were rejected (rejected ≤ received). */
  addRequests(received: number, rejected?: number, podTemplateHash?: string): void;
  /** The share of the ticker's requests that are rejected, 0..1. */
  setRejectRatio(ratio: number): void;
  rejectRatio(): number;
  /** Adds requests at a steady rate until stopTicker()/close(); the timer never holds the process open. */
  startTicker(options?: TickerOptions): void;
  stopTicker(): void;
  /** Counts so far, for one version (by pod-template hash) or, without an argument, for all. */
  totals(podTemplateHash?: string): RequestCounts;
  /** Back to zero (Prometheus sees a counter reset); the series stay, at 0. */
  reset(): void;
  /** The exposition text, as a scrape sees it. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export async function startRequestMetricsApp(
  options: RequestMetricsAppOptions = {},
): Promise<RequestMetricsApp> {
  const service = options.service ?? SEED_SERVICE;
  const defaultVersion = options.podTemplateHash;
  let ratio = checkRatio(options.rejectRatio ?? 0);

  const registry = new Registry();
  const labelNames = ['service', VERSION_LABEL] as const;
  const received = new Counter({
    name: RECEIVED_METRIC,
    help: 'Requests received by the master.',
    labelNames,
    registers: [registry],
  });
  const rejected = new Counter({
    name: REJECTED_METRIC,
    help: 'Requests rejected.',
    labelNames,
    registers: [registry],
  });

  const counts = new Map<string | undefined, RequestCounts>();
  const labelsFor = (version: string | undefined) =>
    version === undefined ? { service } : { service, [VERSION_LABEL]: version };
  const add = (nReceived: number, nRejected: number, version: string | undefined) => {
    const labels = labelsFor(version);
    // Both counters always get a sample (even +0), so both series exist from the first call.
    received.inc(labels, nReceived);
    rejected.inc(labels, nRejected);
    const current = counts.get(version) ?? { received: 0, rejected: 0 };
    counts.set(version, { received: current.received + nReceived, rejected: current.rejected + nRejected });
  };
  add(0, 0, defaultVersion);

  let ticker: NodeJS.Timeout | undefined;
  let carryReceived = 0;
  let carryRejected = 0;

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.setHeader('Content-Type', registry.contentType);
          res.end(text);
        },
        (error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        },
      );
      return;
    }
    res.statusCode = req.url === '/' ? 200 : 404;
    res.end(req.url === '/' ? 'ok\n' : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;

  const app: RequestMetricsApp = {
    url: `http://${address}:${port}`,
    target: `${address}:${port}`,
    port,
    service,
    registry,
    addRequests(nReceived, nRejected = 0, version = defaultVersion) {
      if (!isCount(nReceived) || !isCount(nRejected) || nRejected > nReceived) {
        throw new Error(
          `addRequests(${nReceived}, ${nRejected}): counts must be whole, ≥ 0, rejected ≤ received`,
        );
      }
      add(nReceived, nRejected, version);
    },
    setRejectRatio(next) {
      ratio = checkRatio(next);
    },
    rejectRatio: () => ratio,
    startTicker(tick = {}) {
      app.stopTicker();
      const perSecond = tick.requestsPerSecond ?? 100;
      const tickMs = tick.tickMs ?? 1000;
      if (!(perSecond >= 0) || !(tickMs > 0)) throw new Error('requestsPerSecond must be ≥ 0 and tickMs > 0');
      const version = tick.podTemplateHash ?? defaultVersion;
      ticker = setInterval(() => {
        // Whole requests only; the fractions carry over, so the long-run ratio is exact.
        carryReceived += (perSecond * tickMs) / 1000;
        const nReceived = Math.floor(carryReceived + 1e-9);
        carryReceived -= nReceived;
        carryRejected += nReceived * ratio;
        const nRejected = Math.min(nReceived, Math.floor(carryRejected + 1e-9));
        carryRejected -= nRejected;
        add(nReceived, nRejected, version);
      }, tickMs);
      ticker.unref();
    },
    stopTicker() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
    },
    totals(version) {
      if (version !== undefined) return { ...(counts.get(version) ?? { received: 0, rejected: 0 }) };
      let all = { received: 0, rejected: 0 };
      for (const c of counts.values())
        all = { received: all.received + c.received, rejected: all.rejected + c.rejected };
      return all;
    },
    reset() {
      received.reset();
      rejected.reset();
      const versions = [...counts.keys()];
      counts.clear();
      carryReceived = 0;
      carryRejected = 0;
      for (const version of versions) add(0, 0, version);
    },
    metrics: () => registry.metrics(),
    close: () =>
      new Promise<void>((resolve) => {
        app.stopTicker();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return app;
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

function checkRatio(ratio: number): number {
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`reject ratio must be within 0..1, got ${ratio}`);
  return ratio;
}
