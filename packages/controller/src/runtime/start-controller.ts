// Wires the controller together: a rate-limited client, the informer caches, the Event recorder and the
// Rollout controller with its work queue; workers start once every cache has synced. Used by main.ts
// and by tests (with a fake decide).
import type { KubeConfig } from '@kubernetes/client-node';
import { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import { type Clock, realClock } from '../kube/clock';
import { KubeClient, type RequestRecord } from '../kube/kube-client';
import { type Log, silentLog } from '../kube/log';
import { type CacheSelection, ControllerCaches } from './controller-caches';
import { EventRecorder } from './event-recorder';
import { type DecideFn, RolloutController } from './rollout-controller';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  decide: DecideFn;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  /** Rollouts reconciled at once (default 10). */
  rolloutThreads?: number;
  /** AnalysisRuns reconciled at once (default 10), for the analysis controller. */
  analysisThreads?: number;
  qps?: number;
  burst?: number;
  log?: Log;
  clock?: Clock;
  random?: () => number;
  /** Optional caches (templates on by default, Jobs off). */
  caches?: CacheSelection;
  /** Told about every API request (metrics, tests). */
  onRequest?: (record: RequestRecord) => void;
}

export interface RunningController {
  client: KubeClient;
  caches: ControllerCaches;
  rollouts: RolloutController;
  analysisRuns: AnalysisRunController;
  /** Resolves when the caches have synced and the workers run; rejects if stopped before. */
  ready: Promise<void>;
  /** Stops the informers, then waits (at most `timeoutMs`) for reconciles in flight; true when drained. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Builds and starts the controller without waiting for the caches (see `ready`). */
export function createController(options: ControllerOptions): RunningController {
  const clock = options.clock ?? realClock;
  const log = options.log ?? silentLog;
  const client = new KubeClient(options.kubeConfig, {
    qps: options.qps,
    burst: options.burst,
    clock,
    onRequest: options.onRequest,
  });
  const caches = new ControllerCaches({
    jobs: true,
    ...options.caches,
    client,
    namespace: options.namespace,
    clock,
    random: options.random,
    log,
  });
  const events = new EventRecorder({ client, clock, log });
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
    workers: options.analysisThreads ?? 10,
    clock,
    log,
  });
  caches.start();
  let stopped = false;
  const ready = caches.whenSynced().then(() => {
    if (stopped) throw new Error('the controller was stopped before its caches synced');
    rollouts.start();
    analysisRuns.start();
    log.info(
      { server: client.server, watching: options.namespace ?? 'all namespaces' },
      'caches synced; reconciling',
    );
  });
  ready.catch(() => {});
  let stopping: Promise<boolean> | undefined;
  const stop = (timeoutMs = 10_000) => {
    stopped = true;
    stopping ??= (async () => {
      await caches.stop();
      const [drained, runsDrained] = await Promise.all([
        rollouts.stop(timeoutMs),
        analysisRuns.stop(timeoutMs),
      ]);
      client.close();
      return drained && runsDrained;
    })();
    return stopping;
  };
  return { client, caches, rollouts, analysisRuns, ready, stop };
}

/** Builds the controller and resolves once its caches have synced and its workers run. */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const running = createController(options);
  await running.ready;
  return running;
}
