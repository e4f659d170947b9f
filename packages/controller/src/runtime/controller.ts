// A running controller: its parts (controller-parts.ts) as named runnables in one RunnableGroup, started
// in this order and stopped in the reverse one:
//   1. the metrics and health servers (when asked for: main.ts does),
//   2. the API connections (closed once nothing uses them any more),
//   3. the caches (the informers; they run on every replica),
//   4. leader election (optional; stopping it releases the lease once the workers have stopped),
//   5. the workers: the Rollout and AnalysisRun controllers and the periodic resync, started once the
//      caches have synced and, with leader election, only while this replica holds the lease. Losing it
//      stops them at once and for good, and every write is fenced (the client's writeGuard).
import { errorFields, type KubeClient, type Log, silentLog } from '@ramp/kube';
import type { AnalysisRunController } from '../analysisrun/analysisrun-controller';
import type { OperationsServers } from '../operations/http-servers';
import type { LeaderElector } from '../operations/leader-election';
import type { ControllerMetrics } from '../operations/metrics';
import type { ControllerCaches } from './controller-caches';
import { buildParts, type ControllerParts } from './controller-parts';
import { LeaderElectionRunnable } from './leader-election-runnable';
import type { PeriodicResync } from './periodic-resync';
import type { RolloutController } from './rollout-controller';
import { type GroupState, type Runnable, RunnableGroup } from './runnable-group';
import { cachesRunnable, connectionsRunnable, queueWorker, resyncWorker, ServersRunnable } from './runnables';
import type { ControllerOptions, RunningController } from './start-controller';
import { Workers } from './workers';

export class Controller implements RunningController {
  readonly client: KubeClient;
  readonly caches: ControllerCaches;
  readonly rollouts: RolloutController;
  readonly analysisRuns: AnalysisRunController;
  readonly metrics: ControllerMetrics;
  readonly resync: PeriodicResync;
  readonly elector: LeaderElector | undefined;
  readonly synced: Promise<void>;
  readonly ready: Promise<void>;
  readonly lost: Promise<string>;
  readonly serving: Promise<OperationsServers | undefined>;
  private readonly workers: Workers;
  private readonly election: LeaderElectionRunnable | undefined;
  private readonly group: RunnableGroup;

  constructor(options: ControllerOptions) {
    const log = options.log ?? silentLog;
    const parts = buildParts(options, log, {
      isLeader: () => this.election?.elector.isLeader() ?? true,
      ...(options.leaderElection ? { guard: (req) => this.election?.elector.guard(req) } : {}),
    });
    ({ client: this.client, caches: this.caches, metrics: this.metrics } = parts);
    ({ rollouts: this.rollouts, analysisRuns: this.analysisRuns, resync: this.resync } = parts);
    this.workers = workersOf(options, parts, log, () => this.election?.elector.isLeader() ?? false);
    this.election = electionOf(options, parts, log, this.workers);
    this.elector = this.election?.elector;
    const servers = options.servers
      ? new ServersRunnable({ ...options.servers, metrics: this.metrics, health: this, log })
      : undefined;
    const connections = connectionsRunnable([this.client, this.election?.client]);
    const stages = [[servers], [connections], [cachesRunnable(this.caches)], [this.election], [this.workers]];
    this.group = new RunnableGroup('the controller', stages.map(present), log);
    this.synced = told(this.caches.whenSynced(), log, 'the caches were stopped before they synced');
    this.ready = told(this.group.start(), log, 'the controller was stopped before it reconciled');
    // Without leader election the lease is never lost.
    this.lost = this.election?.lost ?? new Promise<string>(() => {});
    this.serving = servers?.listening ?? Promise.resolve(undefined);
  }

  readonly notReady = (): string[] => notReadyReasons(this.group.state, this.caches, this.elector);

  readonly stop = (timeoutMs = 10_000): Promise<boolean> => this.group.stop(timeoutMs);

  readonly crash = (): Promise<void> => this.group.crash();
}

function workersOf(
  options: ControllerOptions,
  parts: ControllerParts,
  log: Log,
  leads: () => boolean,
): Workers {
  return new Workers({
    workers: [
      queueWorker('Rollout controller', parts.rollouts),
      queueWorker('AnalysisRun controller', parts.analysisRuns),
      resyncWorker(parts.resync),
    ],
    synced: () => parts.caches.whenSynced(),
    ...(options.leaderElection ? { isLeader: leads } : {}),
    log,
    started: {
      fields: { server: parts.client.server, watching: options.namespace ?? 'all namespaces' },
      message: options.leaderElection
        ? 'caches synced and leading; reconciling'
        : 'caches synced; reconciling',
    },
  });
}

function electionOf(
  options: ControllerOptions,
  parts: ControllerParts,
  log: Log,
  workers: Workers,
): LeaderElectionRunnable | undefined {
  if (!options.leaderElection) return undefined;
  return new LeaderElectionRunnable({
    config: options.leaderElection,
    kubeConfig: options.kubeConfig,
    clock: parts.clock,
    random: options.random,
    log,
    onRequest: parts.onRequest,
    onLeading: () => workers.leading(),
    onLost: (reason) => {
      workers.lose();
      options.onLostLeadership?.(reason);
    },
  });
}

function notReadyReasons(
  state: GroupState,
  caches: ControllerCaches,
  elector: LeaderElector | undefined,
): string[] {
  const reasons: string[] = [];
  if (state === 'stopping' || state === 'stopped') reasons.push('stopping');
  if (!caches.hasSynced()) reasons.push('caches not synced');
  if (elector && !elector.isLeader() && !(elector.state === 'standby' && elector.inContact())) {
    reasons.push(
      `leader election ${elector.state === 'standby' ? 'has no contact with the lease' : elector.state}`,
    );
  }
  return reasons;
}

function present(stage: (Runnable | undefined)[]): Runnable[] {
  return stage.filter((r): r is Runnable => r !== undefined);
}

/**
 * `promise`, for whoever awaits it. Its rejection is logged (debug) as `why`, so that nobody awaiting it
 * is no unhandled rejection: it only ever says the controller was stopped early, which its stopper knows.
 */
function told<T>(promise: Promise<T>, log: Log, why: string): Promise<T> {
  promise.catch((err: unknown) => log.debug(errorFields(err), why));
  return promise;
}
