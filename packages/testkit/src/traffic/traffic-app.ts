// The traffic and metrics app of the demo and the e2e suite. Two ways to send the traffic:
//   - selector: over the ready pods matching a label selector (as one Service would), through
//     TrafficModel, as it always did;
//   - route: the way a routing object says (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, SMI
//     TrafficSplit, Istio VirtualService, APISIX ApisixRoute, Traefik TraefikService, Ambassador
//     Mapping, ingress-nginx canary Ingresses, an AWS ALB Ingress, or a plain Service), through
//     RoutedTrafficModel: each tick reads the objects (routing-reader.ts), builds the router's model
//     (entry-router.ts) and advances the counters.
// Serves the counters the seed AnalysisTemplate queries on /metrics, the current reject ratio as
// JSON on /ratio for the web provider (/ratio?version=HASH: one version's pods only), and what it
// follows, the problems found and the routing on /status. Test and demo infrastructure, never product code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { SEED_SERVICE } from '../prometheus/request-metrics-app';
import { entryRouter } from './entry-router';
import { toPodView } from './pod-view';
import { ProblemLog } from './problem-log';
import { type RequestShape, requestMix } from './request-mix';
import type { RoutingProblem } from './route-decision';
import { describeEntry, parseRouteEntry, type RouteEntry } from './route-entry';
import { type RoutedCounts, RoutedTrafficModel } from './routed-traffic-model';
import { RoutingReader } from './routing-reader';
import { TrafficMetrics } from './traffic-metrics';
import { type PodCounts, type RejectRule, TrafficModel } from './traffic-model';
import { routedStatus, selectorStatus, type TrafficStatus, versionRejectRatio } from './traffic-status';

export { toPodView } from './pod-view';

export interface TrafficAppOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Label selector of the workload's pods, e.g. `app=sgdecoding-online-scaled`. Exclusive with `route`. */
  selector?: string;
  /**
   * The routing object to follow: `httproute/shop`, `trafficsplit/shop`, `virtualservice/shop`,
   * `apisixroute/shop`, `traefikservice/shop`, `mapping/shop`, `ingress/shop`, `alb/shop`, `service/shop`...
   */
  route?: RouteEntry | string;
  /** What the requests look like (host[:port], path, method, gRPC method, headers on a share, protocol); route mode. */
  requests?: RequestShape;
  /** ingress-nginx's annotation prefix (a Rollout's `nginx.annotationPrefix`); default nginx.ingress.kubernetes.io. */
  nginxAnnotationPrefix?: string;
  /** The AWS Load Balancer Controller's annotation prefix (a Rollout's `alb.annotationPrefix`); default alb.ingress.kubernetes.io. */
  albAnnotationPrefix?: string;
  requestsPerSecond?: number;
  rule?: RejectRule;
  /** The `service` label of the counters; default the seed's. */
  service?: string;
  port?: number;
  tickMs?: number;
  /** Where time comes from, in epoch ms (tests inject it); default Date.now. */
  now?: () => number;
  /** Where problem lines go; default stderr, prefixed `ramp-traffic: `. */
  log?: (line: string) => void;
}

export interface TrafficApp {
  url: string;
  /** host:port for a Prometheus scrape config. */
  target: string;
  model: TrafficModel | RoutedTrafficModel;
  /** One tick now (tests); the app also ticks on its own every tickMs. */
  tick(): Promise<void>;
  /** The /status document. */
  status(): TrafficStatus;
  close(): Promise<void>;
}

interface Mode {
  model: TrafficModel | RoutedTrafficModel;
  tick(seconds: () => number): Promise<void>;
  status(lastTick?: Date): TrafficStatus;
}

export async function startTrafficApp(options: TrafficAppOptions): Promise<TrafficApp> {
  if ((options.selector === undefined) === (options.route === undefined))
    throw new Error('the traffic app needs exactly one of selector and route');
  const metrics = new TrafficMetrics(options.service ?? SEED_SERVICE);
  const rps = options.requestsPerSecond ?? 100;
  const rule = options.rule ?? { badRatio: 0.5, goodRatio: 0.005 };
  const now = options.now ?? Date.now;
  const mode =
    options.selector !== undefined
      ? selectorMode(options, options.selector, metrics, rps, rule)
      : routeMode(options, options.route!, metrics, rps, rule);
  let last = now();
  let lastTick: Date | undefined;
  const tick = async () => {
    await mode.tick(() => {
      const t = now();
      const seconds = (t - last) / 1000;
      last = t;
      lastTick = new Date(t);
      return seconds;
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
    } else if (url.pathname === '/ratio') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const version = url.searchParams.get('version');
      const ratio =
        version === null ? mode.model.rejectRatio() : versionRejectRatio(mode.status(lastTick), version);
      res.end(JSON.stringify({ rejectRatio: Number.isNaN(ratio) ? 0 : ratio }));
    } else if (url.pathname === '/status') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(mode.status(lastTick), null, 2));
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
    model: mode.model,
    tick,
    status: () => mode.status(lastTick),
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Over the ready pods of a label selector, as before routing existed. */
function selectorMode(
  options: TrafficAppOptions,
  selector: string,
  metrics: TrafficMetrics,
  rps: number,
  rule: RejectRule,
): Mode {
  const model = new TrafficModel(rps, rule);
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  let counts: PodCounts[] = [];
  let problems: RoutingProblem[] = [];
  const following = `pods ${options.namespace}/${selector}`;
  return {
    model,
    async tick(seconds) {
      let list: Awaited<ReturnType<CoreV1Api['listNamespacedPod']>>;
      try {
        list = await api.listNamespacedPod({ namespace: options.namespace, labelSelector: selector });
      } catch (err) {
        problems = [{ object: following, field: '', message: `cannot be read (${(err as Error).message})` }];
        throw err;
      }
      problems = [];
      counts = model.advance(
        list.items.map((p) => toPodView(p)),
        seconds(),
      );
      metrics.showPods(counts);
    },
    status: (lastTick) => selectorStatus(following, rps, counts, problems, lastTick),
  };
}

/** The way the routing object says. */
function routeMode(
  options: TrafficAppOptions,
  route: RouteEntry | string,
  metrics: TrafficMetrics,
  rps: number,
  rule: RejectRule,
): Mode {
  const entry = typeof route === 'string' ? parseRouteEntry(route) : route;
  const model = new RoutedTrafficModel(rps, rule, requestMix(options.requests));
  const reader = new RoutingReader(options.kubeConfig, options.namespace, entry);
  const problemLog = new ProblemLog();
  const log = options.log ?? ((line: string) => process.stderr.write(`ramp-traffic: ${line}\n`));
  const following = describeEntry(entry, options.namespace);
  let counts: RoutedCounts = model.snapshot();
  let problems: RoutingProblem[] = [];
  return {
    model,
    async tick(seconds) {
      const read = await reader.read();
      const router = entryRouter(entry, read, read.world, {
        ...(options.nginxAnnotationPrefix !== undefined
          ? { nginxAnnotationPrefix: options.nginxAnnotationPrefix }
          : {}),
        ...(options.albAnnotationPrefix !== undefined
          ? { albAnnotationPrefix: options.albAnnotationPrefix }
          : {}),
      });
      counts = model.advance(router, read.world, seconds());
      problems = [...read.problems, ...counts.problems];
      for (const line of problemLog.update(problems)) log(line);
      metrics.showRouted(counts);
    },
    status: (lastTick) => routedStatus(following, rps, counts, problems, lastTick),
  };
}
