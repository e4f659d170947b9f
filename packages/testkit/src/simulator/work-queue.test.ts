/** The simulator's work queue (coalescing, order, time budget per turn); the real clock's budget per turn. */
import { waitFor } from '../testing/helpers';
import { FakeClock, realClock, type SimulatorClock } from './clock';
import { FLUSH_BUDGET_MS, WorkQueue } from './work-queue';

test('coalesces: each dirty key once per flush, in the order first marked; later marks in the next one', () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  const queue = new WorkQueue(clock, (key) => {
    seen.push(key);
    if (key === 'a' && seen.length === 1) {
      queue.add('c'); // still waiting in this flush: synced once, here
      queue.add('a'); // already synced: again, next flush
      queue.add('d');
    }
  });
  for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
  expect(seen).toEqual([]);
  expect(queue.size).toBe(3);
  clock.advance(0);
  expect(seen).toEqual(['a', 'b', 'c', 'a', 'd']);
  expect(queue.size).toBe(0);
  expect(clock.pending).toBe(0);
});

test('a flush gives the event loop back once it has run for its budget, and goes on from there', () => {
  // A hand-driven clock: each sync takes 4 ms; timers run only when the test says.
  let now = 0;
  const timers: (() => void)[] = [];
  const clock: SimulatorClock = {
    now: () => now,
    setTimer: (_ms, fn) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    },
  };
  const seen: string[] = [];
  const queue = new WorkQueue(clock, (key) => {
    seen.push(key);
    now += 4;
  });
  for (let i = 0; i < 7; i++) queue.add(`k${i}`);
  expect(timers).toHaveLength(1);
  const turn = () => timers.shift()?.();
  turn();
  // 4, 8, 12 ms: the third sync reaches the 10 ms budget.
  expect(FLUSH_BUDGET_MS).toBe(10);
  expect(seen).toEqual(['k0', 'k1', 'k2']);
  expect(timers).toHaveLength(1);
  // Between turns: a key still waiting is not added again; a new one waits for the keys before it.
  queue.add('k5');
  queue.add('new');
  expect(queue.size).toBe(5);
  turn();
  expect(seen.slice(3)).toEqual(['k3', 'k4', 'k5']);
  // A flush syncs the keys dirty when it began: `new` waits for the next one.
  turn();
  expect(seen.slice(6)).toEqual(['k6']);
  turn();
  expect(seen.slice(7)).toEqual(['new']);
  expect(timers).toHaveLength(0);
  // stop() forgets everything, pending keys too.
  for (let i = 0; i < 4; i++) queue.add(`s${i}`);
  turn();
  queue.stop();
  expect(queue.size).toBe(0);
  expect(timers).toHaveLength(0);
});

test('the real clock runs due timers for a bounded time per turn of the event loop', async () => {
  const clock = realClock();
  let ran = 0;
  let ranWhenOtherWorkRan: number | undefined;
  const busy = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // spin
    }
  };
  for (let i = 0; i < 50; i++) {
    clock.setTimer(0, () => {
      if (ran === 0) setImmediate(() => (ranWhenOtherWorkRan = ran));
      ran++;
      busy(2);
    });
  }
  await waitFor('the timers', () => ran === 50, 5000);
  // 50 timers of 2 ms each: the rest of the event loop ran after about 10 ms of them, not after all.
  expect(ranWhenOtherWorkRan).toBeGreaterThan(0);
  expect(ranWhenOtherWorkRan).toBeLessThan(50);
});
