import { KubeClient } from '@ramp/kube';
import { FakeClock, startTestCluster, type TestCluster } from '@ramp/testkit';
import { LeaderElector, type LeaderElectorOptions, NotLeaderError, timingsProblem } from './leader-election';
import { type Lease, microTime } from './lease';

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
let cluster: TestCluster;
let clock: FakeClock;
let client: KubeClient;
let electors: LeaderElector[] = [];
let leaseCounter = 0;
let leaseName = '';

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await cluster.stop();
});

beforeEach(() => {
  clock = new FakeClock();
  client = new KubeClient(cluster.kubeConfig(), { qps: 10_000, burst: 10_000, clock });
  leaseName = `lock-${++leaseCounter}`;
  cluster.setFaults(undefined);
});

afterEach(() => {
  for (const e of electors) e.crash();
  electors = [];
  client.close();
});

function elector(identity: string, extra: Partial<LeaderElectorOptions> = {}): LeaderElector {
  const e = new LeaderElector({
    client,
    namespace: 'default',
    name: leaseName,
    identity,
    clock,
    random: () => 0,
    ...TIMINGS,
    ...extra,
  });
  electors.push(e);
  return e;
}

const lease = () =>
  cluster.store.get('coordination.k8s.io/v1', 'Lease', leaseName, 'default') as unknown as Lease;

/** Moves the fake clock and lets every elector finish the attempts the timers started. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  for (let i = 0; i < 3; i++) {
    await Promise.all(electors.map((e) => e.whenIdle()));
    clock.advance(0);
  }
}

/** Advances `ms` in steps, so that every attempt the timers start completes before time moves on. */
async function run(ms: number, step = 500): Promise<void> {
  for (let done = 0; done < ms; done += step) await advance(Math.min(step, ms - done));
}

test('MicroTime: six fractional digits, UTC', () => {
  expect(microTime(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000000Z');
  expect(microTime(Date.UTC(2026, 0, 1, 12, 30, 5, 123))).toBe('2026-01-01T12:30:05.123000Z');
});

test("client-go's rules on the timings", () => {
  expect(timingsProblem(TIMINGS)).toBeUndefined();
  expect(timingsProblem({ ...TIMINGS, renewDeadlineMs: 15_000 })).toMatch(/longer than the renew deadline/);
  expect(timingsProblem({ ...TIMINGS, retryPeriodMs: 9_000 })).toMatch(/1.2 × the retry period/);
  expect(() => elector('x', { leaseDurationMs: 500 })).toThrow('at least 1s');
});

test('acquires a missing lease at once, with MicroTime fields, and renews it every retry period', async () => {
  let started = 0;
  const a = elector('a', { onStartedLeading: () => started++ });
  expect(a.isLeader()).toBe(false);
  expect(() => a.guard()).toThrow(NotLeaderError);
  a.start();
  await advance(0);
  expect(a.state).toBe('leading');
  expect(a.isLeader()).toBe(true);
  expect(started).toBe(1);
  expect(() => a.guard()).not.toThrow();
  const first = lease().spec!;
  expect(first).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
  expect(first.acquireTime).toMatch(MICRO);
  expect(first.renewTime).toBe(first.acquireTime);
  await advance(2_000);
  const renewed = lease().spec!;
  expect(renewed.renewTime).toBe(microTime(clock.now()));
  expect(renewed.acquireTime).toBe(first.acquireTime);
  expect(started).toBe(1);
});

test('a standby waits the lease duration from the last change it saw, then takes over', async () => {
  const a = elector('a');
  const b = elector('b');
  a.start();
  await advance(0);
  b.start();
  await advance(0);
  expect(b.state).toBe('standby');
  expect(b.currentLeader).toBe('a');
  expect(b.inContact()).toBe(true);
  // while a renews, b never takes over
  await run(20_000);
  expect(a.isLeader()).toBe(true);
  expect(b.isLeader()).toBe(false);
  // a dies without releasing: b takes over within the lease duration plus a retry period
  a.crash();
  const crashedAt = clock.now();
  for (let waited = 0; b.state !== 'leading' && waited < 60_000; waited += 500) await advance(500);
  expect(b.state).toBe('leading');
  expect(clock.now() - crashedAt).toBeGreaterThanOrEqual(TIMINGS.leaseDurationMs - TIMINGS.retryPeriodMs);
  expect(clock.now() - crashedAt).toBeLessThanOrEqual(TIMINGS.leaseDurationMs + 2 * TIMINGS.retryPeriodMs);
  expect(lease().spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  expect(lease().spec!.acquireTime).toBe(lease().spec!.renewTime);
});

test('release hands the lease over at once: holder cleared, leaseDurationSeconds 1', async () => {
  const a = elector('a');
  const b = elector('b');
  a.start();
  await advance(0);
  b.start();
  await advance(0);
  await expect(a.release()).resolves.toBe(true);
  expect(a.state).toBe('stopped');
  expect(a.isLeader()).toBe(false);
  expect(lease().spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
  await advance(2 * TIMINGS.retryPeriodMs);
  expect(b.state).toBe('leading');
  expect(lease().spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  // a standby that never led has nothing to release
  await expect(elector('c').release()).resolves.toBe(false);
});

test('the leader gives up when it cannot renew within the renew deadline, and stops passing the guard', async () => {
  const reasons: string[] = [];
  const a = elector('a', { onStoppedLeading: (r) => reasons.push(r) });
  a.start();
  await advance(0);
  cluster.setFaults({ errorRate: 1, errorCodes: [500] });
  await run(TIMINGS.renewDeadlineMs - 1);
  expect(a.isLeader()).toBe(true);
  await advance(1);
  expect(a.isLeader()).toBe(false);
  expect(a.state).toBe('stopped');
  expect(reasons).toEqual(['the lease could not be renewed within the renew deadline']);
  expect(() => a.guard({ method: 'PATCH', path: '/x' })).toThrow('PATCH /x refused');
});

test('the leader gives up at once when another replica holds the lease', async () => {
  const reasons: string[] = [];
  const a = elector('a', { onStoppedLeading: (r) => reasons.push(r) });
  a.start();
  await advance(0);
  const current = lease();
  cluster.store.update({ ...current, spec: { ...current.spec, holderIdentity: 'intruder' } } as never);
  await advance(TIMINGS.retryPeriodMs);
  expect(a.state).toBe('stopped');
  expect(reasons).toEqual(['the lease is held by intruder']);
});
