// Wires the controller together: a rate-limited client, the informer caches, the Event recorder, the
// Rollout and AnalysisRun controllers with their work queues, the metrics, and (optionally) leader
// election. The caches run on every replica; the workers run once the caches have synced and, with
// leader election, only while this replica holds the lease: losing it stops the queues at once and
// fences every write (the client's writeGuard). One periodic-resync timer (--rollout-resync) queues every
// cached Rollout and AnalysisRun again while the workers run. Used by main.ts and by tests (fake decide).
import type { KubeConfig } from '@kubernetes/client-node';
import { type Clock, KubeClient, type Log, type RequestRecord, realClock, silentLog } from '@ramp/kube';
import { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import { type LeaderElectionTimings, LeaderElector } from '../operations/leader-election';
import { ControllerMetrics } from '../operations/metrics';
import { type CacheSelection, ControllerCaches } from './controller-caches';
import { EventRecorder } from './event-recorder';
import { DEFAULT_RESYNC_PERIOD_MS, PeriodicResync } from './periodic-resync';
import { type DecideFn, RolloutController } from './rollout-controller';

export interface LeaderElectionConfig extends Partial<LeaderElectionTimings> {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease (argo-rollouts-controller-lock, suffixed with the instance id). */
  name: string;
  /** This replica's identity (default hostname_uuid). */
  identity?: string;
}

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  decide: DecideFn;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  /** Label selector of the Rollouts and AnalysisRuns to manage (--instance-id; default: all). */
  instanceSelector?: string;
  /** Rollouts reconciled at once (default 10). */
  rolloutThreads?: number;
  /** AnalysisRuns reconciled at once (default 10), for the analysis controller. */
  analysisThreads?: number;
  /**
   * Every cached Rollout and AnalysisRun is queued again this often, while the workers run
   * (--rollout-resync; default 15 min, as Argo; 0: never).
   */
  resyncPeriodMs?: number;
  qps?: number;
  burst?: number;
  log?: Log;
  clock?: Clock;
  random?: () => number;
  /** Optional caches (templates on by default, Jobs off). */
  caches?: CacheSelection;
  /** Told about every API request (metrics, tests). */
  onRequest?: (record: RequestRecord) => void;
  /** Lead only while holding this Lease (default: no election, this replica always leads). */
  leaderElection?: LeaderElectionConfig;
  /** Leadership was lost: the workers have stopped; the process should exit and come back as a standby. */
  onLostLeadership?: (reason: string) => void;
}

export interface RunningController {
  client: KubeClient;
  caches: ControllerCaches;
  rollouts: RolloutController;
  analysisRuns: AnalysisRunController;
  metrics: ControllerMetrics;
  /** The periodic resync: its one timer runs while the workers run. */
  resync: PeriodicResync;
  /** The leader elector, with leader election on. */
  elector: LeaderElector | undefined;
  /** Resolves when the caches have synced; rejects if stopped before. */
  synced: Promise<void>;
  /** Resolves when the caches have synced and the workers run (this replica leads); rejects if stopped before. */
  ready: Promise<void>;
  /** Resolves with the reason when leadership is lost (never without leader election). */
  lost: Promise<string>;
  /** Why this replica is not ready (caches not synced, no contact with the lease); empty when ready. */
  notReady(): string[];
  /**
   * Stops: the workers finish what is in flight (at most `timeoutMs`), the lease is released, then the
   * informers stop. Resolves true when the work in flight finished in time.
   */
  stop(timeoutMs?: number): Promise<boolean>;
  /** Test hook for a SIGKILL: stops everything at once, finishing nothing and releasing nothing. */
  crash(): Promise<void>;
}

/** Builds and starts the controller without waiting for the caches (see `synced` and `ready`). */
export function createController(options: ControllerOptions): RunningController {
  const clock = options.clock ?? realClock;
  const log = options.log ?? silentLog;
  const election = options.leaderElection;
  let elector: LeaderElector | undefined;
  const metrics = new ControllerMetrics({
    clock,
    isLeader: () => elector?.isLeader() ?? true,
    leaseName: election?.name,
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
    writeGuard: election ? (req) => elector?.guard(req) : undefined,
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
  const events = new EventRecorder({ client, clock, log, onRecord: metrics.onEvent });
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
  metrics.attach(caches);
  metrics.observeQueue('Rollouts', rollouts.queue, 'rollout', (ns, n) => !!caches.rollouts.get(ns, n));
  metrics.observeQueue(
    'AnalysisRuns',
    analysisRuns.queue,
    'analysisrun',
    (ns, n) => !!caches.analysisRuns.get(ns, n),
  );

  let stopped = false;
  let workers = false;
  let startWorkers: () => void = () => {};
  let notStarted: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    notStarted = reject;
    startWorkers = () => {
      if (workers || stopped) return;
      workers = true;
      rollouts.start();
      analysisRuns.start();
      resync.start();
      log.info(
        { server: client.server, watching: options.namespace ?? 'all namespaces' },
        election ? 'caches synced and leading; reconciling' : 'caches synced; reconciling',
      );
      resolve();
    };
    caches.whenSynced().catch(reject);
  });
  ready.catch(() => {});
  let onLost: (reason: string) => void = () => {};
  const lost = new Promise<string>((resolve) => {
    onLost = resolve;
  });

  let electorClient: KubeClient | undefined;
  if (election) {
    // Its own client: lease renewals never wait behind the controllers' rate limit.
    electorClient = new KubeClient(options.kubeConfig, {
      qps: 10,
      burst: 20,
      clock,
      onRequest,
      timeoutMs: Math.max(1000, (election.renewDeadlineMs ?? 10_000) / 2),
    });
    elector = new LeaderElector({
      ...election,
      client: electorClient,
      clock,
      random: options.random,
      log,
      onStartedLeading: () => {
        caches.whenSynced().then(
          () => {
            if (elector?.isLeader()) startWorkers();
          },
          () => {},
        );
      },
      onStoppedLeading: (reason) => {
        // Stop at once: nothing new starts; what is in flight cannot write (the guard refuses).
        resync.stop();
        void rollouts.stop(0);
        void analysisRuns.stop(0);
        onLost(reason);
        options.onLostLeadership?.(reason);
      },
    });
  }
  const synced = caches.whenSynced();
  synced.catch(() => {});
  caches.start();
  elector?.start();
  synced.then(
    () => {
      if (!elector) startWorkers();
    },
    () => {},
  );

  const notReady = (): string[] => {
    const reasons: string[] = [];
    if (stopped) reasons.push('stopping');
    if (!caches.hasSynced()) reasons.push('caches not synced');
    if (elector && !elector.isLeader() && !(elector.state === 'standby' && elector.inContact())) {
      reasons.push(
        `leader election ${elector.state === 'standby' ? 'has no contact with the lease' : elector.state}`,
      );
    }
    return reasons;
  };
  const close = async () => {
    notStarted(new Error('the controller was stopped before it started reconciling'));
    await caches.stop();
    client.close();
    electorClient?.close();
  };
  let stopping: Promise<boolean> | undefined;
  const stop = (timeoutMs = 10_000) => {
    stopped = true;
    resync.stop();
    stopping ??= (async () => {
      const [drained, runsDrained] = await Promise.all([
        rollouts.stop(timeoutMs),
        analysisRuns.stop(timeoutMs),
      ]);
      await elector?.release();
      await close();
      return drained && runsDrained;
    })();
    return stopping;
  };
  const crash = async () => {
    stopped = true;
    elector?.crash();
    resync.stop();
    stopping ??= (async () => {
      void rollouts.stop(0);
      void analysisRuns.stop(0);
      await close();
      return false;
    })();
    await stopping;
  };
  return {
    client,
    caches,
    rollouts,
    analysisRuns,
    metrics,
    resync,
    elector,
    synced,
    ready,
    lost,
    notReady,
    stop,
    crash,
  };
}

/** Builds the controller and resolves once its caches have synced and its workers run (it leads). */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const running = createController(options);
  await running.ready;
  return running;
}
