// Time, injected: every delay in Ramp goes through a Clock (the kube adapter, the runtime, the analysis
// engine and the CLI's analyze), so tests drive time by hand and never sleep for real. testkit's
// FakeClock and real clock have this exact shape too.

/**
 * `now()` in epoch milliseconds; `setTimer` runs `fn` once after `ms` and returns its cancel function.
 * `fn` never runs inside the `setTimer` call itself.
 */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

/** The longest delay setTimeout accepts; longer timers fire early and are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

/** Date.now() and setTimeouts; `unref`: a pending timer does not keep the process alive. */
function nodeTimers(unref: boolean): Clock {
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const due = Date.now() + Math.max(0, ms);
      let handle: NodeJS.Timeout | undefined;
      const start = (wait: number) => {
        handle = setTimeout(arm, Math.min(MAX_DELAY, wait));
        if (unref) handle.unref();
      };
      const arm = () => {
        const wait = due - Date.now();
        if (wait <= 0) {
          handle = undefined;
          fn();
          return;
        }
        start(wait);
      };
      start(Math.max(0, ms));
      return () => {
        if (handle) clearTimeout(handle);
        handle = undefined;
      };
    },
  };
}

/** Date.now() and unref'd setTimeouts: a pending timer never keeps the process alive (the controller). */
export const realClock: Clock = nodeTimers(true);

/** Date.now() and setTimeouts that keep the process alive while pending (a command waiting to measure). */
export const keepAliveClock: Clock = nodeTimers(false);

/** Resolves after `ms` on `clock`, or at once (resolving, not rejecting) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let cancel: (() => void) | undefined;
    const onAbort = () => {
      cancel?.();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
