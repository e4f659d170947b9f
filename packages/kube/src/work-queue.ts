// The work queue of a controller: keys deduplicated while they wait; a key is never processed by two
// workers at once (one added while it is processed runs again after); failures retry with a per-key
// exponential backoff (reset on success); `addAfter` wake-ups share ONE timer over a min-heap of due
// times. N workers; `shutdown()` waits (bounded) for the work in flight.
import type { BackoffPolicy } from './backoff';
import { type Clock, realClock } from './clock';
import { DueHeap } from './due-heap';
import { KeyFifo } from './key-fifo';

export interface WorkQueueOptions {
  /** Keys processed at once (default 1). */
  workers?: number;
  /** The work for one key; a throw retries the key with backoff. */
  process: (key: string) => Promise<void>;
  clock?: Clock;
  /** Per-key retry backoff (default 5 ms doubling to 1000 s). */
  backoff?: BackoffPolicy;
  /** Told about each failure, with the number of failures in a row. */
  onError?: (key: string, err: unknown, failures: number) => void;
}

/** Told what the queue does, for metrics (work-queue depth, latency, durations, retries). */
export interface WorkQueueObserver {
  /** `key` was queued (not already waiting). */
  added?(key: string): void;
  /** A worker took `key`. */
  started?(key: string): void;
  /** `key` was processed; `err` is what it threw. */
  finished?(key: string, err?: unknown): void;
  /** `key` was scheduled again after a failure. */
  retried?(key: string): void;
}

export class WorkQueue {
  private readonly fifo = new KeyFifo();
  /** Keys waiting to be processed (in the fifo, or processing and to run again). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failureCounts = new Map<string, number>();
  /** The due time of each key's wake-up; heap entries that disagree with it are stale. */
  private readonly waiting = new Map<string, number>();
  private readonly heap = new DueHeap();
  private readonly clock: Clock;
  private readonly backoff: BackoffPolicy;
  private readonly workers: number;
  private cancelTimer: (() => void) | undefined;
  private armedFor: number | undefined;
  private started = false;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];
  private observer: WorkQueueObserver | undefined;

  constructor(private readonly options: WorkQueueOptions) {
    this.clock = options.clock ?? realClock;
    this.backoff = options.backoff ?? { initialMs: 5, maxMs: 1_000_000 };
    this.workers = Math.max(1, options.workers ?? 1);
  }

  /** Keys waiting to be processed now. */
  get length(): number {
    return this.fifo.length;
  }

  /** Keys being processed. */
  get active(): number {
    return this.processing.size;
  }

  /** Keys with a wake-up scheduled. */
  get scheduled(): number {
    return this.waiting.size;
  }

  /** Timers armed (at most one). */
  get timers(): number {
    return this.cancelTimer ? 1 : 0;
  }

  /** Reports what the queue does to `observer` (one at a time; undefined stops reporting). */
  setObserver(observer: WorkQueueObserver | undefined): void {
    this.observer = observer;
  }

  isShuttingDown(): boolean {
    return this.stopping;
  }

  start(): void {
    this.started = true;
    this.pump();
  }

  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.observer?.added?.(key);
    if (this.processing.has(key)) return;
    this.fifo.push(key);
    this.pump();
  }

  /** Adds `key` at `when` (at once if it is past); an earlier wake-up already scheduled wins. */
  addAfter(key: string, when: Date | number): void {
    if (this.stopping) return;
    const due = typeof when === 'number' ? when : when.getTime();
    if (due <= this.clock.now()) {
      this.add(key);
      return;
    }
    const current = this.waiting.get(key);
    if (current !== undefined && current <= due) return;
    this.waiting.set(key, due);
    this.heap.push({ due, key });
    if (this.heap.size > 2 * this.waiting.size + 1024) {
      this.heap.reset([...this.waiting].map(([k, d]) => ({ key: k, due: d })));
    }
    this.arm();
  }

  /** Adds `key` after its backoff (which grows with each call until forget); returns the delay. */
  addRateLimited(key: string, atLeastMs = 0): number {
    const failures = (this.failureCounts.get(key) ?? 0) + 1;
    this.failureCounts.set(key, failures);
    this.observer?.retried?.(key);
    const exponent = Math.min(failures - 1, 52);
    const delay = Math.max(atLeastMs, Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** exponent));
    this.addAfter(key, this.clock.now() + delay);
    return delay;
  }

  /** Resets the backoff of `key`. */
  forget(key: string): void {
    this.failureCounts.delete(key);
  }

  /** Failures in a row of `key`. */
  failures(key: string): number {
    return this.failureCounts.get(key) ?? 0;
  }

  /** Resolves when nothing is queued or processing (scheduled wake-ups do not count). */
  whenIdle(): Promise<void> {
    if (this.fifo.length === 0 && this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops: nothing new is accepted or started, queued keys and wake-ups are dropped (the next start finds
   * them again from the objects), and the work in flight is awaited for at most `timeoutMs`. Resolves
   * true when it all finished in time.
   */
  async shutdown(timeoutMs = 10_000): Promise<boolean> {
    this.stopping = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.fifo.clear();
    this.dirty.clear();
    this.waiting.clear();
    this.heap.reset([]);
    if (this.processing.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      const cancel = this.clock.setTimer(timeoutMs, () => resolve(false));
      this.idleWaiters.push(() => {
        cancel();
        resolve(true);
      });
    });
  }

  private pump(): void {
    while (this.started && !this.stopping && this.processing.size < this.workers) {
      const key = this.fifo.shift();
      if (key === undefined) break;
      this.dirty.delete(key);
      // This run decides again when to look next; an older wake-up would only repeat it.
      this.waiting.delete(key);
      this.processing.add(key);
      this.observer?.started?.(key);
      void this.work(key);
    }
    if (this.fifo.length === 0 && this.processing.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async work(key: string): Promise<void> {
    try {
      await this.options.process(key);
      this.forget(key);
      this.observer?.finished?.(key);
    } catch (err) {
      this.observer?.finished?.(key, err);
      if (!this.stopping) {
        const retryAfter = (err as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
        this.addRateLimited(key, typeof retryAfter === 'number' ? retryAfter * 1000 : 0);
        this.options.onError?.(key, err, this.failures(key));
      }
    } finally {
      this.processing.delete(key);
      if (this.dirty.has(key)) this.fifo.push(key);
      this.pump();
    }
  }

  private arm(): void {
    let next = this.heap.peek();
    while (next && this.waiting.get(next.key) !== next.due) {
      this.heap.pop();
      next = this.heap.peek();
    }
    if (next?.due === this.armedFor && this.cancelTimer) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedFor = next?.due;
    if (!next || this.stopping) return;
    this.cancelTimer = this.clock.setTimer(next.due - this.clock.now(), () => this.fire());
  }

  private fire(): void {
    this.cancelTimer = undefined;
    this.armedFor = undefined;
    const now = this.clock.now();
    for (let next = this.heap.peek(); next && next.due <= now; next = this.heap.peek()) {
      this.heap.pop();
      if (this.waiting.get(next.key) !== next.due) continue;
      this.waiting.delete(next.key);
      this.add(next.key);
    }
    this.arm();
  }
}
