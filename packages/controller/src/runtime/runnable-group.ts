// The controller's lifecycle as controller-runtime's runnable groups: each part (the servers, the API
// connections, the caches, leader election, the workers) is a named Runnable with start and stop, and one
// RunnableGroup starts them stage by stage and stops them in the reverse order, with explicit states:
// idle → starting → running → stopping → stopped.
import { errorFields, type Log } from '@ramp/kube';

/** One part of the controller with a lifecycle of its own. */
export interface Runnable {
  /** Names it in logs. */
  readonly name: string;
  /** Starts it; a promise resolves once it runs (a server listening), and rejects if it cannot start. */
  start(): void | Promise<void>;
  /**
   * Stops it, waiting at most `timeoutMs` for its work in flight: false (or a promise of false) when that
   * work did not finish in time. Safe before start() and more than once.
   */
  stop(timeoutMs: number): unknown;
  /** Stops it at once, finishing and releasing nothing (a SIGKILL, for tests). Default: stop(0). */
  crash?(): void | Promise<void>;
}

export type GroupState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * Calls `each` on every runnable at once, and collects what they say, synchronously when none of them
 * returns a promise. A stop that throws or rejects is logged and counts as false: the others still stop.
 */
export function stopEach(
  runnables: readonly Runnable[],
  each: (r: Runnable) => unknown,
  log: Log,
): unknown[] | Promise<unknown[]> {
  const results = runnables.map((r): unknown => {
    const failed = (err: unknown): false => {
      log.error({ runnable: r.name, ...errorFields(err) }, 'could not stop cleanly');
      return false;
    };
    try {
      const result = each(r);
      return isPromise(result) ? result.catch(failed) : result;
    } catch (err) {
      return failed(err);
    }
  });
  return results.some(isPromise) ? Promise.all(results) : results;
}

/** Runnables started stage by stage (a stage's together, the next once they all run), stopped in reverse. */
export class RunnableGroup {
  private current: GroupState = 'idle';
  private starting: Promise<void> | undefined;
  private stopping: Promise<boolean> | undefined;

  constructor(
    readonly name: string,
    private readonly stages: readonly (readonly Runnable[])[],
    private readonly log: Log,
  ) {}

  get state(): GroupState {
    return this.current;
  }

  /**
   * Starts the stages in order; resolves once every runnable runs. Rejects when one cannot start (the
   * group then stops what it started) or when the group is stopped first. Stages whose runnables all
   * start synchronously start within this call.
   */
  start(): Promise<void> {
    this.starting ??= this.startStages();
    return this.starting;
  }

  /**
   * Stops every stage, the last one first (each runnable of a stage at once), every runnable waiting at
   * most `timeoutMs` for its work in flight; resolves true when all of it finished in time. A second
   * call, or one after crash(), gets the first one's promise.
   */
  stop(timeoutMs: number): Promise<boolean> {
    this.stopping ??= this.stopStages((r) => r.stop(timeoutMs));
    return this.stopping;
  }

  /** Crashes every stage, the last one first, finishing nothing (tests' SIGKILL). */
  async crash(): Promise<void> {
    this.stopping ??= this.stopStages((r) => (r.crash ? r.crash() : r.stop(0))).then(() => false);
    await this.stopping;
  }

  private async startStages(): Promise<void> {
    if (this.current !== 'idle') throw this.stoppedFirst();
    this.current = 'starting';
    try {
      for (const stage of this.stages) {
        if (this.current !== 'starting') throw this.stoppedFirst();
        const started = stage.map((r) => r.start());
        if (started.some(isPromise)) await Promise.all(started);
      }
    } catch (err) {
      if (this.current === 'starting') {
        this.log.error({ group: this.name, ...errorFields(err) }, 'could not start; stopping what started');
        await this.stop(0);
      }
      throw err;
    }
    if (this.current !== 'starting') throw this.stoppedFirst();
    this.current = 'running';
  }

  /** Stages that never started are stopped too (a stop is safe before start): their waiters are told. */
  private async stopStages(each: (r: Runnable) => unknown): Promise<boolean> {
    this.current = 'stopping';
    let clean = true;
    for (const stage of [...this.stages].reverse()) {
      const stopped = stopEach(stage, each, this.log);
      const results = isPromise(stopped) ? await stopped : stopped;
      if (results.includes(false)) clean = false;
    }
    this.current = 'stopped';
    return clean;
  }

  private stoppedFirst(): Error {
    return new Error(`${this.name} was stopped before it started`);
  }
}
