// The analysis engine's clock for tests: a run of hours takes microseconds. @ramp/kube's Clock shape,
// so the engine, the CLI's analyze and the AnalysisRun controller's tests all run on it.
import type { Clock } from '@ramp/kube';

/**
 * A clock for tests: time stands still until `advance` or a timer moves it. A timer fires at once (on the
 * next microtask), having moved time forward by its delay, so a run of hours takes microseconds.
 */
export class FakeClock implements Clock {
  private ms: number;
  /** Every timer's delay (every sleep asked for), in ms, in order. */
  readonly sleeps: number[] = [];
  /** Called as each timer fires, after time moved (e.g. to abort a run at a chosen moment). */
  onSleep?: (clock: FakeClock) => void;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.ms = new Date(start).getTime();
  }

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(to: Date | string): void {
    this.ms = new Date(to).getTime();
  }

  setTimer(ms: number, fn: () => void): () => void {
    const step = Math.max(0, ms);
    this.sleeps.push(step);
    let cancelled = false;
    queueMicrotask(() => {
      if (cancelled) return;
      this.ms += step;
      this.onSleep?.(this);
      fn();
    });
    return () => {
      cancelled = true;
    };
  }
}
