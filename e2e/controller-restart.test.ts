// The controller killed with SIGKILL in the middle of a canary (during a timed pause) and started
// again: the rollout ends as if nothing had happened — Healthy, the same two ReplicaSets, every step
// in order, the interrupted pause still honoured.
import { type EventJson, hashOfRs, imageOfRs, sleep, stackPerTest } from './support/harness';

jest.setTimeout(150_000);

const startStack = stackPerTest();

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'restart-canary' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'restart' } },
    template: {
      metadata: { labels: { app: 'restart' } },
      spec: { containers: [{ name: 'app', image: 'app:v1' }] },
    },
    strategy: {
      canary: {
        steps: [
          { setWeight: 25 },
          { pause: { duration: '3s' } },
          { setWeight: 50 },
          { pause: { duration: '6s' } },
          { setWeight: 75 },
          { pause: { duration: '3s' } },
        ],
      },
    },
  },
};

test('SIGKILL of the controller during a pause: restarted, the rollout finishes as if nothing happened', async () => {
  const s = await startStack();
  await s.scenario('restart-canary', async () => {
    await s.apply([rollout]);
    await s.waitHealthy('restart-canary', 'app:v1', 30_000);
    await s.rampOk(['set', 'image', 'restart-canary', 'app=app:v2']);

    const seen: number[] = [];
    const enteredAt = new Map<number, number>();
    const track = (i: number | undefined) => {
      if (typeof i === 'number' && seen.at(-1) !== i) {
        seen.push(i);
        enteredAt.set(i, Date.now());
      }
    };
    const inPause = await s.waitRollout(
      'restart-canary',
      'in the 6 s pause at step 3',
      (r) => {
        if (r.spec.template.spec.containers[0]?.image === 'app:v2') track(r.status?.currentStepIndex);
        return r.status?.currentStepIndex === 3 && r.status.phase === 'Paused';
      },
      30_000,
      100,
    );
    const pauseStarted = Date.parse(inPause.status?.pauseConditions?.[0]?.startTime ?? '') || Date.now();
    const before = (await s.replicaSets('app=restart')).map((rs) => rs.metadata.name).sort();

    await s.controller.kill();
    expect(s.controller.hasExited()).toBe(true);
    // Nobody reconciles for a moment: the rollout stays where it was.
    await sleep(1_000);
    expect((await s.rollout('restart-canary')).status?.currentStepIndex).toBe(3);
    await s.startController();

    const done = await s.waitRollout(
      'restart-canary',
      'Healthy on app:v2',
      (r) => {
        track(r.status?.currentStepIndex);
        return (
          r.status?.phase === 'Healthy' &&
          r.status.stableRS === r.status.currentPodHash &&
          r.status.currentStepIndex === 6
        );
      },
      60_000,
      100,
    );
    // The interrupted 6 s pause was not cut short by the restart (startTime has 1 s precision).
    // Step 4 (setWeight 75) can pass between two polls, so the pause ended when any later step was first seen.
    const leftPause = Math.min(...[4, 5, 6].map((i) => enteredAt.get(i) ?? Number.POSITIVE_INFINITY));
    expect(Number.isFinite(leftPause)).toBe(true);
    expect(leftPause - pauseStarted).toBeGreaterThanOrEqual(5_000);
    // Steps only went forward, through both remaining pauses, ending at the end.
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen).toEqual(expect.arrayContaining([1, 3, 5, 6]));
    // Same ReplicaSets as before the kill: the restarted controller adopted them, created none.
    const rss = await s.replicaSets('app=restart');
    expect(rss.map((rs) => rs.metadata.name).sort()).toEqual(before);
    const v2 = rss.find((rs) => imageOfRs(rs) === 'app:v2')!;
    const v1 = rss.find((rs) => imageOfRs(rs) === 'app:v1')!;
    expect(done.status?.stableRS).toBe(hashOfRs(v2));
    expect(v2.spec.replicas).toBe(4);
    expect(v1.spec.replicas).toBe(0);
    // No step completed twice or out of order in the events either (when the controller records them).
    const events = await s.list<EventJson>('events');
    const steps = events
      .filter((e) => e.reason === 'RolloutStepCompleted' && e.involvedObject?.name === 'restart-canary')
      .map((e) => e.message ?? '');
    expect(new Set(steps).size).toBe(steps.length);
  });
});
