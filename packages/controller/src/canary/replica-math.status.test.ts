// Argo Rollouts' own test tables for reading ReplicaSet status in the canary math
// (utils/replicaset/canary_test.go), restated as our rows.

import { rs } from '../testing/canary/replica-math';
import {
  allDesiredAvailable,
  atDesiredCounts,
  type ReplicaSetCounts,
  replicasCountedForScaleDown,
} from './index';

describe('atDesiredCounts (Argo TestAtDesiredReplicaCountsForCanary)', () => {
  // Argo's rollout carries a setCanaryScale but no traffic router, so the override must be ignored.
  const at = (weight: number, newRS: ReplicaSetCounts, stableRS: ReplicaSetCounts) =>
    atDesiredCounts({
      specReplicas: 4,
      weight,
      maxSurge: 1,
      maxUnavailable: 1,
      newRS,
      stableRS,
      olderRSs: [],
      trafficRouted: false,
      canaryReplicasOverride: 2,
    });

  it('both sides at their counts and available', () => {
    expect(at(50, rs('newRS', 2, 2, 2), rs('stableRS', 2, 2, 2))).toBe(true);
  });
  it('the canary is not fully available', () => {
    expect(at(50, rs('newRS', 2, 1, 2), rs('stableRS', 2, 2, 2))).toBe(false);
  });
  it('the stable is still above its count', () => {
    expect(at(75, rs('newRS', 3, 3, 3), rs('stableRS', 2, 2, 2))).toBe(false);
  });
  it('the stable is at its count but not available: still at desired', () => {
    expect(at(75, rs('newRS', 3, 3, 1), rs('stableRS', 1, 0, 1))).toBe(true);
  });
  it('the stable status still reports more pods than its spec', () => {
    expect(at(50, rs('newRS', 2, 2, 2), rs('stableRS', 2, 2, 3))).toBe(false);
  });
});

describe('replicasCountedForScaleDown (Argo TestGetReplicasForScaleDown)', () => {
  it('no ReplicaSet counts nothing', () => {
    expect(replicasCountedForScaleDown(undefined, false)).toBe(0);
  });
  it('available pods above spec are not counted', () => {
    expect(replicasCountedForScaleDown(rs('a', 3, 5), false)).toBe(3);
  });
  it('ignoring availability counts the spec', () => {
    expect(replicasCountedForScaleDown(rs('a', 3, 2), true)).toBe(3);
  });
  it('otherwise only available pods count', () => {
    expect(replicasCountedForScaleDown(rs('a', 3, 2), false)).toBe(2);
  });
});

describe('allDesiredAvailable (Argo TestAllDesiredAreAvailable)', () => {
  it('all desired pods available', () => {
    expect(allDesiredAvailable(rs('a', 10, 10), 10)).toBe(true);
  });
  it('one desired pod not available', () => {
    expect(allDesiredAvailable(rs('a', 10, 9), 10)).toBe(false);
  });
  it('no ReplicaSet', () => {
    expect(allDesiredAvailable(undefined, 10)).toBe(false);
  });
  // Argo's last two rows leave spec.replicas unset, which Kubernetes reads as 1; our caller does that.
  it('spec defaulted to 1 while 10 are desired', () => {
    expect(allDesiredAvailable(rs('a', 1, 10), 10)).toBe(false);
  });
  it('spec defaulted to 1 and 1 desired', () => {
    expect(allDesiredAvailable(rs('a', 1, 1), 1)).toBe(true);
  });
});
