import { waitFor } from '@ramp/testkit';
import { emptyPlan } from '../model/plan';
import { decideRollout } from '../rollout/decide';
import type { DecideFn } from '../runtime/rollout-controller';
import {
  canaryRollout,
  createRollout,
  FAST_ELECTION,
  getRollout,
  isDone,
  objectWrites,
  objectWritesSentAfter,
  setImage,
  startTestController,
  startWorld,
  type TestController,
  type World,
  waitDone,
} from '../testing/operations/world';
import { NotLeaderError } from './leader-election';
import { LEASE_NAME, type Lease } from './lease';

jest.setTimeout(30_000);
let world: World;
const controllers: TestController[] = [];

beforeAll(async () => {
  world = await startWorld();
});

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.running.stop(1000)));
});

afterAll(async () => {
  await world.stop();
});

function start(identity: string, lease: string, extra: Parameters<typeof startTestController>[1] = {}) {
  const c = startTestController(world, { identity, lease, ...extra });
  controllers.push(c);
  return c;
}

const leaseOf = (name: string) =>
  world.cluster.store.get('coordination.k8s.io/v1', 'Lease', name, 'default') as unknown as Lease | undefined;

test('two replicas on one Lease: one leads and writes, the other stands by (ready) and writes nothing', async () => {
  const lease = `${LEASE_NAME}-pair`;
  const a = start('a', lease);
  await a.running.ready;
  const b = start('b', lease);
  await b.running.synced;
  await waitFor('b to see the lease', () => b.running.elector?.currentLeader === 'a');
  expect(b.running.notReady()).toEqual([]);
  expect(b.running.elector?.state).toBe('standby');
  createRollout(world, canaryRollout('pair', 'pair:1'));
  await waitDone(world, 'pair', 'pair:1');
  await setImage(world, 'pair', 'pair:2');
  await waitDone(world, 'pair', 'pair:2');
  expect(objectWrites(a.requests).length).toBeGreaterThan(3);
  expect(objectWrites(b.requests)).toEqual([]);
  expect(b.running.rollouts.queue.active).toBe(0);
  // the periodic resync runs with the workers: on the leader only
  expect(a.running.resync.running).toBe(true);
  expect(b.running.resync.running).toBe(false);
  expect(leaseOf(lease)?.spec?.holderIdentity).toBe('a');
  const metrics = await b.running.metrics.text();
  expect(metrics).toContain(`leader_election_master_status{name="${lease}"} 0`);
  expect(await a.running.metrics.text()).toContain(`leader_election_master_status{name="${lease}"} 1`);
});

test('the leader dies without releasing: the standby takes over within the lease duration and finishes the rollout', async () => {
  const lease = `${LEASE_NAME}-crash`;
  const a = start('a', lease);
  await a.running.ready;
  const b = start('b', lease);
  await b.running.synced;
  createRollout(
    world,
    canaryRollout('crash', 'crash:1', { steps: [{ setWeight: 50 }, { pause: { duration: '2s' } }] }),
  );
  await waitDone(world, 'crash', 'crash:1');
  await setImage(world, 'crash', 'crash:2');
  await waitFor(
    'the timed pause',
    () => (getRollout(world, 'crash')?.status?.pauseConditions?.length ?? 0) > 0,
  );
  const crashedAt = Date.now();
  await a.running.crash();
  await b.running.ready;
  const takeover = Date.now() - crashedAt;
  // the lease duration from b's last sight of a renewal, one jittered retry, and slack for a loaded machine
  expect(takeover).toBeLessThanOrEqual(
    FAST_ELECTION.leaseDurationMs + 2.2 * FAST_ELECTION.retryPeriodMs + 1000,
  );
  expect(leaseOf(lease)?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  await waitDone(world, 'crash', 'crash:2');
  // a request already on the wire may land (as with a real SIGKILL); none is sent after the crash
  expect(objectWritesSentAfter(a, crashedAt + 1)).toEqual([]);
  expect(objectWrites(b.requests).length).toBeGreaterThan(0);
});

test('a graceful stop (SIGTERM) finishes in-flight work and releases the lease: a standby takes over at once', async () => {
  const lease = `${LEASE_NAME}-term`;
  const a = start('a', lease);
  await a.running.ready;
  const b = start('b', lease);
  await b.running.synced;
  await waitFor('b to see a', () => b.running.elector?.currentLeader === 'a');
  const stoppedAt = Date.now();
  await expect(a.running.stop(2000)).resolves.toBe(true);
  expect(leaseOf(lease)?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  await b.running.ready;
  // far sooner than the lease duration: at b's next attempt
  expect(Date.now() - stoppedAt).toBeLessThan(FAST_ELECTION.leaseDurationMs);
  expect(leaseOf(lease)?.spec?.holderIdentity).toBe('b');
});

test('losing the lease stops the queues at once, and a reconcile in flight cannot write after the loss', async () => {
  const lease = `${LEASE_NAME}-lost`;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered = 0;
  const decide: DecideFn = async (snapshot, now) => {
    entered++;
    await gate;
    return decideRollout(snapshot, now);
  };
  const reasons: string[] = [];
  const a = start('a', lease, { decide, onLostLeadership: (r) => reasons.push(r) });
  await a.running.ready;
  createRollout(world, canaryRollout('lost', 'lost:1'));
  await waitFor('the reconcile to be in flight', () => entered > 0);
  // another replica takes the lease over (as after a network partition)
  const current = leaseOf(lease)!;
  world.cluster.store.update({ ...current, spec: { ...current.spec, holderIdentity: 'z' } } as never);
  const reason = await a.running.lost;
  expect(reason).toBe('the lease is held by z');
  expect(reasons).toEqual([reason]);
  expect(a.running.rollouts.queue.isShuttingDown()).toBe(true);
  expect(a.running.resync.running).toBe(false);
  expect(a.running.notReady()).toEqual([expect.stringMatching(/leader election stopped/)]);
  const before = a.requests.length;
  release();
  await a.running.rollouts.queue.whenIdle();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(objectWrites(a.requests, before)).toEqual([]);
  expect(
    world.cluster.store
      .list('apps/v1', 'ReplicaSet', { namespace: 'default' })
      .filter((rs) => rs.metadata.name?.startsWith('lost-')),
  ).toEqual([]);
  expect(() => a.running.elector?.guard()).toThrow(NotLeaderError);
  expect(isDone(getRollout(world, 'lost'), 'lost:1')).toBe(false);
});

test('without leader election the controller leads at once (the programmatic default)', async () => {
  const c = startTestController(world, { decide: (s) => emptyPlan(s.rollout.status ?? {}) });
  controllers.push(c);
  await c.running.ready;
  expect(c.running.elector).toBeUndefined();
  expect(c.running.notReady()).toEqual([]);
});
