import { silentLog } from '@ramp/kube';
import { type Worker, Workers, type WorkersOptions } from './workers';

function worker(name: string, calls: string[]): Worker {
  return {
    name,
    start: () => void calls.push(`start ${name}`),
    stop: (t) => {
      calls.push(`stop ${name} ${t}`);
      return true;
    },
  };
}

/** Workers named `names`, recording their calls in `calls`, on caches that sync when `synced` does. */
function workersOf(
  calls: string[],
  synced: Promise<void>,
  extra: Partial<WorkersOptions> = {},
  names = ['a'],
): Workers {
  return new Workers({
    workers: names.map((name) => worker(name, calls)),
    synced: () => synced,
    log: silentLog,
    started: { fields: {}, message: 'reconciling' },
    ...extra,
  });
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(err: Error): void } {
  let resolve: () => void = () => {};
  let reject: (err: Error) => void = () => {};
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  promise.catch(() => undefined); // the tests await it themselves where it matters
  return { promise, resolve, reject };
}

test('without leader election: the workers start once the caches have synced', async () => {
  const calls: string[] = [];
  const synced = deferred();
  const workers = workersOf(calls, synced.promise);
  const running = workers.start();
  await Promise.resolve();
  expect(calls).toEqual([]);
  synced.resolve();
  await running;
  expect(calls).toEqual(['start a']);
  expect(workers.state).toBe('running');
});

test('with leader election: synced and leading; a lost lease stops them at once, for good', async () => {
  const calls: string[] = [];
  let leads = false;
  const workers = workersOf(calls, Promise.resolve(), { isLeader: () => leads }, ['a', 'b']);
  const running = workers.start();
  await new Promise((r) => setImmediate(r));
  expect(calls).toEqual([]);
  leads = true;
  workers.leading();
  await running;
  expect(calls).toEqual(['start a', 'start b']);
  workers.lose();
  expect(calls.slice(2)).toEqual(['stop a 0', 'stop b 0']);
  workers.leading();
  await new Promise((r) => setImmediate(r));
  expect(calls).toHaveLength(4);
  // The controller's stop still waits (bounded) for what the lost lease left in flight.
  await expect(workers.stop(1000)).resolves.toBe(true);
  expect(calls.slice(4)).toEqual(['stop a 1000', 'stop b 1000']);
});

test('leading, then the lease is lost before the caches synced: the workers never start', async () => {
  const calls: string[] = [];
  const synced = deferred();
  const workers = workersOf(calls, synced.promise, { isLeader: () => false });
  const running = workers.start();
  workers.leading();
  workers.lose();
  synced.resolve();
  await expect(running).rejects.toThrow('the controller was stopped before it started reconciling');
  expect(calls).toEqual(['stop a 0']);
});

test('stopped before the caches synced: start rejects; the caches stopping is only logged', async () => {
  const calls: string[] = [];
  const synced = deferred();
  const debug: string[] = [];
  const log = { ...silentLog, debug: (_: object, m?: string) => void debug.push(m ?? '') };
  const workers = workersOf(calls, synced.promise, { log });
  const running = workers.start();
  const stopped = workers.stop(50);
  synced.reject(new Error('informer stopped'));
  await expect(running).rejects.toThrow('the controller was stopped before it started reconciling');
  await expect(stopped).resolves.toBe(true);
  expect(calls).toEqual(['stop a 50']);
  expect(debug).toEqual([
    'the caches were stopped before they synced: the workers do not start (stopping is under way)',
  ]);
  await expect(workers.start()).rejects.toThrow('stopped before');
});
