// The periodic resync (--rollout-resync, as Argo Rollouts' informers' resync period): every period, each
// object in the caches the controllers own (every Rollout, every AnalysisRun) is queued again, a safety net
// against a missed event. ONE timer for the whole controller, re-armed after each round; it runs only while
// the workers do (started with them, stopped when they stop or leadership is lost). The work queues
// deduplicate and bound concurrency; reconciles are level-triggered, so an idle object resynced plans and
// writes nothing.
import { type Clock, type Log, silentLog } from '@ramp/kube';

/** Argo Rollouts' DefaultRolloutResyncPeriod: 15 minutes. */
export const DEFAULT_RESYNC_PERIOD_MS = 15 * 60 * 1000;

/** One kind of object resynced: its cached keys and its queue. */
export interface ResyncTarget {
  /** Names the count in the log line (e.g. "rollouts"). */
  name: string;
  /** The keys of the objects in the cache, as the queue knows them (namespace/name). */
  keys(): Iterable<string>;
  /** Queues `key` (the queue ignores a key already waiting). */
  enqueue(key: string): void;
}

export interface PeriodicResyncOptions {
  /** The period; 0 (or less) turns the resync off. */
  periodMs: number;
  clock: Clock;
  targets: readonly ResyncTarget[];
  log?: Log;
}

export class PeriodicResync {
  private cancelTimer: (() => void) | undefined;
  private active = false;
  private readonly log: Log;

  constructor(private readonly options: PeriodicResyncOptions) {
    this.log = options.log ?? silentLog;
  }

  /** Whether the timer runs (started, not stopped, and a period above 0). */
  get running(): boolean {
    return this.active;
  }

  /** Arms the timer: the first round is one period from now. Does nothing when running or turned off. */
  start(): void {
    if (this.active || this.options.periodMs <= 0) return;
    this.active = true;
    this.arm();
  }

  /** Cancels the timer; no round starts after this (until start again). */
  stop(): void {
    this.active = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Queues every cached key of every target now; returns how many keys each target had. */
  resyncNow(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const target of this.options.targets) {
      let n = 0;
      for (const key of target.keys()) {
        target.enqueue(key);
        n++;
      }
      counts[target.name] = n;
    }
    this.log.debug(counts, 'resync: queued every cached object again');
    return counts;
  }

  private arm(): void {
    this.cancelTimer = this.options.clock.setTimer(this.options.periodMs, () => {
      this.cancelTimer = undefined;
      if (!this.active) return;
      try {
        this.resyncNow();
      } finally {
        if (this.active && !this.cancelTimer) this.arm();
      }
    });
  }
}
