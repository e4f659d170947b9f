// --timeout: a hard limit on the whole run, on the injected clock. Timers (the sleeps between
// measurements) are cut at the limit (so a fake clock reaches it exactly), and a watch notices the limit
// passing while a measurement is in flight (a provider that hangs), polling the clock.
import type { Clock } from '@ramp/kube';

/** How often the watch reads the clock while a measurement is in flight. */
const WATCH_EVERY_MS = 100;

export interface TimeLimit {
  /** The clock to run on: its timers fire at the limit at the latest. */
  clock: Clock;
  /** Stops the watch; call it once the run is over. */
  stop(): void;
}

/**
 * Calls `onReached` (once) when `clock` reaches `at`. `setInterval` is only the polling tick: time is
 * always read from `clock`, so a fake clock moved past the limit trips it too.
 */
export function limitTime(clock: Clock, at: Date, onReached: () => void): TimeLimit {
  let reached = false;
  const check = () => {
    if (!reached && clock.now() >= at.getTime()) {
      reached = true;
      onReached();
    }
  };
  const watch = setInterval(check, WATCH_EVERY_MS);
  return {
    clock: {
      now: () => clock.now(),
      setTimer: (ms, fn) => {
        const left = at.getTime() - clock.now();
        return clock.setTimer(Math.max(0, Math.min(ms, left)), () => {
          check();
          fn();
        });
      },
    },
    stop: () => clearInterval(watch),
  };
}
