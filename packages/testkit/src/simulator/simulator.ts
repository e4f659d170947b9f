/**
 * The workload simulator: the cluster's ReplicaSet and Job controllers and its kubelet, over a ClusterStore.
 * It reacts to store changes (coalesced per object) and resyncs everything periodically; all its timing goes
 * through one SimulatorClock, so a FakeClock makes it fully deterministic.
 */
import type { ClusterStore, StoreChange } from '../store/cluster-store';
import { realClock, type SimulatorClock } from './clock';
import { SimContext, type SimulatorOptions, type WorkKind } from './context';
import { isFinished, JobController } from './job-controller';
import { Kubelet } from './kubelet';
import { phaseOf } from './pod-facts';
import { ReplicaSetController } from './replicaset-controller';
import type { BadImageRule } from './rules';
import { WorkQueue } from './work-queue';

const KINDS: Record<WorkKind, [string, string]> = {
  pod: ['v1', 'Pod'],
  rs: ['apps/v1', 'ReplicaSet'],
  job: ['batch/v1', 'Job'],
};

export class Simulator {
  readonly clock: SimulatorClock;
  private readonly ctx: SimContext;
  private readonly queue: WorkQueue;
  private readonly kubelet: Kubelet;
  private readonly replicaSets: ReplicaSetController;
  private readonly jobs: JobController;
  private unsubscribe: (() => void) | undefined;
  private cancelResync: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly store: ClusterStore,
    options: SimulatorOptions = {},
  ) {
    this.clock = options.clock ?? realClock();
    this.queue = new WorkQueue(this.clock, (key) => this.handle(key));
    this.ctx = new SimContext(
      store,
      this.clock,
      options,
      (kind, namespace, name) => this.queue.add(`${kind}/${namespace}/${name}`),
      options.logger,
    );
    this.kubelet = new Kubelet(this.ctx);
    this.replicaSets = new ReplicaSetController(this.ctx);
    this.jobs = new JobController(this.ctx);
  }

  /** Whether it is reacting (started, not paused, not stopped). */
  get running(): boolean {
    return this.unsubscribe !== undefined;
  }

  /** Starts reacting to changes and syncs every existing ReplicaSet, Job and Pod. */
  start(): void {
    if (this.stopped || this.running) return;
    this.unsubscribe = this.store.subscribeShared((change) => this.onChange(change));
    this.resync();
  }

  /** Stops reacting and cancels every timer; objects stay as they are. `resume()` picks up from there. */
  pause(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelResync?.();
    this.cancelResync = undefined;
    this.queue.stop();
    this.kubelet.stop();
    this.replicaSets.stop();
  }

  resume(): void {
    this.start();
  }

  /** For good: no timer is left. */
  stop(): void {
    this.pause();
    this.stopped = true;
  }

  /** Replaces the bad-image rule (a list adds to the default tag rule; a function replaces it). */
  setBadImageRule(rule: BadImageRule | undefined): void {
    this.ctx.setBadImageRule(rule);
  }

  private onChange(change: StoreChange): void {
    const o = change.object;
    const namespace = o.metadata.namespace ?? 'default';
    const name = o.metadata.name ?? '';
    const kind = `${o.apiVersion}/${o.kind}`;
    if (kind === 'v1/Pod') {
      if (change.type === 'DELETED') {
        this.kubelet.forget(o.metadata.uid ?? '');
        this.ctx.forget(o.metadata.uid);
      } else this.ctx.enqueue('pod', namespace, name);
      const owner = o.metadata.ownerReferences?.find((r) => r.controller === true);
      if (owner?.kind === 'ReplicaSet' && owner.apiVersion === 'apps/v1')
        this.ctx.enqueue('rs', namespace, owner.name);
      if (owner?.kind === 'Job' && owner.apiVersion === 'batch/v1')
        this.ctx.enqueue('job', namespace, owner.name);
    } else if (kind === 'apps/v1/ReplicaSet') {
      if (change.type === 'DELETED') this.replicaSets.forget(`${namespace}/${name}`);
      else this.ctx.enqueue('rs', namespace, name);
    } else if (kind === 'batch/v1/Job' && change.type !== 'DELETED') {
      this.ctx.enqueue('job', namespace, name);
    }
  }

  /**
   * Marks for a sync every ReplicaSet, every Job not finished and every pod not finished (a sync of those
   * does nothing), reading the stored objects without copying them; schedules the next resync. Each sync
   * reads only its object (and a ReplicaSet's or Job's own pods) and writes only what changed.
   */
  private resync(): void {
    for (const [kind, [apiVersion, k]] of Object.entries(KINDS) as [WorkKind, [string, string]][]) {
      for (const o of this.store.peekList(apiVersion, k)) {
        if (kind === 'pod' && ['Succeeded', 'Failed'].includes(phaseOf(o) ?? '')) continue;
        if (kind === 'job' && isFinished(o)) continue;
        this.ctx.enqueue(kind, o.metadata.namespace ?? 'default', o.metadata.name ?? '');
      }
    }
    const every = this.ctx.settings.resyncMs;
    if (every > 0) this.cancelResync = this.clock.setTimer(every, () => this.resync());
  }

  private handle(key: string): void {
    const [kind, namespace = '', ...rest] = key.split('/');
    const name = rest.join('/');
    try {
      if (kind === 'pod') this.kubelet.sync(namespace, name);
      else if (kind === 'rs') this.replicaSets.sync(namespace, name);
      else if (kind === 'job') this.jobs.sync(namespace, name);
    } catch (err) {
      this.ctx.report(`syncing ${key}`, err);
    }
  }
}

/** Creates and starts a simulator over the store. */
export function startSimulator(store: ClusterStore, options: SimulatorOptions = {}): Simulator {
  const simulator = new Simulator(store, options);
  simulator.start();
  return simulator;
}
