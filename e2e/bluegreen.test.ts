// The seed blue-green (examples/bluegreen-rollout.yaml, autoPromotionEnabled: false): a new image
// comes up behind the preview Service while the active one keeps the old; `kubectl ramp promote`
// switches active; the old ReplicaSet goes away after scaleDownDelaySeconds (3 s in this copy).
import { hashOfRs, imageOfRs, readYaml, type ServiceJson, stackPerTest, waitFor } from './support/harness';

jest.setTimeout(120_000);

const startStack = stackPerTest();

type Doc = {
  kind: string;
  spec: Record<string, unknown> & { strategy?: { blueGreen: Record<string, unknown> } };
};

test('the seed blue-green: preview gets v2, active keeps v1 until promote, then the old ReplicaSet scales down', async () => {
  const s = await startStack();
  await s.scenario('bluegreen-rollout', async () => {
    // The Rollout and its two Services (the seed's Ingress only routes to the active Service).
    const docs = readYaml<Doc>('bluegreen-rollout.yaml').filter((d) => d.kind !== 'Ingress');
    const rollout = docs.find((d) => d.kind === 'Rollout')!;
    rollout.spec.strategy!.blueGreen['scaleDownDelaySeconds'] = 3;
    await s.apply(docs);
    await s.waitHealthy('bluegreen-rollout', 'myapp:latest', 30_000);
    const selectorOf = async (svc: string) =>
      (await s.getJson<ServiceJson>(['service', svc])).spec.selector?.['rollouts-pod-template-hash'];
    const [v1rs] = await s.replicaSets('app=myapp');
    const v1 = hashOfRs(v1rs!);
    await waitFor('active and preview on v1', async () => (await selectorOf('myapp-active')) === v1, 10_000);

    await s.rampOk(['set', 'image', 'bluegreen-rollout', 'myapp=myapp:v2']);
    const paused = await s.waitRollout(
      'bluegreen-rollout',
      'paused for promotion with the v2 ReplicaSet up',
      (r) =>
        r.status?.phase === 'Paused' &&
        !!r.status.blueGreen?.previewSelector &&
        r.status.blueGreen.previewSelector !== v1,
      30_000,
    );
    const v2 = paused.status!.blueGreen!.previewSelector!;
    expect(paused.status?.blueGreen?.activeSelector).toBe(v1);
    expect(paused.status?.pauseConditions?.[0]?.reason).toBe('BlueGreenPause');
    await waitFor(
      'preview Service on v2, active on v1, v2 pods ready',
      async () => {
        const rss = await s.replicaSets('app=myapp');
        const rs2 = rss.find((rs) => hashOfRs(rs) === v2);
        return (
          (await selectorOf('myapp-preview')) === v2 &&
          (await selectorOf('myapp-active')) === v1 &&
          imageOfRs(rs2!) === 'myapp:v2' &&
          rs2?.status?.readyReplicas === 2
        );
      },
      20_000,
    );
    // Without a promotion nothing switches.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await selectorOf('myapp-active')).toBe(v1);

    await s.rampOk(['promote', 'bluegreen-rollout']);
    const promotedAt = Date.now();
    await waitFor(
      'active Service switched to v2',
      async () => (await selectorOf('myapp-active')) === v2,
      20_000,
    );
    const healthy = await s.waitHealthy('bluegreen-rollout', 'myapp:v2', 30_000);
    expect(healthy.status?.stableRS).toBe(v2);
    // The old ReplicaSet keeps its pods for scaleDownDelaySeconds (3 s), then goes to 0.
    const scaledDown = await waitFor(
      'the v1 ReplicaSet scaled to 0',
      async () => {
        const old = (await s.replicaSets('app=myapp')).find((rs) => hashOfRs(rs) === v1);
        return old?.spec.replicas === 0 && Date.now();
      },
      30_000,
    );
    expect(scaledDown - promotedAt).toBeGreaterThanOrEqual(2_500);
    expect(await selectorOf('myapp-active')).toBe(v2);
  });
});
