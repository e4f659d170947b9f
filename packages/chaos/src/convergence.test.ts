import { unconverged } from './convergence';
import { finaleActions } from './script-actions';
import { rolloutOf, rsOf, stateOf } from './testing/states';

const healthy = {
  phase: 'Healthy' as const,
  observedGeneration: '1',
  stableRS: 'bbb',
  currentPodHash: 'bbb',
};
const services = { 'app-stable': 'bbb', 'app-canary': 'bbb' };

test('healthy: Healthy on the image, the stable at full size, everything else at 0, Services on it', () => {
  const done = stateOf(
    rolloutOf(healthy),
    [rsOf('aaa', 'app:v1', 0, 0), rsOf('bbb', 'app:v2', 4, 4)],
    services,
  );
  expect(unconverged(done)).toBeUndefined();
  const oldPodsLeft = stateOf(
    rolloutOf(healthy),
    [rsOf('aaa', 'app:v1', 0, 1, 1), rsOf('bbb', 'app:v2', 4, 4)],
    services,
  );
  expect(unconverged(oldPodsLeft)).toBe('healthy: app-aaa: spec 0, pods 1, not 0');
  const notObserved = stateOf(rolloutOf(healthy, { generation: 2 }), [rsOf('bbb', 'app:v2', 4, 4)], services);
  expect(unconverged(notObserved)).toBe('healthy: observedGeneration 1 ≠ generation 2');
});

test('aborted: Degraded, the bad ReplicaSet at 0, the stable (a good image) at full size, Services on it', () => {
  const aborted = {
    phase: 'Degraded' as const,
    observedGeneration: '1',
    abort: true,
    stableRS: 'aaa',
    currentPodHash: 'bbb',
  };
  const on = { 'app-stable': 'aaa', 'app-canary': 'aaa' };
  const image = { image: 'app:v2-bad' };
  const done = stateOf(
    rolloutOf(aborted, image),
    [rsOf('aaa', 'app:v1', 4, 4), rsOf('bbb', 'app:v2-bad', 0, 0)],
    on,
  );
  expect(unconverged(done)).toBeUndefined();
  const stuck = stateOf(
    rolloutOf(aborted, image),
    [rsOf('aaa', 'app:v1', 2, 2), rsOf('bbb', 'app:v2-bad', 1, 0)],
    on,
  );
  expect(unconverged(stuck)).toBe(
    'aborted: stable app-aaa: spec 2, pods 2, available 2; app-bbb: spec 1, pods 1, not 0',
  );
});

test('the finale: abort a bad image; retry an aborted good one; promote-full what its stable does not run', () => {
  const bad = stateOf(
    rolloutOf({ stableRS: 'aaa' }, { image: 'app:v2-bad' }),
    [rsOf('aaa', 'app:v1', 4, 4)],
    {},
  );
  const abortedGood = stateOf(rolloutOf({ stableRS: 'aaa', abort: true }), [rsOf('aaa', 'app:v1', 4, 4)], {});
  const done = stateOf(rolloutOf({ stableRS: 'bbb' }), [rsOf('bbb', 'app:v2', 4, 4)], {});
  expect(finaleActions([bad, abortedGood, done], 5).map((a) => a.kind)).toEqual([
    'abort',
    'retry',
    'promote-full',
  ]);
});
