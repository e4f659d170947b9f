// The controller's options and what a running controller offers; createController builds one
// (controller.ts: its parts as named runnables in one RunnableGroup). Used by main.ts, the demo, the CLI's
// tests and the controller's tests (fake decide).
import type { KubeConfig } from '@kubernetes/client-node';
import type { EngineProviders } from '@ramp/analysis';
import type { Clock, KubeClient, Log, RequestRecord } from '@ramp/kube';
import type { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import type { OperationsServers } from '../operations/http-servers';
import type { LeaderElector } from '../operations/leader-election';
import type { ControllerMetrics } from '../operations/metrics';
import { Controller } from './controller';
import type { CacheSelection, ControllerCaches } from './controller-caches';
import type { LeaderElectionConfig } from './leader-election-runnable';
import type { PeriodicResync } from './periodic-resync';
import type { DecideFn, RolloutController } from './rollout-controller';

export type { LeaderElectionConfig } from './leader-election-runnable';

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
  /** Serve /metrics, /healthz and /readyz (port 0: any free one; the same port: one server for all). */
  servers?: { metricsPort: number; healthPort: number; host?: string };
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
  /** The servers once they listen (undefined without `servers`); rejects when they cannot listen. */
  serving: Promise<OperationsServers | undefined>;
  /** Why this replica is not ready (caches not synced, no contact with the lease); empty when ready. */
  notReady(): string[];
  /**
   * Stops: the workers finish what is in flight (at most `timeoutMs`), the lease is released, then the
   * informers stop, the connections close and the servers last. Resolves true when the work in flight
   * finished in time.
   */
  stop(timeoutMs?: number): Promise<boolean>;
  /** Test hook for a SIGKILL: stops everything at once, finishing nothing and releasing nothing. */
  crash(): Promise<void>;
}

/** Builds the controller and starts its group without waiting for the caches (see `synced` and `ready`). */
export function createController(options: ControllerOptions): RunningController {
  return new Controller(options);
}

/** Builds the controller and resolves once its caches have synced and its workers run (it leads). */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const running = createController(options);
  await running.ready;
  return running;
}
