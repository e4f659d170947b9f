import { availabilityFinding, duplicateHashFinding, serviceFinding, stableMoveFinding } from './invariants';
import { rolloutOf, rsOf, stateOf } from './testing/states';

// replicas 4, defaults: maxUnavailable 1, so 3 available pods are the floor.
const status = { phase: 'Healthy' as const, stableRS: 'aaa', currentPodHash: 'bbb' };

describe('availability', () => {
  test('summed over the ReplicaSets, counting only ready pods each keeps', () => {
    const ok = stateOf(rolloutOf(status), [rsOf('aaa', 'app:v1', 2, 2), rsOf('bbb', 'app:v2', 1, 1)], {});
    expect(availabilityFinding(ok)).toBeUndefined();
    // 3 ready pods on the stable, but a scale-down to 1 was decided: it keeps 1.
    const scaledDown = stateOf(
      rolloutOf(status),
      [rsOf('aaa', 'app:v1', 1, 3), rsOf('bbb', 'app:v2', 1, 1)],
      {},
    );
    expect(availabilityFinding(scaledDown)?.message).toBe(
      '2 available pods, below replicas − maxUnavailable = 3',
    );
  });

  test('crash-looping pods are not ready: they never count', () => {
    const state = stateOf(
      rolloutOf(status),
      [rsOf('aaa', 'app:v1', 2, 2), rsOf('bbb', 'app:v2-bad', 2, 0)],
      {},
    );
    expect(availabilityFinding(state)?.invariant).toBe('availability');
  });
});

describe('service', () => {
  test('a Service on a ReplicaSet without available pods while another has some', () => {
    const rss = [rsOf('aaa', 'app:v1', 4, 4), rsOf('bbb', 'app:v2-bad', 1, 0)];
    expect(
      serviceFinding(stateOf(rolloutOf(status), rss, { 'app-stable': 'aaa', 'app-canary': 'aaa' })),
    ).toBeUndefined();
    expect(
      serviceFinding(stateOf(rolloutOf(status), rss, { 'app-stable': 'aaa', 'app-canary': 'bbb' }))?.message,
    ).toBe('Service app-canary selects bbb, whose ReplicaSet has no available pod, while app-aaa has 4');
  });

  test('a hash no ReplicaSet has; a Service without a hash is not looked at', () => {
    const rss = [rsOf('aaa', 'app:v1', 4, 4)];
    expect(serviceFinding(stateOf(rolloutOf(status), rss, { 'app-stable': 'zzz' }))?.message).toMatch(
      /selects zzz, which no ReplicaSet has/,
    );
    expect(serviceFinding(stateOf(rolloutOf(status), rss, { 'app-stable': undefined }))).toBeUndefined();
  });

  test('when no ReplicaSet has an available pod, there is nowhere better to point', () => {
    const rss = [rsOf('aaa', 'app:v1', 0, 0), rsOf('bbb', 'app:v2', 4, 0)];
    expect(serviceFinding(stateOf(rolloutOf(status), rss, { 'app-stable': 'aaa' }))).toBeUndefined();
  });
});

test('duplicate-hash: two ReplicaSets with one pod-template hash', () => {
  const twice = [rsOf('aaa', 'app:v1', 4, 4), { ...rsOf('aaa', 'app:v1', 0, 0), name: 'app-aaa-2' }];
  expect(duplicateHashFinding(stateOf(rolloutOf(status), twice, {}))?.message).toBe(
    'ReplicaSets app-aaa and app-aaa-2 both carry aaa',
  );
  expect(duplicateHashFinding(stateOf(rolloutOf(status), [rsOf('aaa', 'app:v1', 4, 4)], {}))).toBeUndefined();
});

describe('stable-rs', () => {
  const rss = [rsOf('aaa', 'app:v1', 1, 1), rsOf('bbb', 'app:v2', 4, 3)];
  test('a move to a ReplicaSet with fewer available pods than replicas', () => {
    const moved = stateOf(rolloutOf({ ...status, stableRS: 'bbb' }), rss, {});
    expect(stableMoveFinding('aaa', moved)?.message).toBe(
      'status.stableRS moved from aaa to bbb, whose ReplicaSet app-bbb has 3 available pods of 4',
    );
    const full = stateOf(
      rolloutOf({ ...status, stableRS: 'bbb' }),
      [rss[0]!, rsOf('bbb', 'app:v2', 4, 4)],
      {},
    );
    expect(stableMoveFinding('aaa', full)).toBeUndefined();
  });

  test('not a move: the first stableRS, the same one, or a hash without a ReplicaSet', () => {
    const moved = stateOf(rolloutOf({ ...status, stableRS: 'bbb' }), rss, {});
    expect(stableMoveFinding(undefined, moved)).toBeUndefined();
    expect(stableMoveFinding('bbb', moved)).toBeUndefined();
    expect(
      stableMoveFinding('aaa', stateOf(rolloutOf({ ...status, stableRS: 'zzz' }), rss, {})),
    ).toBeUndefined();
  });
});
