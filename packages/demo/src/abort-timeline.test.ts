import type { ReplicaSet } from '@ramp/controller';
import { AbortTimeline } from './abort-timeline';
import type { Observed } from './live-view';
import { pausedAt20 } from './testing/observed';

const canary = (replicas: number) => ({ spec: { replicas } }) as ReplicaSet;

function aborted(route: Observed['route']): Observed {
  const o = pausedAt20();
  o.rollout!.status = { ...o.rollout!.status, abort: true, phase: 'Degraded' };
  return { ...o, ...(route ? { route } : {}) };
}

test('the weight back to 0 at the abort, the canary scaled down after the delay', () => {
  let now = 1_000;
  const timeline = new AbortTimeline(() => now);
  timeline.see(pausedAt20(), canary(1)); // not aborted yet: nothing recorded
  now = 2_000;
  timeline.see(aborted({ stable: 100, canary: 0 }), canary(1));
  now = 12_400;
  timeline.see(aborted({ stable: 100, canary: 0 }), canary(0));
  expect(timeline.aborted()).toBe(2_000);
  expect(timeline.routeOrder(10)).toBe(
    "The route's canary weight went back to 0 at the abort; the bad ReplicaSet was scaled down 10s later (abortScaleDownDelaySeconds: 10).",
  );
});

test('a canary scaled down before the route stopped sending to it is reported as such', () => {
  let now = 0;
  const timeline = new AbortTimeline(() => now);
  timeline.see(aborted({ stable: 80, canary: 20 }), canary(0));
  now = 3_000;
  timeline.see(aborted({ stable: 100, canary: 0 }), canary(0));
  expect(timeline.routeOrder(10)).toBe(
    "The bad ReplicaSet was scaled down 3s BEFORE the route's canary weight went back to 0.",
  );
});

test('without a route (the default demo) only the abort time is kept', () => {
  const timeline = new AbortTimeline(() => 5);
  timeline.see(aborted(undefined), canary(0));
  expect(timeline.aborted()).toBe(5);
  expect(timeline.routeOrder(10)).toMatch(/not both seen/);
});
