import type { Rollout } from '@ramp/api';
import { WorkQueue } from '@ramp/kube';
import { analysisRunObject, RequestLog, rolloutObject, serviceObject, stored } from '@ramp/kube/testing';
import { FakeClock, startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import { fakeDecide } from '../testing/fake-decide';
import { PeriodicResync, type ResyncTarget } from './periodic-resync';
import { type RunningController, startController } from './start-controller';

const PERIOD = 60_000;

/** A target over fixed keys that records what it is asked to queue. */
function target(name: string, keys: string[]): ResyncTarget & { queued: string[] } {
  const queued: string[] = [];
  return { name, keys: () => keys, enqueue: (k) => void queued.push(k), queued };
}

describe('PeriodicResync', () => {
  test('every period, every cached key of every target is queued once; one timer, re-armed', () => {
    const clock = new FakeClock();
    const rollouts = target('rollouts', ['a/r1', 'a/r2', 'b/r3']);
    const runs = target('analysisRuns', ['a/run']);
    const resync = new PeriodicResync({ periodMs: PERIOD, clock, targets: [rollouts, runs] });
    resync.start();
    resync.start(); // idempotent: still one timer
    expect(clock.pending).toBe(1);
    clock.advance(PERIOD - 1);
    expect(rollouts.queued).toEqual([]);
    clock.advance(1);
    expect(rollouts.queued).toEqual(['a/r1', 'a/r2', 'b/r3']);
    expect(runs.queued).toEqual(['a/run']);
    expect(clock.pending).toBe(1); // re-armed for the next period
    clock.advance(PERIOD);
    expect(rollouts.queued).toHaveLength(6);
    expect(runs.queued).toEqual(['a/run', 'a/run']);
    expect(clock.pending).toBe(1);
  });

  test('stop cancels the timer: no round after it, until started again', () => {
    const clock = new FakeClock();
    const rollouts = target('rollouts', ['a/r1']);
    const resync = new PeriodicResync({ periodMs: PERIOD, clock, targets: [rollouts] });
    resync.start();
    clock.advance(PERIOD);
    resync.stop();
    expect(resync.running).toBe(false);
    expect(clock.pending).toBe(0);
    clock.advance(10 * PERIOD);
    expect(rollouts.queued).toEqual(['a/r1']);
    resync.start();
    clock.advance(PERIOD);
    expect(rollouts.queued).toEqual(['a/r1', 'a/r1']);
  });

  test('a stop during a round (a target stopping it) is not undone by the re-arm', () => {
    const clock = new FakeClock();
    let resync: PeriodicResync | undefined;
    const stopping: ResyncTarget = { name: 'x', keys: () => ['k'], enqueue: () => resync?.stop() };
    resync = new PeriodicResync({ periodMs: PERIOD, clock, targets: [stopping] });
    resync.start();
    clock.advance(PERIOD);
    expect(resync.running).toBe(false);
    expect(clock.pending).toBe(0);
  });

  test('a period of 0 turns it off', () => {
    const clock = new FakeClock();
    const resync = new PeriodicResync({ periodMs: 0, clock, targets: [target('rollouts', ['a/r1'])] });
    resync.start();
    expect(resync.running).toBe(false);
    expect(clock.pending).toBe(0);
  });

  test('the work queue deduplicates: a key already waiting is not queued twice', () => {
    const queue = new WorkQueue({ clock: new FakeClock(), process: async () => {} });
    queue.add('a/r1');
    const resync = new PeriodicResync({
      periodMs: PERIOD,
      clock: new FakeClock(),
      targets: [{ name: 'rollouts', keys: () => ['a/r1', 'a/r2'], enqueue: (k) => queue.add(k) }],
    });
    expect(resync.resyncNow()).toEqual({ rollouts: 2 });
    expect(queue.length).toBe(2);
  });
});

describe('a controller on a fake clock', () => {
  const RO = 'argoproj.io/v1alpha1';
  const names = ['idle-a', 'idle-b', 'idle-c'];
  const clock = new FakeClock();
  const requests = new RequestLog();
  const { decide, calls } = fakeDecide();
  let cluster: TestCluster;
  let controller: RunningController;

  beforeAll(async () => {
    cluster = await startTestCluster();
    // A finished AnalysisRun (no owner: the garbage collector would take it), there before the
    // controller starts, so it never sees it running.
    const run = analysisRunObject('done-run', { name: 'none', uid: 'none' });
    const at = new Date(clock.now()).toISOString();
    cluster.store.put(
      stored({
        ...run,
        metadata: { ...run.metadata, ownerReferences: undefined },
        status: { phase: 'Successful', startedAt: at, completedAt: at, metricResults: [] },
      }),
    );
    controller = await startController({
      kubeConfig: cluster.kubeConfig(),
      decide,
      clock,
      resyncPeriodMs: PERIOD,
      qps: 10_000,
      burst: 10_000,
      onRequest: requests.record,
    });
  });

  afterAll(async () => {
    await controller.stop(2000);
    await cluster.stop();
  });

  const idle = async () => {
    await controller.rollouts.queue.whenIdle();
    await controller.analysisRuns.queue.whenIdle();
  };

  test('each round queues every cached Rollout and AnalysisRun once; idle ones cause zero writes', async () => {
    for (const n of names) {
      cluster.store.create(stored(serviceObject(`${n}-svc`, { app: n })));
      cluster.store.create(
        stored(rolloutObject(n, { strategy: { canary: { stableService: `${n}-svc`, steps: [] } } })),
      );
    }
    const sameAsServer = (apiVersion: string, kind: string, cached: { metadata: object }[]) => {
      const rv = (objs: { metadata: { name?: string; resourceVersion?: string } }[]) =>
        objs
          .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
          .sort()
          .join();
      return rv(cluster.store.list(apiVersion, kind, { namespace: 'default' })) === rv(cached as never);
    };
    const phase = (n: string) =>
      (cluster.store.get(RO, 'Rollout', n, 'default') as unknown as Rollout | undefined)?.status?.phase;
    await waitFor('the Rollouts to converge', async () => {
      await idle();
      const { caches } = controller;
      return (
        names.every((n) => phase(n) === 'Healthy') &&
        sameAsServer(RO, 'Rollout', caches.rollouts.list()) &&
        sameAsServer('apps/v1', 'ReplicaSet', caches.replicaSets.list()) &&
        sameAsServer('v1', 'Service', caches.services.list()) &&
        sameAsServer(RO, 'AnalysisRun', caches.analysisRuns.list()) &&
        controller.rollouts.queue.length + controller.rollouts.queue.active === 0
      );
    });
    expect(controller.resync.running).toBe(true);

    const rolloutKeys: string[] = [];
    const runKeys: string[] = [];
    controller.rollouts.queue.setObserver({ started: (k) => rolloutKeys.push(k) });
    controller.analysisRuns.queue.setObserver({ started: (k) => runKeys.push(k) });
    const from = requests.length;
    const decided = calls.length;

    clock.advance(PERIOD - 1);
    await idle();
    expect(rolloutKeys).toEqual([]);
    for (let round = 1; round <= 2; round++) {
      clock.advance(round === 1 ? 1 : PERIOD);
      await idle();
      expect(rolloutKeys.sort()).toEqual(names.flatMap((n) => Array(round).fill(`default/${n}`)));
      expect(runKeys).toEqual(Array(round).fill('default/done-run'));
      expect(calls.length).toBe(decided + round * names.length);
    }
    expect(requests.writes(from)).toEqual([]);

    await controller.stop(2000);
    expect(controller.resync.running).toBe(false);
    clock.advance(3 * PERIOD);
    expect(rolloutKeys).toHaveLength(2 * names.length);
  });
});
