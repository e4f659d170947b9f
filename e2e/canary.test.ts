// The seed canary (examples/example-rollout.yaml): 20%, then a 1h pause that `kubectl ramp promote`
// ends, then 100% and Healthy. Real processes: ramp-testkit serve, ramp-controller, kubectl.
import { hashOfRs, imageOfRs, readYaml, stackPerTest, waitFor } from './support/harness';

jest.setTimeout(120_000);

const startStack = stackPerTest();

test('the seed canary: 20%, paused for 1h until `kubectl ramp promote`, then Healthy', async () => {
  const s = await startStack();
  await s.scenario('example-rollout', async () => {
    const rollout = readYaml<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      'example-rollout.yaml',
    )[0]!;
    const v1 = rollout.spec.template.spec.containers[0]!.image;
    await s.apply([rollout]);
    // The first deploy has no steps: straight to 3 pods.
    const first = await s.waitHealthy('example-rollout', v1, 30_000);
    expect(first.status?.availableReplicas).toBe(3);

    await s.rampOk(['set', 'image', 'example-rollout', 'app=your-image:v2']);
    // setWeight 20 of 3 replicas: 1 canary pod (rounded up); the stable keeps its pods within
    // maxSurge (Argo's basic canary); then the 1h pause.
    const paused = await s.waitRollout(
      'example-rollout',
      'paused at step 1 (the 1h pause)',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      30_000,
    );
    expect(paused.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
    const during = await s.replicaSets('app=example');
    const canary = during.find((rs) => imageOfRs(rs) === 'your-image:v2')!;
    const stable = during.find((rs) => imageOfRs(rs) === v1)!;
    expect(canary.spec.replicas).toBe(1);
    expect(stable.spec.replicas).toBeGreaterThanOrEqual(2);
    // Still paused a while later: the pause is an hour, nothing moves by itself.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await s.rollout('example-rollout')).status?.currentStepIndex).toBe(1);

    await s.rampOk(['promote', 'example-rollout']);
    const done = await s.waitHealthy('example-rollout', 'your-image:v2', 30_000);
    expect(done.status?.currentStepIndex).toBe(2);
    expect(done.status?.stableRS).toBe(hashOfRs(canary));
    await waitFor(
      'the old ReplicaSet scaled to 0',
      async () => {
        const rss = await s.replicaSets('app=example');
        const old = rss.find((rs) => imageOfRs(rs) === v1);
        const cur = rss.find((rs) => imageOfRs(rs) === 'your-image:v2');
        return old?.spec.replicas === 0 && cur?.status?.availableReplicas === 3;
      },
      45_000,
    );
  });
});
