// Builds the controller's parts, none of them started: the metrics, the rate-limited client, the caches,
// the Event recorder, the Rollout and AnalysisRun controllers with their work queues, and the periodic
// resync, wired to each other (metrics on the caches, the queues and every request).

import { defaultProviders } from '@ramp/analysis';
import { type Clock, KubeClient, type Log, type RequestRecord, realClock } from '@ramp/kube';
import { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import { ControllerMetrics } from '../operations/metrics';
import { ControllerCaches } from './controller-caches';
import { EventRecorder } from './event-recorder';
import { DEFAULT_RESYNC_PERIOD_MS, PeriodicResync } from './periodic-resync';
import { RolloutController } from './rollout-controller';
import type { ControllerOptions } from './start-controller';

export interface ControllerParts {
  clock: Clock;
  metrics: ControllerMetrics;
  /** Told about every API request: the metrics, then the caller's onRequest. */
  onRequest: (record: RequestRecord) => void;
  client: KubeClient;
  caches: ControllerCaches;
  rollouts: RolloutController;
  analysisRuns: AnalysisRunController;
  resync: PeriodicResync;
}

/** Who leads, asked lazily (leader election is built after the parts, on their metrics). */
export interface Leadership {
  isLeader(): boolean;
  /** Fences the writes of the controllers' client (with leader election only). */
  guard?: (req: { method: string; path: string }) => void;
}

export function buildParts(options: ControllerOptions, log: Log, leadership: Leadership): ControllerParts {
  const clock = options.clock ?? realClock;
  const metrics = new ControllerMetrics({
    clock,
    isLeader: () => leadership.isLeader(),
    leaseName: options.leaderElection?.name,
  });
  const onRequest = (record: RequestRecord) => {
    metrics.onRequest(record);
    options.onRequest?.(record);
  };
  const client = new KubeClient(options.kubeConfig, {
    qps: options.qps,
    burst: options.burst,
    clock,
    onRequest,
    writeGuard: leadership.guard,
  });
  const caches = new ControllerCaches({
    jobs: true,
    ...options.caches,
    client,
    namespace: options.namespace,
    instanceSelector: options.instanceSelector,
    clock,
    random: options.random,
    log,
  });
  const controllers = buildControllers(options, { client, caches, clock, log, metrics });
  observe(metrics, caches, controllers);
  return { clock, metrics, onRequest, client, caches, ...controllers };
}

function buildControllers(
  options: ControllerOptions,
  deps: { client: KubeClient; caches: ControllerCaches; clock: Clock; log: Log; metrics: ControllerMetrics },
): Pick<ControllerParts, 'rollouts' | 'analysisRuns' | 'resync'> {
  const { client, caches, clock, log } = deps;
  const events = new EventRecorder({ client, clock, log, onRecord: deps.metrics.onEvent });
  const rollouts = new RolloutController({
    client,
    caches,
    decide: options.decide,
    workers: options.rolloutThreads ?? 10,
    events,
    clock,
    log,
  });
  const analysisRuns = new AnalysisRunController({
    client,
    caches,
    events,
    // the process reads its environment at its edge (main.ts); embedders (tests, the demo) get the defaults
    providers: options.providers ?? defaultProviders({ env: process.env }),
    workers: options.analysisThreads ?? 10,
    clock,
    log,
  });
  const resync = new PeriodicResync({
    periodMs: options.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS,
    clock,
    log,
    targets: [
      { name: 'rollouts', keys: () => caches.rollouts.cache.keys(), enqueue: (k) => rollouts.queue.add(k) },
      {
        name: 'analysisRuns',
        keys: () => caches.analysisRuns.cache.keys(),
        enqueue: (k) => analysisRuns.queue.add(k),
      },
    ],
  });
  return { rollouts, analysisRuns, resync };
}

/** The metrics of the caches' objects and of both work queues. */
function observe(
  metrics: ControllerMetrics,
  caches: ControllerCaches,
  controllers: Pick<ControllerParts, 'rollouts' | 'analysisRuns'>,
): void {
  metrics.attach(caches);
  metrics.observeQueue(
    'Rollouts',
    controllers.rollouts.queue,
    'rollout',
    (ns, n) => !!caches.rollouts.get(ns, n),
  );
  metrics.observeQueue(
    'AnalysisRuns',
    controllers.analysisRuns.queue,
    'analysisrun',
    (ns, n) => !!caches.analysisRuns.get(ns, n),
  );
}
