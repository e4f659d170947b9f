// The workers (the Rollout and AnalysisRun controllers and the periodic resync) as one runnable of the
// controller's group, controller-runtime's "leader election runnables": they start once the caches have
// synced and, with leader election, only while this replica leads. Losing the lease stops them at once
// and for good (what is in flight cannot write: the client's write guard refuses it).
import { errorFields, type Log } from '@ramp/kube';
import { type Runnable, stopEach } from './runnable-group';

/** A worker starts at once (a work queue, a timer). */
export type Worker = Runnable & { start(): void };

export interface WorkersOptions {
  workers: readonly Worker[];
  /** Resolves when the caches have synced; rejects if they are stopped first. */
  synced(): Promise<void>;
  /** With leader election: whether this replica leads now (the workers then wait for `leading()`). */
  isLeader?: () => boolean;
  log: Log;
  /** Logged when the workers start. */
  started: { fields: Record<string, unknown>; message: string };
}

/** waiting: for the caches (and the lease); running; stopped: by stop(), crash() or a lost lease. */
export type WorkersState = 'waiting' | 'running' | 'stopped';

export class Workers implements Runnable {
  readonly name = 'workers';
  private current: WorkersState = 'waiting';
  private running: Promise<void> | undefined;
  private waiter: { resolve(): void; reject(err: Error): void } | undefined;

  constructor(private readonly options: WorkersOptions) {}

  get state(): WorkersState {
    return this.current;
  }

  /** Resolves when the workers run; rejects when they are stopped before. */
  start(): Promise<void> {
    this.running ??= new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
      if (this.current === 'stopped') reject(stoppedFirst());
      else if (!this.options.isLeader) this.afterSync(() => this.begin());
      else if (this.options.isLeader()) this.leading();
    });
    return this.running;
  }

  /** This replica became the leader: the workers start once the caches have synced, if it still leads then. */
  leading(): void {
    this.afterSync(() => {
      if (this.options.isLeader?.()) this.begin();
    });
  }

  /** The lease is lost: nothing new starts, nothing in flight is waited for; the workers never start again. */
  lose(): void {
    this.refuse();
    // stopEach logs a stop that fails and resolves false instead of rejecting: nothing to handle here.
    void stopEach(this.options.workers, (w) => w.stop(0), this.options.log);
  }

  /** Stops the workers, waiting at most `timeoutMs` for their reconciles in flight (also after a lost lease). */
  async stop(timeoutMs: number): Promise<boolean> {
    this.refuse();
    const results = await stopEach(this.options.workers, (w) => w.stop(timeoutMs), this.options.log);
    return !results.includes(false);
  }

  crash(): void {
    this.refuse();
    void stopEach(this.options.workers, (w) => (w.crash ? w.crash() : w.stop(0)), this.options.log);
  }

  private afterSync(then: () => void): void {
    this.options
      .synced()
      .then(then, (err: unknown) =>
        this.options.log.debug(
          errorFields(err),
          'the caches were stopped before they synced: the workers do not start (stopping is under way)',
        ),
      );
  }

  private begin(): void {
    if (this.current !== 'waiting' || !this.waiter) return;
    this.current = 'running';
    for (const worker of this.options.workers) worker.start();
    this.options.log.info(this.options.started.fields, this.options.started.message);
    this.waiter.resolve();
  }

  private refuse(): void {
    if (this.current === 'waiting') this.waiter?.reject(stoppedFirst());
    this.current = 'stopped';
  }
}

function stoppedFirst(): Error {
  return new Error('the controller was stopped before it started reconciling');
}
