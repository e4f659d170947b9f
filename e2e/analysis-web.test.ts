// A good canary under the seed's background analysis goes through every step to Healthy. The
// analysis reads the traffic app's /ratio through the web provider (same rule, result < 0.05, and
// the same ratio the seed's Prometheus query computes), so this needs no Prometheus and stays fast.
import { type AnalysisRunJson, stackPerTest } from './support/harness';
import { GOOD, REPO, SEED_ROLLOUT, SEED_SELECTOR, seedCanary, seedTemplate } from './support/seed';

jest.setTimeout(150_000);

const startStack = stackPerTest();

test('a good canary whose analysis passes goes through every step to Healthy', async () => {
  const s = await startStack({ trafficSelector: SEED_SELECTOR });
  await s.scenario(SEED_ROLLOUT, async () => {
    await s.apply([seedTemplate({ web: s.trafficUrl! }), seedCanary('4s')]);
    await s.waitHealthy(SEED_ROLLOUT, GOOD, 30_000);

    const v2 = `${REPO}:v2`;
    await s.rampOk(['set', 'image', SEED_ROLLOUT, `master=${v2}`]);
    // Every step index the rollout goes through, in order (polled faster than any step lasts).
    const seen: number[] = [];
    const done = await s.waitRollout(
      SEED_ROLLOUT,
      `Healthy on ${v2}`,
      (r) => {
        const i = r.status?.currentStepIndex;
        if (r.spec.template.spec.containers[0]?.image === v2 && typeof i === 'number' && seen.at(-1) !== i)
          seen.push(i);
        if (r.status?.abort) throw new Error(`aborted: ${r.status.message}`);
        return (
          r.status?.phase === 'Healthy' &&
          String(r.status.observedGeneration) === String(r.metadata.generation) &&
          r.status.stableRS === r.status.currentPodHash
        );
      },
      60_000,
      150,
    );
    expect(done.status?.currentStepIndex).toBe(4);
    // Both pauses were seen (each lasts 4 s), and the steps only ever went forward.
    expect(seen).toEqual(expect.arrayContaining([1, 3, 4]));
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // The analysis measured along the way and never failed.
    const runs = await s.list<AnalysisRunJson>('analysisruns');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const metric = runs.at(-1)!.status?.metricResults?.[0];
    expect(metric?.successful ?? 0).toBeGreaterThanOrEqual(2);
    expect(metric?.failed ?? 0).toBe(0);
    expect(['Successful', 'Running']).toContain(runs.at(-1)!.status?.phase);
    const rss = await s.replicaSets(SEED_SELECTOR);
    expect(rss.map((rs) => rs.spec.replicas)).toEqual([0, 5]);
  });
});
