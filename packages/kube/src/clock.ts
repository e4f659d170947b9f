// Time, injected: every delay in the kube adapter and the runtime goes through a Clock, so tests drive
// time by hand (testkit's FakeClock has this exact shape) and never sleep for real.

/** `now()` in epoch milliseconds; `setTimer` runs `fn` once after `ms` and returns its cancel function. */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

/** The longest delay setTimeout accepts; longer timers fire early and are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

/** Date.now() and unref'd setTimeouts (a pending timer never keeps the process alive). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const due = Date.now() + Math.max(0, ms);
    let handle: NodeJS.Timeout | undefined;
    const arm = () => {
      const wait = due - Date.now();
      if (wait <= 0) {
        handle = undefined;
        fn();
        return;
      }
      handle = setTimeout(arm, Math.min(MAX_DELAY, wait));
      handle.unref();
    };
    handle = setTimeout(arm, Math.min(MAX_DELAY, Math.max(0, ms)));
    handle.unref();
    return () => {
      if (handle) clearTimeout(handle);
      handle = undefined;
    };
  },
};

/** Resolves after `ms` on `clock`, or at once (resolving, not rejecting) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
