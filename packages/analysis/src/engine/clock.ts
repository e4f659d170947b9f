// Time, injected: the engine never reads the system clock itself. `systemClock` is the only place
// that touches Date.now() and setTimeout; tests use `FakeClock`, whose sleep moves time forward.

export interface Clock {
  now(): Date;
  /** Resolves after `ms` milliseconds, or as soon as `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A clock for tests: time stands still until `advance` or `sleep` moves it. `sleep` returns at once,
 * having moved time forward by `ms`, so a run of hours takes microseconds.
 */
export class FakeClock implements Clock {
  private ms: number;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];
  /** Called after each sleep (e.g. to abort a run at a chosen moment). */
  onSleep?: (clock: FakeClock) => void;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(to: Date | string): void {
    this.ms = new Date(to).getTime();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const step = Math.max(0, ms);
    this.sleeps.push(step);
    this.ms += step;
    this.onSleep?.(this);
  }
}

/**
 * A timestamp as Kubernetes writes it (metav1.Time): RFC 3339 in UTC, whole seconds,
 * e.g. "2026-11-21T10:00:00Z". Sub-second parts are dropped, as the API server would.
 */
export function kubeTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000) * 1000;
  return new Date(seconds).toISOString().replace('.000Z', 'Z');
}

/** Reads a timestamp from a status; undefined when absent or unreadable. */
export function parseTime(text: string | undefined): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
