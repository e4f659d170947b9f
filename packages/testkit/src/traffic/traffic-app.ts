// The traffic and metrics app of the demo and the e2e suite: reads the workload's pods from the API
// server, sends them traffic through TrafficModel, and serves the counters the seed
// AnalysisTemplate queries (per pod and version) on /metrics, and the current reject ratio as JSON
// on /ratio for the web provider. Test and demo infrastructure, never product code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Counter, Registry } from 'prom-client';
import {
  RECEIVED_METRIC,
  REJECTED_METRIC,
  SEED_SERVICE,
  VERSION_LABEL,
} from '../prometheus/request-metrics-app';
import { type PodView, type RejectRule, TrafficModel } from './traffic-model';

export interface TrafficAppOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Label selector of the workload's pods, e.g. `app=sgdecoding-online-scaled`. */
  selector: string;
  requestsPerSecond?: number;
  rule?: RejectRule;
  service?: string;
  port?: number;
  tickMs?: number;
}

export interface TrafficApp {
  url: string;
  /** host:port for a Prometheus scrape config. */
  target: string;
  model: TrafficModel;
  /** One tick now (tests); the app also ticks on its own every tickMs. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

type PodLike = {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { containers?: { image?: string }[] };
  status?: { conditions?: { type?: string; status?: string }[] };
};

export function toPodView(pod: PodLike): PodView {
  return {
    name: pod.metadata?.name ?? '',
    version: pod.metadata?.labels?.['rollouts-pod-template-hash'] ?? '',
    image: pod.spec?.containers?.[0]?.image ?? '',
    ready:
      !pod.metadata?.deletionTimestamp &&
      (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  };
}

export async function startTrafficApp(options: TrafficAppOptions): Promise<TrafficApp> {
  const registry = new Registry();
  const labelNames = ['service', VERSION_LABEL, 'pod'] as const;
  const received = new Counter({
    name: RECEIVED_METRIC,
    help: 'Requests received',
    labelNames,
    registers: [registry],
  });
  const rejected = new Counter({
    name: REJECTED_METRIC,
    help: 'Requests rejected',
    labelNames,
    registers: [registry],
  });
  const service = options.service ?? SEED_SERVICE;
  const model = new TrafficModel(
    options.requestsPerSecond ?? 100,
    options.rule ?? { badRatio: 0.5, goodRatio: 0.005 },
  );
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  let last = Date.now();

  const tick = async () => {
    const list = await api.listNamespacedPod({
      namespace: options.namespace,
      labelSelector: options.selector,
    });
    const now = Date.now();
    const counts = model.advance(
      list.items.map((p) => toPodView(p as PodLike)),
      (now - last) / 1000,
    );
    last = now;
    received.reset();
    rejected.reset();
    for (const c of counts) {
      const labels = { service, [VERSION_LABEL]: c.version, pod: c.pod };
      received.inc(labels, c.received);
      rejected.inc(labels, c.rejected);
    }
  };

  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': registry.contentType });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/ratio') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const ratio = model.rejectRatio();
      res.end(JSON.stringify({ rejectRatio: Number.isNaN(ratio) ? 0 : ratio }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(() => {})
      .finally(() => {
        ticking = false;
      });
  }, options.tickMs ?? 250);
  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    model,
    tick,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
