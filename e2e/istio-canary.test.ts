// An Istio subset-level canary on real processes: testkit serving Istio's CRDs (every VirtualService and
// DestinationRule Ramp writes checked against their schema), the controller, the traffic app following
// the VirtualService (each destination's share by weight, its subset resolved through the
// DestinationRule's labels to the pods it selects), Prometheus scraping it, and kubectl. A good first
// version; then a bad one (`...-errors`: its pods reject half their requests) whose subset is labelled
// with its hash, gets 20% of the traffic through the VirtualService, and fails its own error-ratio
// analysis there: the rollout aborts, the canary weight goes back to 0 before the canary ReplicaSet is
// scaled down, the canary subset goes back to the stable's pods, and the stable keeps its 5 pods.
// Skips (saying so) when Prometheus is not installed, unless CI is set.
import { prometheusForTests, sampleValues, startPrometheus, waitForSample } from '@ramp/testkit';
import {
  type AnalysisRunJson,
  hashOfRs,
  ObjectWatch,
  type ReplicaSetJson,
  type RolloutJson,
  stackPerTest,
  TrafficSamples,
} from './support/harness';
import {
  type DestinationRuleJson,
  IS_CONTAINER,
  IS_DESTRULE,
  IS_IMAGE,
  IS_ROLLOUT,
  IS_SELECTOR,
  IS_VSVC,
  istioCanary,
  subsetHash,
  subsetWeight,
  type VirtualServiceJson,
} from './support/istio';

jest.setTimeout(180_000);

const availability = prometheusForTests();
if (!availability.available) {
  console.warn(`e2e/istio-canary: skipped: ${availability.reason} (CI is not set)`);
}
const withPrometheus = availability.available ? test : test.skip;

const startStack = stackPerTest();
const ABORT_SCALE_DOWN_DELAY_S = 3;
const imageOf = (r: RolloutJson) => r.spec.template.spec.containers[0]?.image;
const canaryWeight = (vs: VirtualServiceJson) => subsetWeight(vs, 'canary');

withPrometheus(
  'an Istio subset-split canary: a bad version fails its analysis at 20% through the VirtualService and is rolled back, weight first',
  async () => {
    const s = await startStack({ crds: ['istio'], trafficRoute: `virtualservice/${IS_VSVC}` });
    const prometheus = await startPrometheus({
      scrapeTargets: [s.trafficUrl!.replace('http://', '')],
      scrapeIntervalSeconds: 1,
    });
    s.onStop(prometheus);
    await s.scenario(IS_ROLLOUT, async () => {
      await s.apply(
        istioCanary({
          prometheus: prometheus.url,
          firstPause: '20s',
          interval: '2s',
          failureLimit: 1,
          abortScaleDownDelaySeconds: ABORT_SCALE_DOWN_DELAY_S,
        }),
      );
      const healthy = await s.waitHealthy(IS_ROLLOUT, `${IS_IMAGE}:v1`, 30_000);
      const stableHash = healthy.status!.stableRS!;
      await waitForSample(
        prometheus.url,
        'sum(number_of_request_receive_by_master_total)',
        (data) => sampleValues(data).some((v) => v > 0),
        30_000,
      );
      // both subsets on the stable's pods, as the first deploy leaves them
      const dr0 = await s.getJson<DestinationRuleJson>(['destinationrule', IS_DESTRULE]);
      expect([subsetHash(dr0, 'canary'), subsetHash(dr0, 'stable')]).toEqual([stableHash, stableHash]);

      const rollouts = ObjectWatch.start<RolloutJson>(s.kubeconfig, ['rollout', IS_ROLLOUT]);
      const vsvc = ObjectWatch.start<VirtualServiceJson>(s.kubeconfig, ['virtualservice', IS_VSVC]);
      const drs = ObjectWatch.start<DestinationRuleJson>(s.kubeconfig, ['destinationrule', IS_DESTRULE]);
      const rss = ObjectWatch.start<ReplicaSetJson>(s.kubeconfig, ['replicasets', '-l', IS_SELECTOR]);
      const runs = ObjectWatch.start<AnalysisRunJson>(s.kubeconfig, ['analysisruns']);
      const traffic = TrafficSamples.start(s.trafficUrl!);
      for (const thing of [rollouts, vsvc, drs, rss, runs, traffic]) s.onStop(thing);
      await Promise.all([rollouts.ready(), vsvc.ready(), drs.ready(), rss.ready()]);

      const bad = `${IS_IMAGE}:v2-errors`;
      await s.rampOk(['set', 'image', IS_ROLLOUT, `${IS_CONTAINER}=${bad}`]);
      const written = await rollouts.first('the bad image written', (r) => imageOf(r) === bad, 15_000);
      const relabelled = await drs.first(
        'the canary subset on the new revision',
        (dr, seen) => seen.rv > written.rv && subsetHash(dr, 'canary') !== stableHash,
        30_000,
      );
      const badHash = subsetHash(relabelled.object, 'canary')!;
      const took20 = await vsvc.first(
        'the bad canary at 20%',
        (vs, seen) => seen.rv > written.rv && canaryWeight(vs) === 20,
        30_000,
      );
      // the subset selected the canary's pods before any traffic went to it
      expect(relabelled.rv).toBeLessThan(took20.rv);
      const failed = await runs.first(
        "the bad canary's analysis Failed",
        (ar) => ar.status?.phase === 'Failed',
        40_000,
      );
      const aborted = await rollouts.first('aborted', (r) => r.status?.abort === true, 15_000);
      const back0 = await vsvc.first(
        'the canary weight back to 0',
        (vs, seen) => seen.rv > took20.rv && canaryWeight(vs) === 0,
        15_000,
      );
      const putBack = await drs.first(
        'the canary subset back on the stable',
        (dr, seen) => seen.rv > back0.rv && subsetHash(dr, 'canary') === stableHash,
        15_000,
      );
      const scaledDown = await rss.first(
        'the bad ReplicaSet scaled to 0',
        (rs) => hashOfRs(rs) === badHash && rs.spec.replicas === 0,
        ABORT_SCALE_DOWN_DELAY_S * 1000 + 20_000,
      );

      // judged through the routed traffic: the canary's share at 20% was about 20%
      expect(failed.rv).toBeGreaterThan(took20.rv);
      const received = traffic.receivedBetween(took20.at + 500, Math.min(failed.at, back0.at) - 250);
      const canaryGot = received.get(badHash) ?? 0;
      const stableGot = received.get(stableHash) ?? 0;
      const share = canaryGot / (canaryGot + stableGot);
      expect(share).toBeGreaterThan(0.16);
      expect(share).toBeLessThan(0.24);
      // the abort: weight 0 first, then the subset, then the canary's pods after the delay
      expect(back0.rv).toBeLessThan(putBack.rv);
      expect(back0.rv).toBeLessThan(scaledDown.rv);
      expect(subsetHash(putBack.object, 'stable')).toBe(stableHash);
      const stableRs = rss.seen().filter((v) => hashOfRs(v.object) === stableHash && v.rv > written.rv);
      for (const { object } of stableRs) expect(object.spec.replicas).toBe(5);
      const degraded = await s.waitRollout(
        IS_ROLLOUT,
        'Degraded',
        (r) => r.status?.phase === 'Degraded',
        15_000,
      );
      expect(degraded.status?.message).toMatch(/^RolloutAborted: .*canary-error-ratio.*Failed/);
      expect(degraded.status?.canary?.weights?.canary.weight).toBe(0);

      const secs = (t: number) => `+${((t - written.at) / 1000).toFixed(1)} s`;
      console.log(
        `bad image written at +0 s; canary subset relabelled at ${secs(relabelled.at)}; 20% at ${secs(took20.at)}; ` +
          `analysis failed at ${secs(failed.at)}; aborted at ${secs(aborted.at)}; weight 0 at ${secs(back0.at)}; ` +
          `canary subset back on the stable at ${secs(putBack.at)}; canary scaled to 0 at ${secs(scaledDown.at)}; ` +
          `canary's measured share at 20%: ${(share * 100).toFixed(1)}% (${canaryGot} of ${canaryGot + stableGot} requests)`,
      );
    });
  },
);
