/**
 * Coalescing: changes mark keys dirty; one timer (0 ms on the simulator's clock) then syncs each dirty key
 * once, in the order they were first marked. Writing from a timer, never from inside a store listener, also
 * keeps watch events in order.
 *
 * A flush takes the keys dirty at that moment and syncs them in order, but gives the event loop back (another
 * 0 ms timer) once it has run for `budgetMs` on the simulator's clock, so that the API server keeps answering
 * while thousands of keys are synced; keys marked meanwhile wait for the next flush, unless they are still
 * waiting in this one. On a FakeClock time does not move while a flush runs: a flush runs to its end, as
 * before.
 */
import type { SimulatorClock } from './clock';

/** How long a flush runs before it gives the event loop back (simulator's clock). */
export const FLUSH_BUDGET_MS = 10;

export class WorkQueue {
  private readonly dirty = new Set<string>();
  /** The keys of the flush under way not synced yet, in order (a Set: marking one again is a no-op). */
  private pending = new Set<string>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly clock: SimulatorClock,
    private readonly handle: (key: string) => void,
    private readonly budgetMs = FLUSH_BUDGET_MS,
  ) {}

  add(key: string): void {
    if (this.pending.has(key)) return;
    this.dirty.add(key);
    this.arm();
  }

  /** Keys waiting to be synced. */
  get size(): number {
    return this.pending.size + this.dirty.size;
  }

  private arm(): void {
    if (!this.cancel) this.cancel = this.clock.setTimer(0, () => this.flush());
  }

  private flush(): void {
    this.cancel = undefined;
    if (this.pending.size === 0) {
      this.pending = new Set(this.dirty);
      this.dirty.clear();
    }
    const started = this.clock.now();
    for (const key of this.pending) {
      this.pending.delete(key);
      this.handle(key);
      if (this.clock.now() - started >= this.budgetMs) break;
    }
    if (this.size > 0) this.arm();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.dirty.clear();
    this.pending.clear();
  }
}
