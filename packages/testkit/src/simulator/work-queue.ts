/**
 * Coalescing: changes mark keys dirty; one timer (0 ms on the simulator's clock) then syncs each dirty key
 * once, in the order they were first marked. Writing from a timer, never from inside a store listener, also
 * keeps watch events in order.
 */
import type { SimulatorClock } from './clock';

export class WorkQueue {
  private readonly dirty = new Set<string>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly clock: SimulatorClock,
    private readonly handle: (key: string) => void,
  ) {}

  add(key: string): void {
    this.dirty.add(key);
    if (!this.cancel) this.cancel = this.clock.setTimer(0, () => this.flush());
  }

  private flush(): void {
    this.cancel = undefined;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) this.handle(key);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.dirty.clear();
  }
}
