/**
 * Time for the workload simulator: every delay goes through a SimulatorClock, so tests drive it with a
 * FakeClock (synchronously, never sleeping) and the real one runs on one unref'd setTimeout.
 */

/** `now()` in epoch milliseconds; `setTimer` runs `fn` once after `ms` and returns its cancel function. */
export interface SimulatorClock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
}

/** Timers ordered by due time, then by the order they were set. */
class TimerQueue {
  private timers: Timer[] = [];
  private seq = 0;

  add(due: number, fn: () => void): Timer {
    const timer = { due, seq: this.seq++, fn };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.due > due) i--;
    this.timers.splice(i, 0, timer);
    return timer;
  }

  remove(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** The earliest timer due at or before `time` (and set before `beforeSeq`), removed from the queue. */
  takeDue(time: number, beforeSeq = Number.POSITIVE_INFINITY): Timer | undefined {
    const i = this.timers.findIndex((t) => t.due > time || t.seq < beforeSeq);
    const found = this.timers[i];
    if (!found || found.due > time) return undefined;
    this.timers.splice(i, 1);
    return found;
  }

  /** The sequence number the next timer will get. */
  get nextSeq(): number {
    return this.seq;
  }

  get nextDue(): number | undefined {
    return this.timers[0]?.due;
  }

  get size(): number {
    return this.timers.length;
  }
}

/** The longest delay setTimeout takes; a later timer is re-armed when this one fires. */
const MAX_DELAY = 2 ** 31 - 1;

/** How long the real clock runs due timers in one turn of the event loop before it gives it back. */
const TURN_BUDGET_MS = 10;

/**
 * The real clock: Date.now() and one unref'd setTimeout for the earliest timer. Timers set while timers run
 * wait for the next turn of the event loop, and so do due timers left after TURN_BUDGET_MS of running
 * timers, so HTTP requests are served between bursts.
 */
export function realClock(): SimulatorClock {
  const queue = new TimerQueue();
  let handle: NodeJS.Timeout | undefined;
  let armedFor: number | undefined;
  const arm = () => {
    const next = queue.nextDue;
    if (next === armedFor) return;
    if (handle) clearTimeout(handle);
    handle = undefined;
    armedFor = next;
    if (next === undefined) return;
    handle = setTimeout(fire, Math.min(MAX_DELAY, Math.max(0, next - Date.now())));
    handle.unref();
  };
  const fire = () => {
    handle = undefined;
    armedFor = undefined;
    const now = Date.now();
    const before = queue.nextSeq;
    for (let t = queue.takeDue(now, before); t; t = queue.takeDue(now, before)) {
      t.fn();
      if (Date.now() - now >= TURN_BUDGET_MS) break;
    }
    arm();
  };
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const timer = queue.add(Date.now() + Math.max(0, ms), fn);
      arm();
      return () => {
        queue.remove(timer);
        arm();
      };
    },
  };
}

/**
 * A clock for tests: time moves only when `advance` is called, which runs the timers due in order (timers
 * they set run too when due within the advance). Starts at 2025-01-01T00:00:00Z unless told otherwise.
 */
export class FakeClock implements SimulatorClock {
  private readonly queue = new TimerQueue();
  private time: number;

  constructor(
    start = Date.UTC(2025, 0, 1),
    /** Guard against timers that keep re-arming themselves at the same instant. */
    private readonly maxTimersPerAdvance = 100_000,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = this.queue.add(this.time + Math.max(0, ms), fn);
    return () => this.queue.remove(timer);
  }

  /** Moves time forward by `ms` (0: runs what is due now), running the timers due on the way. */
  advance(ms = 0): void {
    const target = this.time + Math.max(0, ms);
    let ran = 0;
    for (let t = this.queue.takeDue(target); t; t = this.queue.takeDue(target)) {
      if (++ran > this.maxTimersPerAdvance) {
        throw new Error(`FakeClock: more than ${this.maxTimersPerAdvance} timers in one advance`);
      }
      this.time = Math.max(this.time, t.due);
      t.fn();
    }
    this.time = target;
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.queue.size;
  }
}
