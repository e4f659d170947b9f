import { silentLog } from '@ramp/kube';
import { type Runnable, RunnableGroup } from './runnable-group';

/** A runnable that records its calls in `calls`; `starts` and `stops` can make them wait or fail. */
function part(
  name: string,
  calls: string[],
  behave: { start?: () => void | Promise<void>; stop?: (t: number) => unknown; crash?: boolean } = {},
): Runnable {
  return {
    name,
    start: () => {
      calls.push(`start ${name}`);
      return behave.start?.();
    },
    stop: (timeoutMs) => {
      calls.push(`stop ${name} ${timeoutMs}`);
      return behave.stop?.(timeoutMs);
    },
    ...(behave.crash ? { crash: () => void calls.push(`crash ${name}`) } : {}),
  };
}

test('starts stage by stage, synchronously while nothing waits, and stops in the reverse order', async () => {
  const calls: string[] = [];
  const group = new RunnableGroup(
    'g',
    [[part('a', calls)], [part('b1', calls), part('b2', calls)], [part('c', calls)]],
    silentLog,
  );
  expect(group.state).toBe('idle');
  const started = group.start();
  expect(calls).toEqual(['start a', 'start b1', 'start b2', 'start c']);
  await started;
  expect(group.state).toBe('running');
  calls.length = 0;
  const stopped = group.stop(500);
  expect(calls).toEqual(['stop c 500', 'stop b1 500', 'stop b2 500', 'stop a 500']);
  await expect(stopped).resolves.toBe(true);
  expect(group.state).toBe('stopped');
  expect(group.stop(0)).toBe(stopped);
});

test('a stage waits for every start of the one before; a stop of one stage runs its runnables at once', async () => {
  const calls: string[] = [];
  let listen: () => void = () => {};
  let drain: (done: boolean) => void = () => {};
  const group = new RunnableGroup(
    'g',
    [
      [part('server', calls, { start: () => new Promise<void>((r) => (listen = r)) })],
      [
        part('w1', calls, { stop: () => new Promise<boolean>((r) => (drain = r)) }),
        part('w2', calls, { stop: () => true }),
      ],
    ],
    silentLog,
  );
  const started = group.start();
  expect(calls).toEqual(['start server']);
  expect(group.state).toBe('starting');
  listen();
  await started;
  expect(calls).toEqual(['start server', 'start w1', 'start w2']);
  const stopped = group.stop(100);
  expect(group.state).toBe('stopping');
  expect(calls.slice(3)).toEqual(['stop w1 100', 'stop w2 100']);
  await Promise.resolve();
  expect(calls).not.toContain('stop server 100'); // w1 is still draining
  drain(false);
  await expect(stopped).resolves.toBe(false); // w1's work in flight did not finish in time
  expect(calls.at(-1)).toBe('stop server 100');
});

test('a runnable that cannot start stops the group (every stage) and rejects start', async () => {
  const calls: string[] = [];
  const group = new RunnableGroup(
    'g',
    [
      [part('a', calls)],
      [part('bad', calls, { start: () => Promise.reject(new Error('port in use')) })],
      [part('c', calls)],
    ],
    silentLog,
  );
  await expect(group.start()).rejects.toThrow('port in use');
  expect(calls).toEqual(['start a', 'start bad', 'stop c 0', 'stop bad 0', 'stop a 0']);
  expect(group.state).toBe('stopped');
});

test('stopped while starting: start rejects, and the stages not started yet are stopped (not started)', async () => {
  const calls: string[] = [];
  let listen: () => void = () => {};
  const group = new RunnableGroup(
    'g',
    [
      [part('server', calls, { start: () => new Promise<void>((r) => (listen = r)) })],
      [part('later', calls)],
    ],
    silentLog,
  );
  const started = group.start();
  const stopped = group.stop(10);
  listen();
  await expect(started).rejects.toThrow('g was stopped before it started');
  await expect(stopped).resolves.toBe(true);
  expect(calls).toEqual(['start server', 'stop later 10', 'stop server 10']);
});

test('crash: crash() where a runnable has one, stop(0) where not; a stop that fails is logged, the others stop', async () => {
  const calls: string[] = [];
  const errors: string[] = [];
  const log = {
    ...silentLog,
    error: (f: object, m?: string) => void errors.push(`${m} ${JSON.stringify(f)}`),
  };
  const group = new RunnableGroup(
    'g',
    [
      [part('a', calls, { crash: true })],
      [
        part('b', calls, {
          stop: () => {
            throw new Error('boom');
          },
        }),
      ],
    ],
    log,
  );
  await group.start();
  calls.length = 0;
  await group.crash();
  expect(calls).toEqual(['stop b 0', 'crash a']);
  expect(errors).toEqual(['could not stop cleanly {"runnable":"b","err":"boom"}']);
  await expect(group.stop(1000)).resolves.toBe(false);
});
