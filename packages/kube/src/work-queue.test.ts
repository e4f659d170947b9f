import { FakeClock } from '@ramp/testkit';
import { DueHeap } from './due-heap';
import { WorkQueue } from './work-queue';

/** A promise with its resolve function, to hold a key in processing. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('keys are deduplicated while they wait', async () => {
  const seen: string[] = [];
  const queue = new WorkQueue({ clock: new FakeClock(), process: async (k) => void seen.push(k) });
  for (const k of ['a', 'b', 'a', 'a', 'c', 'b']) queue.add(k);
  expect(queue.length).toBe(3);
  queue.start();
  await queue.whenIdle();
  expect(seen).toEqual(['a', 'b', 'c']);
});

test('a key is never processed twice at once; one added while processing runs again after', async () => {
  const held = gate();
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const queue = new WorkQueue({
    workers: 4,
    clock: new FakeClock(),
    process: async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await held.promise;
      running--;
    },
  });
  queue.start();
  queue.add('k');
  expect(queue.active).toBe(1);
  queue.add('k');
  queue.add('k');
  await flush();
  expect(runs).toBe(1);
  held.open();
  await queue.whenIdle();
  await flush();
  expect(runs).toBe(2);
  expect(maxRunning).toBe(1);
});

test('N workers process different keys at once, never more', async () => {
  const held = gate();
  const queue = new WorkQueue({ workers: 3, clock: new FakeClock(), process: () => held.promise });
  queue.start();
  for (const k of ['a', 'b', 'c', 'd', 'e']) queue.add(k);
  expect(queue.active).toBe(3);
  expect(queue.length).toBe(2);
  held.open();
  await queue.whenIdle();
  expect(queue.active).toBe(0);
});

test('failures retry with exponential backoff per key, reset on success', async () => {
  const clock = new FakeClock();
  const start = clock.now();
  const attempts: number[] = [];
  let failUntil = 4;
  const errors: number[] = [];
  const queue = new WorkQueue({
    clock,
    backoff: { initialMs: 5, maxMs: 1_000_000 },
    onError: (_k, _e, n) => errors.push(n),
    process: async () => {
      attempts.push(clock.now() - start);
      if (attempts.length < failUntil) throw new Error('boom');
    },
  });
  queue.start();
  queue.add('k');
  await queue.whenIdle();
  for (let i = 0; i < 10 && attempts.length < failUntil; i++) {
    clock.advance(clock.pending > 0 ? 5 : 0);
    await queue.whenIdle();
  }
  expect(attempts).toEqual([0, 5, 15, 35]); // waits of 5, 10, 20 ms
  expect(errors).toEqual([1, 2, 3]);
  expect(queue.failures('k')).toBe(0);
  // after the success the next failure starts from 5 ms again
  failUntil = attempts.length + 2;
  queue.add('k');
  await queue.whenIdle();
  expect(queue.failures('k')).toBe(1);
  expect(queue.addRateLimited('other')).toBe(5);
});

test('the backoff is capped', () => {
  const queue = new WorkQueue({ clock: new FakeClock(), process: async () => {} });
  const delays = Array.from({ length: 30 }, () => queue.addRateLimited('k'));
  expect(delays.slice(0, 3)).toEqual([5, 10, 20]);
  expect(delays.at(-1)).toBe(1_000_000);
});

test('addAfter: one timer for every wake-up, in due order; the earliest wake-up of a key wins', async () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  const queue = new WorkQueue({ clock, workers: 2, process: async (k) => void seen.push(k) });
  queue.start();
  const now = clock.now();
  for (let i = 0; i < 1000; i++) queue.addAfter(`k${i}`, new Date(now + 1000 + ((i * 7919) % 1000)));
  queue.addAfter('early', now + 10);
  queue.addAfter('early', now + 5000); // later: ignored
  queue.addAfter('moved', now + 3000);
  queue.addAfter('moved', now + 20); // earlier: wins
  expect(queue.timers).toBe(1);
  expect(clock.pending).toBe(1);
  expect(queue.scheduled).toBe(1002);
  clock.advance(20);
  await queue.whenIdle();
  expect(seen).toEqual(['early', 'moved']);
  clock.advance(1000); // to now + 1020
  await queue.whenIdle();
  expect(seen.length).toBe(2 + 21);
  expect(clock.pending).toBe(1);
  clock.advance(1000);
  await queue.whenIdle();
  expect(seen.length).toBe(1002);
  const order = seen.slice(2).map((k) => (Number(k.slice(1)) * 7919) % 1000);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(clock.pending).toBe(0);
  expect(queue.scheduled).toBe(0);
  // a time already past adds at once
  queue.addAfter('past', now);
  await queue.whenIdle();
  expect(seen.at(-1)).toBe('past');
});

test('processing a key drops its older wake-up (the run decides when to look next)', async () => {
  const clock = new FakeClock();
  let runs = 0;
  const queue = new WorkQueue({ clock, process: async () => void runs++ });
  queue.start();
  queue.addAfter('k', clock.now() + 1000);
  queue.add('k');
  await queue.whenIdle();
  expect(queue.scheduled).toBe(0);
  clock.advance(1000);
  await queue.whenIdle();
  expect(runs).toBe(1);
  expect(clock.pending).toBe(0);
});

test('shutdown waits for the work in flight, bounded, and drops the rest', async () => {
  const clock = new FakeClock();
  const held = gate();
  const queue = new WorkQueue({ clock, process: () => held.promise });
  queue.start();
  queue.add('a');
  queue.add('b');
  queue.addAfter('c', clock.now() + 1000);
  const done = queue.shutdown(100);
  expect(clock.pending).toBe(1); // only the shutdown bound
  queue.add('d');
  expect(queue.length).toBe(0);
  held.open();
  await expect(done).resolves.toBe(true);

  const stuck = new WorkQueue({ clock, process: () => new Promise<void>(() => {}) });
  stuck.start();
  stuck.add('x');
  const bounded = stuck.shutdown(100);
  clock.advance(100);
  await expect(bounded).resolves.toBe(false);
});

test('the due heap pops in order', () => {
  const heap = new DueHeap();
  const dues = Array.from({ length: 200 }, (_, i) => (i * 7919) % 503);
  for (const due of dues) heap.push({ due, key: String(due) });
  const out: number[] = [];
  for (let item = heap.pop(); item; item = heap.pop()) out.push(item.due);
  expect(out).toEqual([...dues].sort((a, b) => a - b));
});
