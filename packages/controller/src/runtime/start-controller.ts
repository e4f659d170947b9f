// Wires the controller together: a rate-limited client, the informer caches, the Event recorder, the
// Rollout and AnalysisRun controllers with their work queues, the metrics, and (optionally) leader
// election. The caches run on every replica; the workers run once the caches have synced and, with
// leader election, only while this replica holds the lease: losing it stops the queues at once and
// fences every write (the client's writeGuard). One periodic-resync timer (--rollout-resync) queues every
// cached Rollout and AnalysisRun again while the workers run. Used by main.ts and by tests (fake decide).
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultProviders, type EngineProviders } from '@ramp/analysis';
import { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import { type Clock, realClock } from '../kube/clock';
import { KubeClient, type RequestRecord } from '../kube/kube-client';
import { type Log, silentLog } from '../kube/log';
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
  /**
   * The AnalysisRuns' metric providers besides the Job provider (default: prometheus and web, the
   * Prometheus address of metrics that name none read from process.env: RAMP_PROMETHEUS_ADDRESS,
   * then ARGO_ROLLOUTS_PROMETHEUS_ADDRESS).
   */
  providers?: EngineProviders;
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

/** What the parts of one controller share: its options, clock, log, metrics and request hook. */
interface Wiring {
  options: ControllerOptions;
  clock: Clock;
  log: Log;
  metrics: ControllerMetrics;
  /** Every API request, told to the metrics and to options.onRequest. */
  onRequest: (record: RequestRecord) => void;
  /** The leader elector, once made (leader election on). */
  leader: { elector?: LeaderElector };
}

function wiring(options: ControllerOptions): Wiring {
  const clock = options.clock ?? realClock;
  const leader: Wiring['leader'] = {};
  const metrics = new ControllerMetrics({
    clock,
    isLeader: () => leader.elector?.isLeader() ?? true,
    leaseName: options.leaderElection?.name,
  });
  const onRequest = (record: RequestRecord) => {
    metrics.onRequest(record);
    options.onRequest?.(record);
  };
  return { options, clock, log: options.log ?? silentLog, metrics, onRequest, leader };
}

/** The controllers' rate-limited client (with leader election, its writes fenced by the Lease) and caches. */
function clientAndCaches(w: Wiring): { client: KubeClient; caches: ControllerCaches } {
  const { options, clock, log, leader } = w;
  const client = new KubeClient(options.kubeConfig, {
    qps: options.qps,
    burst: options.burst,
    clock,
    onRequest: w.onRequest,
    writeGuard: options.leaderElection ? (req) => leader.elector?.guard(req) : undefined,
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
  return { client, caches };
}

interface Controllers {
  rollouts: RolloutController;
  analysisRuns: AnalysisRunController;
  resync: PeriodicResync;
}

/** The Rollout and AnalysisRun controllers (one Event recorder), the resync over both, their metrics. */
function controllers(w: Wiring, client: KubeClient, caches: ControllerCaches): Controllers {
  const { options, clock, log, metrics } = w;
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
  metrics.attach(caches);
  metrics.observeQueue('Rollouts', rollouts.queue, 'rollout', (ns, n) => !!caches.rollouts.get(ns, n));
  metrics.observeQueue(
    'AnalysisRuns',
    analysisRuns.queue,
    'analysisrun',
    (ns, n) => !!caches.analysisRuns.get(ns, n),
  );
  return { rollouts, analysisRuns, resync };
}

/**
 * `open()` runs `start` the first time it is called, unless stopped, and resolves `ready`; `ready`
 * rejects when the caches fail to sync or `refuse` comes first.
 */
function workerGate(start: () => void, stopped: () => boolean, caches: ControllerCaches) {
  let started = false;
  let open: () => void = () => {};
  let refuse: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    refuse = reject;
    open = () => {
      if (started || stopped()) return;
      started = true;
      start();
      resolve();
    };
    caches.whenSynced().catch(reject);
  });
  ready.catch(() => {});
  return { ready, open: () => open(), refuse: (err: Error) => refuse(err) };
}

/**
 * With leader election, the elector (set in `w.leader`), on its own client so lease renewals never
 * wait behind the controllers' rate limit: leading, it opens the workers once the caches synced; losing
 * the lease stops them at once and resolves `lost`. Without, `lost` never resolves.
 */
function leadership(
  w: Wiring,
  caches: ControllerCaches,
  parts: Controllers,
  open: () => void,
): { lost: Promise<string>; electorClient: KubeClient | undefined } {
  let onLost: (reason: string) => void = () => {};
  const lost = new Promise<string>((resolve) => {
    onLost = resolve;
  });
  const election = w.options.leaderElection;
  if (!election) return { lost, electorClient: undefined };
  const electorClient = new KubeClient(w.options.kubeConfig, {
    qps: 10,
    burst: 20,
    clock: w.clock,
    onRequest: w.onRequest,
    timeoutMs: Math.max(1000, (election.renewDeadlineMs ?? 10_000) / 2),
  });
  w.leader.elector = new LeaderElector({
    ...election,
    client: electorClient,
    clock: w.clock,
    random: w.options.random,
    log: w.log,
    onStartedLeading: () => {
      caches.whenSynced().then(
        () => {
          if (w.leader.elector?.isLeader()) open();
        },
        () => {},
      );
    },
    onStoppedLeading: (reason) => {
      // Stop at once: nothing new starts; what is in flight cannot write (the guard refuses).
      parts.resync.stop();
      void parts.rollouts.stop(0);
      void parts.analysisRuns.stop(0);
      onLost(reason);
      w.options.onLostLeadership?.(reason);
    },
  });
  return { lost, electorClient };
}

/**
 * `stop` drains the queues (bounded), releases the lease, then closes; `crash` closes at once,
 * finishing and releasing nothing. Whichever comes first runs, once; both mark the controller stopped.
 */
function stoppers(
  parts: Controllers,
  elector: LeaderElector | undefined,
  markStopped: () => void,
  close: () => Promise<void>,
): Pick<RunningController, 'stop' | 'crash'> {
  const { rollouts, analysisRuns, resync } = parts;
  let stopping: Promise<boolean> | undefined;
  const stop = (timeoutMs = 10_000) => {
    markStopped();
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
    markStopped();
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
  return { stop, crash };
}

/** Why a replica is not ready (see RunningController.notReady). */
function notReadyReasons(stopped: boolean, caches: ControllerCaches, elector: LeaderElector | undefined) {
  const reasons: string[] = [];
  if (stopped) reasons.push('stopping');
  if (!caches.hasSynced()) reasons.push('caches not synced');
  if (elector && !elector.isLeader() && !(elector.state === 'standby' && elector.inContact())) {
    reasons.push(
      `leader election ${elector.state === 'standby' ? 'has no contact with the lease' : elector.state}`,
    );
  }
  return reasons;
}

/** Builds and starts the controller without waiting for the caches (see `synced` and `ready`). */
export function createController(options: ControllerOptions): RunningController {
  const w = wiring(options);
  const { client, caches } = clientAndCaches(w);
  const parts = controllers(w, client, caches);
  let stopped = false;
  const gate = workerGate(
    () => {
      parts.rollouts.start();
      parts.analysisRuns.start();
      parts.resync.start();
      w.log.info(
        { server: client.server, watching: options.namespace ?? 'all namespaces' },
        options.leaderElection ? 'caches synced and leading; reconciling' : 'caches synced; reconciling',
      );
    },
    () => stopped,
    caches,
  );
  const { lost, electorClient } = leadership(w, caches, parts, gate.open);
  const { elector } = w.leader;
  const synced = caches.whenSynced();
  synced.catch(() => {});
  caches.start();
  elector?.start();
  synced.then(
    () => {
      if (!elector) gate.open();
    },
    () => {},
  );
  const close = async () => {
    gate.refuse(new Error('the controller was stopped before it started reconciling'));
    await caches.stop();
    client.close();
    electorClient?.close();
  };
  return {
    client,
    caches,
    ...parts,
    metrics: w.metrics,
    elector,
    synced,
    ready: gate.ready,
    lost,
    notReady: () => notReadyReasons(stopped, caches, elector),
    ...stoppers(
      parts,
      elector,
      () => {
        stopped = true;
      },
      close,
    ),
  };
}

/** Builds the controller and resolves once its caches have synced and its workers run (it leads). */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const running = createController(options);
  await running.ready;
  return running;
}
