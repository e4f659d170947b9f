// The canary strategy end to end: the real controller against testkit's API server and workload
// simulator, driven as Argo's plugin would drive it.
import { argoCanary, seedCanary } from '../testing/integration/fixtures';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();

test('the seed canary: 20%, paused until promote, then to the end; idle once Healthy', async () => {
  const h = await env.start();
  await h.create(seedCanary());
  await h.startController();
  const v1 = (await h.waitForPhase('example-rollout', 'Healthy')).status?.currentPodHash;
  expect(h.counts('example-rollout')).toEqual({ [v1!]: 3 });
  expect(await h.writesWhileIdle()).toEqual([]);

  await h.setImage('example-rollout', 'your-image:v2');
  const paused = await h.waitForPhase(
    'example-rollout',
    'Paused',
    (ro) => ro.status?.currentStepIndex === 1 && ro.status.currentPodHash !== v1,
  );
  const v2 = paused.status?.currentPodHash;
  expect(paused.status).toMatchObject({ message: 'CanaryPauseStep', stableRS: v1 });
  await h.waitFor(
    'the canary pod',
    () => h.replicaSet('example-rollout', v2)?.status?.availableReplicas === 1,
  );
  // Argo's math: 1 of 4 (25%, by surging the stable) is nearer 20% than 1 of 3
  expect(h.counts('example-rollout')).toEqual({ [v1!]: 3, [v2!]: 1 });

  await h.promote('example-rollout');
  const done = await h.waitForPhase('example-rollout', 'Healthy');
  expect(done.status).toMatchObject({ stableRS: v2, currentPodHash: v2, currentStepIndex: 2 });
  expect(h.counts('example-rollout')).toEqual({ [v1!]: 0, [v2!]: 3 });
  expect(await h.writesWhileIdle()).toEqual([]);
});

test("Argo's rollout-canary example walks its steps: 20, pause, 40, pause 2s, 60, pause 1s, 80, pause 1s", async () => {
  const h = await env.start();
  await h.create(argoCanary());
  await h.startController();
  const v1 = (await h.waitForPhase('rollout-canary', 'Healthy')).status?.currentPodHash;
  await h.setImage('rollout-canary', 'argoproj/rollouts-demo:yellow');
  const paused = await h.waitForPhase('rollout-canary', 'Paused', (ro) => ro.status?.currentPodHash !== v1);
  const v2 = paused.status?.currentPodHash;
  expect(paused.status?.currentStepIndex).toBe(1);
  expect(h.counts('rollout-canary')).toEqual({ [v1!]: 4, [v2!]: 1 });
  await h.promote('rollout-canary');
  const done = await h.waitForPhase('rollout-canary', 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(done.status?.currentStepIndex).toBe(8);
  expect(h.counts('rollout-canary')).toEqual({ [v1!]: 0, [v2!]: 5 });
  // step by step: each setWeight moved the ReplicaSets one fifth (the canary is created empty)
  expect(h.observer.replicasOf('rollout-canary', v2!)).toEqual([0, 1, 2, 3, 4, 5]);
  const stable = h.observer.replicasOf('rollout-canary', v1!);
  expect(stable.slice(stable.indexOf(5))).toEqual([5, 4, 3, 2, 1, 0]);
  // every pause was taken, the first one until promote, the timed ones by themselves
  const pauses = (h.observer.history.get('rollout-canary') ?? []).filter((e) => e.startsWith('Paused'));
  expect(pauses).toEqual([1, 3, 5, 7].map((i) => `Paused step=${i} ${v2}`));
});

test('promote --full skips the remaining steps and pauses', async () => {
  const h = await env.start();
  await h.create(argoCanary());
  await h.startController();
  const v1 = (await h.waitForPhase('rollout-canary', 'Healthy')).status?.currentPodHash;
  await h.setImage('rollout-canary', 'argoproj/rollouts-demo:green');
  const v2 = (await h.waitForPhase('rollout-canary', 'Paused', (ro) => ro.status?.currentPodHash !== v1))
    .status?.currentPodHash;
  await h.promoteFull('rollout-canary');
  const done = await h.waitForPhase('rollout-canary', 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(done.status?.currentStepIndex).toBe(8);
  expect(done.status?.promoteFull).toBeUndefined();
  expect(h.counts('rollout-canary')).toEqual({ [v1!]: 0, [v2!]: 5 });
  // from 20% straight to full, within maxSurge (25%: 2 pods): no stop at 40/60/80%
  expect(h.observer.replicasOf('rollout-canary', v2!)).toEqual([0, 1, 3, 4, 5]);
  expect((h.observer.history.get('rollout-canary') ?? []).filter((e) => e.startsWith('Paused'))).toEqual([
    `Paused step=1 ${v2}`,
  ]);
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('a fast rollback (the stable template back mid-rollout) is Healthy at once, without steps', async () => {
  const h = await env.start();
  await h.create(argoCanary());
  await h.startController();
  const v1 = (await h.waitForPhase('rollout-canary', 'Healthy')).status?.currentPodHash;
  await h.setImage('rollout-canary', 'argoproj/rollouts-demo:red');
  const v2 = (await h.waitForPhase('rollout-canary', 'Paused', (ro) => ro.status?.currentPodHash !== v1))
    .status?.currentPodHash;
  const before = (h.observer.history.get('rollout-canary') ?? []).length;
  await h.setImage('rollout-canary', 'argoproj/rollouts-demo:blue');
  const done = await h.waitForPhase('rollout-canary', 'Healthy', (ro) => ro.status?.currentPodHash === v1);
  expect(done.status).toMatchObject({ stableRS: v1, currentStepIndex: 8 });
  expect(h.counts('rollout-canary')).toEqual({ [v1!]: 5, [v2!]: 0 });
  expect(h.replicaSets('rollout-canary')).toHaveLength(2);
  const after = (h.observer.history.get('rollout-canary') ?? []).slice(before);
  expect(after.filter((e) => e.startsWith('Paused'))).toEqual([]);
  expect(await h.writesWhileIdle()).toEqual([]);
});
