// A Gateway API canary, as the Argo Gateway API plugin's users write it (support/gateway-api.ts), on
// real processes: testkit serving the upstream Gateway API CRDs (their CEL rules checked on every
// write), the controller, the traffic app following the HTTPRoute (each backend's share by its
// weight, then the Service's ready pods), Prometheus scraping it, and kubectl. The analysis judges
// the canary's own error ratio (its pod-template hash passed with podTemplateHashValue: Latest).
// A good version walks 20% → 60% → 100% to Healthy; then a bad one (`...-errors`, its pods reject
// half their requests) gets 20% of the traffic through the route and fails the analysis there: the
// rollout aborts, the route's canary weight goes back to 0 before the canary ReplicaSet is scaled
// down (abortScaleDownDelaySeconds later), and the stable keeps its 5 pods throughout. Four watches
// (rollout, route, ReplicaSets, AnalysisRuns) see every write in order. Skips (saying so) when
// Prometheus is not installed, unless CI is set.
import { prometheusForTests, sampleValues, startPrometheus, waitForSample } from '@ramp/testkit';
import {
  GW_CANARY,
  GW_CONTAINER,
  GW_IMAGE,
  GW_ROLLOUT,
  GW_ROUTE,
  GW_SELECTOR,
  GW_STABLE,
  gatewayCanary,
  type HttpRouteJson,
  routeWeight,
} from './support/gateway-api';
import {
  type AnalysisRunJson,
  hashOfRs,
  ObjectWatch,
  type ReplicaSetJson,
  type RolloutJson,
  stackPerTest,
  TrafficSamples,
} from './support/harness';

jest.setTimeout(180_000);

const availability = prometheusForTests();
if (!availability.available) {
  console.warn(`e2e/gateway-api-canary: skipped: ${availability.reason} (CI is not set)`);
}
const withPrometheus = availability.available ? test : test.skip;

const startStack = stackPerTest();

const ABORT_SCALE_DOWN_DELAY_S = 3;
const canaryWeight = (route: HttpRouteJson) => routeWeight(route, GW_CANARY);
const imageOf = (r: RolloutJson) => r.spec.template.spec.containers[0]?.image;
/** The first value of each measurement of a run's metric (`[0.5]` → 0.5; `[]` or none → NaN). */
const values = (run: AnalysisRunJson) =>
  (run.status?.metricResults?.[0]?.measurements ?? []).map((m) => {
    const first = (m.value ?? '')
      .replace(/^\[|\]$/g, '')
      .split(',')[0]!
      .trim();
    return first === '' ? Number.NaN : Number(first);
  });
/** The version of `watch`'s objects current just before the write `rv`. */
const before = <T>(watch: ObjectWatch<T>, rv: number): T | undefined =>
  watch
    .seen()
    .filter((s) => s.rv < rv)
    .at(-1)?.object;

withPrometheus(
  'a Gateway API canary: a good version walked to 100% through the route; a bad one fails the analysis at 20% and is aborted, weight first',
  async () => {
    const s = await startStack({ crds: ['gateway-api-experimental'], trafficRoute: `httproute/${GW_ROUTE}` });
    const prometheus = await startPrometheus({
      scrapeTargets: [s.trafficUrl!.replace('http://', '')],
      scrapeIntervalSeconds: 1,
    });
    s.onStop(prometheus);
    await s.scenario(GW_ROLLOUT, async () => {
      await s.apply(
        gatewayCanary({
          prometheus: prometheus.url,
          firstPause: '15s',
          secondPause: '5s',
          interval: '2s',
          failureLimit: 1,
          abortScaleDownDelaySeconds: ABORT_SCALE_DOWN_DELAY_S,
        }),
      );
      const v1 = `${GW_IMAGE}:v1`;
      await s.waitHealthy(GW_ROLLOUT, v1, 30_000);
      // Ramp wrote the weights into the route the user left without any: all to the stable.
      const route0 = await s.getJson<HttpRouteJson>(['httproute', GW_ROUTE]);
      expect([routeWeight(route0, GW_STABLE), canaryWeight(route0)]).toEqual([100, 0]);
      await waitForSample(
        prometheus.url,
        'sum(number_of_request_receive_by_master_total)',
        (data) => sampleValues(data).some((v) => v > 0),
        30_000,
      );

      const rollouts = ObjectWatch.start<RolloutJson>(s.kubeconfig, ['rollout', GW_ROLLOUT]);
      const route = ObjectWatch.start<HttpRouteJson>(s.kubeconfig, ['httproute', GW_ROUTE]);
      const rss = ObjectWatch.start<ReplicaSetJson>(s.kubeconfig, ['replicasets', '-l', GW_SELECTOR]);
      const runs = ObjectWatch.start<AnalysisRunJson>(s.kubeconfig, ['analysisruns']);
      const traffic = TrafficSamples.start(s.trafficUrl!);
      for (const thing of [rollouts, route, rss, runs, traffic]) s.onStop(thing);
      await Promise.all([rollouts.ready(), route.ready(), rss.ready()]);

      // A good version: 20%, pause, 60%, pause, 100%, judged all along.
      const v2 = `${GW_IMAGE}:v2`;
      await s.rampOk(['set', 'image', GW_ROLLOUT, `${GW_CONTAINER}=${v2}`]);
      const goodWritten = await rollouts.first('the good image written', (r) => imageOf(r) === v2, 15_000);
      const healthy = await s.waitHealthy(GW_ROLLOUT, v2, 60_000);
      const stableHash = healthy.status!.stableRS!;
      const goodWeights = await route.first(
        'the canary weight back to 0 after the walk',
        (r, seen) =>
          seen.rv > goodWritten.rv && canaryWeight(r) === 0 && seenWeight(route, 60, goodWritten.rv),
        15_000,
      );
      // 20, 60, then (as Argo) 100 for the last step before the stable Service switches, then 0.
      const walked = weightsSince(route, goodWritten.rv, goodWeights.rv);
      expect(walked.slice(0, 2)).toEqual([20, 60]);
      expect(walked.at(-1)).toBe(0);
      for (const w of walked) expect([0, 20, 60, 100]).toContain(w);
      const goodRun = await runs.first(
        "the good version's analysis ended Successful",
        (ar) => ar.metadata.name.includes(stableHash) && ar.status?.phase === 'Successful',
        15_000,
      );
      const goodValues = values(goodRun.object).filter((v) => Number.isFinite(v));
      expect(goodValues.length).toBeGreaterThanOrEqual(3);
      for (const v of goodValues) expect(v).toBeLessThan(0.05);

      // A bad version: at 20% through the route, its own error ratio fails the analysis.
      const bad = `${GW_IMAGE}:v3-errors`;
      await s.rampOk(['set', 'image', GW_ROLLOUT, `${GW_CONTAINER}=${bad}`]);
      // Time 0: the new template stored (kubectl ramp's own start-up is not Ramp's time).
      const written = await rollouts.first('the bad image written', (r) => imageOf(r) === bad, 15_000);
      const took20 = await route.first(
        'the bad canary at 20%',
        (r, seen) => seen.rv > written.rv && canaryWeight(r) === 20,
        30_000,
      );
      const failed = await runs.first(
        "the bad canary's analysis Failed",
        (ar) => ar.status?.phase === 'Failed',
        40_000,
      );
      const aborted = await rollouts.first('aborted', (r) => r.status?.abort === true, 15_000);
      const back0 = await route.first(
        'the canary weight back to 0',
        (r, seen) => seen.rv > took20.rv && canaryWeight(r) === 0,
        15_000,
      );
      const badHash = failed.object.spec?.args?.find((a) => a.name === 'canary-hash')?.value ?? '';
      expect(badHash).not.toBe('');
      expect(badHash).not.toBe(stableHash);
      const scaledDown = await rss.first(
        'the bad ReplicaSet scaled to 0',
        (rs) => hashOfRs(rs) === badHash && rs.spec.replicas === 0,
        ABORT_SCALE_DOWN_DELAY_S * 1000 + 20_000,
      );

      // The analysis failed while the route gave the canary 20%, on the canary's own ratio (about
      // 0.5; over every pod it would be about 0.1).
      expect(failed.rv).toBeGreaterThan(took20.rv);
      expect(canaryWeight(before(route, failed.rv)!)).toBe(20);
      expect(before(rollouts, failed.rv)?.status?.currentStepIndex).toBe(1);
      const failedValues = values(failed.object).filter((v) => v >= 0.05);
      expect(failedValues.length).toBe(2);
      for (const v of failedValues) expect(v).toBeGreaterThan(0.3);
      // The route carried 20% to the canary: what its pods received from the moment the traffic app
      // applied the weight (its next tick) to the failure, against the stable's.
      const received = traffic.receivedBetween(took20.at + 500, Math.min(failed.at, back0.at) - 250);
      const canaryGot = received.get(badHash) ?? 0;
      const stableGot = received.get(stableHash) ?? 0;
      const share = canaryGot / (canaryGot + stableGot);
      expect(share).toBeGreaterThan(0.17);
      expect(share).toBeLessThan(0.23);

      // The abort: the weight back to 0 first, the canary's pod kept until then and gone only after
      // the delay.
      expect(back0.rv).toBeLessThan(scaledDown.rv);
      const canaryRs = rss.seen().filter((v) => hashOfRs(v.object) === badHash);
      const canaryAtBack0 = canaryRs.filter((v) => v.rv < back0.rv).at(-1)?.object;
      expect(canaryAtBack0?.spec.replicas).toBe(1);
      expect(scaledDown.at - back0.at).toBeGreaterThanOrEqual((ABORT_SCALE_DOWN_DELAY_S - 1) * 1000);

      // (The previous stable may still have its pods: scaleDownDelaySeconds is 30 s by default.)
      const degraded = await s.waitRollout(
        GW_ROLLOUT,
        'Degraded',
        (r) => r.status?.phase === 'Degraded',
        15_000,
      );
      expect(degraded.status?.message).toMatch(/^RolloutAborted: .*canary-error-ratio.*Failed/);
      expect(degraded.status?.canary?.weights?.canary.weight).toBe(0);
      expect(degraded.status?.canary?.weights?.stable).toMatchObject({
        weight: 100,
        podTemplateHash: stableHash,
      });
      // The stable kept all its pods throughout: as it was when the bad image was written, and
      // every write of its ReplicaSet since (none, usually).
      const stableRs = rss.seen().filter((v) => hashOfRs(v.object) === stableHash);
      const stableVersions = [
        ...stableRs.filter((v) => v.rv < written.rv).slice(-1),
        ...stableRs.filter((v) => v.rv > written.rv),
      ];
      expect(stableVersions.length).toBeGreaterThan(0);
      for (const { object } of stableVersions) {
        expect([object.spec.replicas, object.status?.availableReplicas]).toEqual([5, 5]);
      }

      const secs = (t: number) => `+${((t - written.at) / 1000).toFixed(1)} s`;
      console.log(
        `bad image written at +0 s; the canary took 20% at ${secs(took20.at)}; analysis failed at ${secs(failed.at)} ` +
          `(values ${failedValues.map((v) => v.toFixed(3)).join(', ')}); aborted at ${secs(aborted.at)}; ` +
          `route back to 0 at ${secs(back0.at)}; canary scaled to 0 at ${secs(scaledDown.at)}; ` +
          `canary's measured share at 20%: ${(share * 100).toFixed(1)}% (${canaryGot} of ${canaryGot + stableGot} requests)`,
      );
    });
  },
);

/** Whether the route gave the canary `weight` in some write after the write `sinceRv`. */
function seenWeight(route: ObjectWatch<HttpRouteJson>, weight: number, sinceRv: number): boolean {
  return route.seen().some((v) => v.rv > sinceRv && canaryWeight(v.object) === weight);
}

/** The canary weights of the route's writes after `sinceRv` up to `untilRv`, repeats merged. */
function weightsSince(route: ObjectWatch<HttpRouteJson>, sinceRv: number, untilRv: number): number[] {
  const out: number[] = [];
  for (const v of route.seen()) {
    const w = canaryWeight(v.object);
    if (v.rv > sinceRv && v.rv <= untilRv && w !== undefined && w !== out.at(-1)) out.push(w);
  }
  return out;
}
