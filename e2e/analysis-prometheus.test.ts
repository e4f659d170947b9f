// The seed analysis on a bad canary, with a real Prometheus scraping the traffic app: a good image
// first (Healthy), then one tagged `...-errors` whose pods reject half their requests. The seed's
// query is cumulative since each pod started, so the ratio it sees crosses 5% only some seconds
// after the bad pod takes traffic; from that moment the abort must come within
// (failureLimit + 1) × interval + 15 s = (4 + 1) × 5 s + 15 s = 40 s. Then the stable is back at
// 100%, the rollout Degraded with the analysis message, and `kubectl ramp retry rollout` with a good
// image goes to Healthy. Skips (saying so) when Prometheus is not installed, unless CI is set.
import { prometheusForTests, sampleValues, startPrometheus, waitForSample } from '@ramp/testkit';
import { type AnalysisRunJson, getJson, imageOfRs, sleep, stackPerTest } from './support/harness';
import { GOOD, REPO, SEED_ROLLOUT, SEED_SELECTOR, seedCanary, seedTemplate } from './support/seed';

jest.setTimeout(240_000);

const availability = prometheusForTests();
if (!availability.available) {
  console.warn(`e2e/analysis-prometheus: skipped: ${availability.reason} (CI is not set)`);
}
const withPrometheus = availability.available ? test : test.skip;

const startStack = stackPerTest();

withPrometheus(
  'a bad canary is aborted by the seed analysis within the bound, then retried to Healthy',
  async () => {
    const s = await startStack({ trafficSelector: SEED_SELECTOR });
    const trafficTarget = s.trafficUrl!.replace('http://', '');
    const prometheus = await startPrometheus({ scrapeTargets: [trafficTarget], scrapeIntervalSeconds: 1 });
    s.onStop(prometheus);
    await s.scenario(SEED_ROLLOUT, async () => {
      // The seed pauses are 30 s: long enough that the bad version is judged before it completes.
      await s.apply([seedTemplate({ prometheus: prometheus.url }), seedCanary('30s')]);
      await s.waitHealthy(SEED_ROLLOUT, GOOD, 30_000);
      await waitForSample(
        prometheus.url,
        'sum(number_of_request_receive_by_master_total)',
        (data) => sampleValues(data).some((v) => v > 0),
        30_000,
      );

      const bad = `${REPO}:v2-errors`;
      await s.rampOk(['set', 'image', SEED_ROLLOUT, `master=${bad}`]);
      let ratioCrossedAt: number | undefined;
      let badTrafficAt: number | undefined;
      const aborted = await s.waitRollout(
        SEED_ROLLOUT,
        'aborted by the analysis',
        (r) => {
          void getJson<{ rejectRatio: number }>(`${s.trafficUrl}/ratio`).then(
            ({ rejectRatio }) => {
              if (rejectRatio > 0.05) ratioCrossedAt ??= Date.now();
            },
            () => {},
          );
          if ((r.status?.updatedReplicas ?? 0) > 0) badTrafficAt ??= Date.now();
          return r.status?.abort === true;
        },
        120_000,
        200,
      );
      const abortedAt = Date.now();

      // The bound runs from the bad version receiving traffic (issue #7): taken as the first status
      // with an updated (bad) replica, which is no later than its pod becoming ready for traffic.
      expect(badTrafficAt).toBeDefined();
      const from = badTrafficAt!;
      const runs = await s.list<AnalysisRunJson>('analysisruns');
      const run = runs.find((ar) => ar.status?.phase === 'Failed');
      expect(run).toBeDefined();
      const measurements = run!.status!.metricResults![0]!.measurements ?? [];
      const firstFailed = measurements.find((m) => m.phase === 'Failed');
      expect(firstFailed?.startedAt).toBeDefined();
      const bound = (4 + 1) * 5_000 + 15_000;
      const secs = (t: number | undefined) => (((t ?? Number.NaN) - from) / 1000).toFixed(1);
      console.log(
        `bad canary took traffic at +0 s; cumulative ratio > 5% at +${secs(ratioCrossedAt)} s; ` +
          `first failed measurement at +${secs(Date.parse(firstFailed!.startedAt!))} s; ` +
          `aborted at +${secs(abortedAt)} s (bound ${bound / 1000} s)`,
      );
      expect(abortedAt - from).toBeLessThanOrEqual(bound);

      // Stable back at 100%, the bad ReplicaSet at 0, Degraded with the analysis message.
      const degraded = await s.waitRollout(
        SEED_ROLLOUT,
        'Degraded with all 5 stable pods',
        (r) => r.status?.phase === 'Degraded' && r.status.availableReplicas === 5,
        30_000,
      );
      expect(degraded.status?.message).toMatch(/RolloutAborted/);
      expect(degraded.status?.message).toMatch(/analyse-request/);
      expect(degraded.status?.message).toMatch(/Failed/);
      expect(aborted.status?.stableRS).toBeDefined();
      const rss = await s.replicaSets(SEED_SELECTOR);
      const stableRs = rss.find((rs) => imageOfRs(rs) === GOOD)!;
      const badRs = rss.find((rs) => imageOfRs(rs) === bad)!;
      expect(stableRs.spec.replicas).toBe(5);
      expect(badRs.spec.replicas).toBe(0);

      // The fix: a good image, shorter pauses (spec only, to keep the suite fast), and a retry.
      const fixed = `${REPO}:v3`;
      await s.rampOk(['set', 'image', SEED_ROLLOUT, `master=${fixed}`]);
      await s.kubectlOk([
        'patch',
        'rollout',
        SEED_ROLLOUT,
        '--type',
        'json',
        '-p',
        JSON.stringify([
          { op: 'replace', path: '/spec/strategy/canary/steps/1/pause/duration', value: '3s' },
          { op: 'replace', path: '/spec/strategy/canary/steps/3/pause/duration', value: '3s' },
        ]),
      ]);
      const retried = await s.ramp(['retry', 'rollout', SEED_ROLLOUT]);
      // A new template may already have cleared the abort; retry is then a no-op or says so.
      if (retried.code !== 0) expect(`${retried.stdout}${retried.stderr}`).toMatch(/abort/i);
      await sleep(500);
      const healthy = await s.waitHealthy(SEED_ROLLOUT, fixed, 90_000);
      expect(healthy.status?.abort).toBeFalsy();
      expect(healthy.status?.availableReplicas).toBe(5);
    });
  },
);
