// Argo Rollouts' own test tables for the canary replica math (utils/replicaset/canary_test.go),
// restated as our rows. The inputs and expected outputs are Argo's; where Argo reads rollout
// status (promoteFull, abort, setCanaryScale) the row feeds what our caller resolves it to.

import {
  allDesiredAvailable,
  approximateWeightedCounts,
  atDesiredCounts,
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  type IntOrString,
  nextCanaryStableCounts,
  type ReplicaSetCounts,
  replicasCountedForScaleDown,
  trafficWeightToReplicas,
} from './index';

const rs = (
  name: string,
  specReplicas: number,
  availableReplicas: number,
  currentReplicas?: number,
): ReplicaSetCounts =>
  currentReplicas === undefined
    ? { name, specReplicas, availableReplicas }
    : { name, specReplicas, availableReplicas, currentReplicas };

type Pods = [spec: number, available: number];

interface StepRow {
  name: string;
  replicas: number;
  weight: number;
  surge: IntOrString;
  unavailable: IntOrString;
  stable: Pods;
  canary: Pods;
  older?: Pods;
  trafficRouted?: boolean;
  override?: number;
  minPods?: number;
  expect: { canary: number; stable: number };
}

function inputOf(row: StepRow): CanaryScaleInput {
  return {
    specReplicas: row.replicas,
    weight: row.weight,
    maxSurge: row.surge,
    maxUnavailable: row.unavailable,
    stableRS: rs('stable', ...row.stable),
    newRS: rs('canary', ...row.canary),
    olderRSs: row.older ? [rs('older', ...row.older)] : [],
    trafficRouted: row.trafficRouted ?? false,
    ...(row.override === undefined ? {} : { canaryReplicasOverride: row.override }),
    ...(row.minPods === undefined ? {} : { minPodsPerReplicaSet: row.minPods }),
  };
}

// TestCalculateReplicaCountsForCanary: all 40 rows.
// biome-ignore format: a case per row reads as a table
const stepRows: StepRow[] = [
  { name: 'pods available above spec do not enlarge the scale-down budget',
    replicas: 10, weight: 100, surge: 3, unavailable: 0, stable: [7, 8], canary: [6, 3],
    expect: { canary: 6, stable: 7 } },
  { name: 'an integer maxSurge bounds the first canary pods',
    replicas: 10, weight: 20, surge: 2, unavailable: 0, stable: [10, 10], canary: [0, 0],
    expect: { canary: 2, stable: 10 } },
  { name: 'a percentage maxSurge bounds the first canary pods',
    replicas: 10, weight: 20, surge: '20%', unavailable: 0, stable: [10, 10], canary: [0, 0],
    expect: { canary: 2, stable: 10 } },
  { name: 'the stable gives up its extra pods once the canary pods are available',
    replicas: 10, weight: 20, surge: '20%', unavailable: 0, stable: [10, 10], canary: [2, 2],
    expect: { canary: 2, stable: 8 } },
  { name: 'canary growth stops at maxSurge',
    replicas: 10, weight: 30, surge: 2, unavailable: 0, stable: [10, 10], canary: [0, 0],
    expect: { canary: 2, stable: 10 } },
  { name: 'without surge, an integer maxUnavailable lets the stable shrink first',
    replicas: 10, weight: 20, surge: 0, unavailable: 2, stable: [10, 10], canary: [0, 0],
    expect: { canary: 0, stable: 8 } },
  { name: 'without surge, a percentage maxUnavailable lets the stable shrink first',
    replicas: 10, weight: 20, surge: 0, unavailable: '20%', stable: [10, 10], canary: [0, 0],
    expect: { canary: 0, stable: 8 } },
  { name: 'stable shrinking stops at maxUnavailable',
    replicas: 10, weight: 30, surge: 0, unavailable: 2, stable: [10, 10], canary: [0, 0],
    expect: { canary: 0, stable: 8 } },
  { name: 'surge and unavailability are used in the same reconcile',
    replicas: 10, weight: 50, surge: 2, unavailable: 1, stable: [10, 10], canary: [0, 0],
    expect: { canary: 2, stable: 9 } },
  { name: 'weight 0 takes the canary to zero',
    replicas: 10, weight: 0, surge: 1, unavailable: 1, stable: [10, 10], canary: [1, 1],
    expect: { canary: 0, stable: 10 } },
  { name: 'weight 100 takes the stable to zero',
    replicas: 10, weight: 100, surge: 1, unavailable: 1, stable: [1, 1], canary: [10, 10],
    expect: { canary: 10, stable: 0 } },
  { name: 'one replica with surge: a low weight still gets a canary pod',
    replicas: 1, weight: 20, surge: 1, unavailable: 0, stable: [1, 1], canary: [0, 0],
    expect: { canary: 1, stable: 1 } },
  { name: 'one replica with surge: a high weight still keeps a stable pod',
    replicas: 1, weight: 90, surge: 1, unavailable: 0, stable: [1, 1], canary: [0, 0],
    expect: { canary: 1, stable: 1 } },
  { name: 'one replica without surge: below 50 the canary stays at zero',
    replicas: 1, weight: 49, surge: 0, unavailable: 1, stable: [1, 1], canary: [0, 0],
    expect: { canary: 0, stable: 1 } },
  { name: 'one replica without surge: above 50 the stable pod goes first',
    replicas: 1, weight: 51, surge: 0, unavailable: 1, stable: [1, 1], canary: [0, 0],
    expect: { canary: 0, stable: 0 } },
  { name: 'one replica without surge: above 50 the canary then gets the pod',
    replicas: 1, weight: 51, surge: 0, unavailable: 1, stable: [0, 0], canary: [0, 0],
    expect: { canary: 1, stable: 0 } },
  { name: 'the stable grows back before the canary while an older RS drains',
    replicas: 10, weight: 30, surge: 1, unavailable: 0, stable: [1, 1], canary: [0, 0], older: [3, 3],
    expect: { canary: 1, stable: 7 } },
  { name: 'lower weight: canary and stable both shrink within maxUnavailable',
    replicas: 10, weight: 30, surge: 0, unavailable: 3, stable: [8, 5], canary: [4, 4],
    expect: { canary: 3, stable: 7 } },
  { name: 'an unavailable stable shrinks and the canary is trimmed to the surge ceiling',
    replicas: 10, weight: 100, surge: 1, unavailable: 0, stable: [10, 2], canary: [10, 8],
    expect: { canary: 9, stable: 2 } },
  { name: 'nothing shrinks while an older RS still has pods',
    replicas: 10, weight: 30, surge: 0, unavailable: 1, stable: [8, 6], canary: [4, 2], older: [3, 3],
    expect: { canary: 4, stable: 8 } },
  { name: 'weight 5 of 10 without surge: the stable makes room first',
    replicas: 10, weight: 5, surge: 0, unavailable: 1, stable: [10, 10], canary: [0, 0],
    expect: { canary: 0, stable: 9 } },
  { name: 'weight 5 of 10 without surge: the canary then takes the freed slot',
    replicas: 10, weight: 5, surge: 0, unavailable: 1, stable: [9, 9], canary: [0, 0],
    expect: { canary: 1, stable: 9 } },
  { name: 'maxSurge 0% and maxUnavailable 0% resolve to one unavailable pod',
    replicas: 10, weight: 10, surge: '0%', unavailable: '0%', stable: [10, 10], canary: [0, 0],
    expect: { canary: 0, stable: 9 } },
  { name: 'traffic-routed: setCanaryScale.replicas wins over the weight',
    replicas: 1, weight: 100, surge: 0, unavailable: 0, stable: [1, 1], canary: [0, 0],
    trafficRouted: true, override: 9, expect: { canary: 9, stable: 1 } },
  { name: 'traffic-routed: setCanaryScale.weight (passed as the weight) sizes the canary',
    replicas: 4, weight: 200, surge: 0, unavailable: 0, stable: [4, 4], canary: [0, 0], trafficRouted: true,
    expect: { canary: 8, stable: 4 } },
  { name: 'traffic-routed with matchTrafficWeight: no override, the setWeight sizes the canary',
    replicas: 10, weight: 20, surge: '20%', unavailable: 0, stable: [10, 10], canary: [0, 0],
    trafficRouted: true, expect: { canary: 2, stable: 10 } },
  { name: 'setCanaryScale is ignored without a traffic router',
    replicas: 10, weight: 20, surge: '20%', unavailable: 0, stable: [10, 10], canary: [0, 0], override: 9,
    expect: { canary: 2, stable: 10 } },
  { name: 'surge is honoured while the stable pods are not available',
    replicas: 4, weight: 100, surge: 1, unavailable: 0, stable: [4, 1], canary: [0, 0],
    expect: { canary: 1, stable: 4 } },
  { name: 'no surge, two unavailable: the stable shrinks to make room',
    replicas: 3, weight: 99, surge: 0, unavailable: 2, stable: [3, 3], canary: [0, 0],
    expect: { canary: 0, stable: 1 } },
  { name: 'no surge, two unavailable: the canary then fills the room',
    replicas: 3, weight: 99, surge: 0, unavailable: 2, stable: [1, 1], canary: [0, 0],
    expect: { canary: 2, stable: 1 } },
  { name: 'an unavailable stable still only loses one pod per available canary pod',
    replicas: 4, weight: 100, surge: 1, unavailable: 0, stable: [4, 1], canary: [1, 1],
    expect: { canary: 1, stable: 3 } },
  { name: 'abort: the stable surges back before the canary shrinks',
    replicas: 4, weight: 0, surge: 1, unavailable: 0, stable: [0, 0], canary: [4, 4],
    expect: { canary: 4, stable: 1 } },
  { name: 'abort: the canary waits while the surged stable pod is unavailable',
    replicas: 4, weight: 0, surge: 1, unavailable: 0, stable: [1, 0], canary: [4, 4],
    expect: { canary: 4, stable: 1 } },
  { name: 'abort: once that stable pod is available the canary loses one',
    replicas: 4, weight: 0, surge: 1, unavailable: 0, stable: [1, 1], canary: [4, 4],
    expect: { canary: 3, stable: 1 } },
  { name: 'full promotion ignores the step weight (the caller passes 100)',
    replicas: 4, weight: 100, surge: 4, unavailable: 4, stable: [4, 4], canary: [0, 0],
    expect: { canary: 4, stable: 0 } },
  { name: 'full promotion still honours maxSurge and maxUnavailable',
    replicas: 4, weight: 100, surge: 3, unavailable: 0, stable: [4, 4], canary: [0, 0],
    expect: { canary: 3, stable: 4 } },
  { name: 'abort with abortScaleDownDelaySeconds 0 keeps the setCanaryScale override',
    replicas: 1, weight: 0, surge: 0, unavailable: 0, stable: [1, 1], canary: [1, 1],
    trafficRouted: true, override: 1, expect: { canary: 1, stable: 1 } },
  { name: 'abort with a scale-down delay drops the override, weight 0 empties the canary',
    replicas: 1, weight: 0, surge: 0, unavailable: 0, stable: [1, 1], canary: [1, 1], trafficRouted: true,
    expect: { canary: 0, stable: 1 } },
  { name: 'traffic-routed: minPodsPerReplicaSet raises a small canary',
    replicas: 10, weight: 5, surge: 0, unavailable: 0, stable: [10, 10], canary: [0, 0],
    trafficRouted: true, minPods: 2, expect: { canary: 2, stable: 10 } },
  { name: 'traffic-routed: minPodsPerReplicaSet is capped at spec.replicas',
    replicas: 1, weight: 100, surge: 0, unavailable: 0, stable: [1, 1], canary: [0, 0],
    trafficRouted: true, minPods: 2, expect: { canary: 1, stable: 1 } },
];

describe('nextCanaryStableCounts (Argo TestCalculateReplicaCountsForCanary)', () => {
  it.each(stepRows)('$name', (row) => {
    expect(nextCanaryStableCounts(inputOf(row))).toEqual(row.expect);
  });

  it('has all 40 of Argo’s rows', () => {
    expect(stepRows).toHaveLength(40);
  });
});

describe('no separate stable: the new RS goes to spec.replicas', () => {
  const base = {
    specReplicas: 10,
    weight: 10,
    maxSurge: 0,
    maxUnavailable: 1,
    olderRSs: [],
    trafficRouted: false,
  };

  it('stable is the new RS, nothing available yet (Argo TestCalculateReplicaCountsForNewDeployment)', () => {
    const same = rs('stable', 10, 0);
    const input = { ...base, newRS: same, stableRS: same };
    expect(nextCanaryStableCounts(input)).toEqual({ canary: 10, stable: 0 });
    expect(desiredCanaryStableCounts(input)).toEqual({ canary: 10, stable: 0 });
  });

  it('no stable RS at all (Argo TestCalculateReplicaCountsForCanaryStableRSdEdgeCases)', () => {
    expect(nextCanaryStableCounts({ ...base, newRS: rs('stable', 9, 9) })).toEqual({ canary: 10, stable: 0 });
  });

  it('stable is the new RS, all available (Argo TestCalculateReplicaCountsForCanaryStableRSdEdgeCases)', () => {
    const same = rs('stable', 9, 9);
    expect(nextCanaryStableCounts({ ...base, newRS: same, stableRS: same })).toEqual({
      canary: 10,
      stable: 0,
    });
  });

  it('traffic-routed before the canary RS exists (Argo TestCalculateReplicaCountsForCanaryTrafficRouting)', () => {
    const input = { ...base, trafficRouted: true, stableRS: rs('stable', 10, 10) };
    expect(nextCanaryStableCounts(input)).toEqual({ canary: 1, stable: 10 });
  });
});

// TestApproximateWeightedNewStableReplicaCounts: all 57 rows (maxWeight 100 throughout).
// [replicas, weight, maxSurge, expected canary, expected stable]
type WeightRow = [replicas: number, weight: number, maxSurge: number, canary: number, stable: number];
const weightGroups: Array<[string, WeightRow[]]> = [
  [
    'no replicas: always 0/0',
    [
      [0, 0, 0, 0, 0],
      [0, 50, 0, 0, 0],
      [0, 100, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 50, 1, 0, 0],
      [0, 100, 1, 0, 0],
    ],
  ],
  [
    'one replica, no surge: all or nothing, the canary from 50',
    [
      [1, 0, 0, 0, 1],
      [1, 1, 0, 0, 1],
      [1, 49, 0, 0, 1],
      [1, 50, 0, 1, 0],
      [1, 99, 0, 1, 0],
      [1, 100, 0, 1, 0],
    ],
  ],
  [
    'one replica with surge: one pod each between 1 and 99',
    [
      [1, 0, 1, 0, 1],
      [1, 1, 1, 1, 1],
      [1, 49, 1, 1, 1],
      [1, 50, 1, 1, 1],
      [1, 99, 1, 1, 1],
      [1, 100, 1, 1, 0],
    ],
  ],
  [
    'two replicas, no surge: never an empty side between 1 and 99',
    [
      [2, 0, 0, 0, 2],
      [2, 1, 0, 1, 1],
      [2, 50, 0, 1, 1],
      [2, 99, 0, 1, 1],
      [2, 100, 0, 2, 0],
    ],
  ],
  [
    'two replicas with surge: a third pod sharpens the ratio',
    [
      [2, 0, 1, 0, 2],
      [2, 1, 1, 1, 2],
      [2, 50, 1, 1, 1],
      [2, 99, 1, 2, 1],
      [2, 100, 1, 2, 0],
    ],
  ],
  [
    'three replicas, no surge: ties go to the bigger canary',
    [
      [3, 10, 0, 1, 2],
      [3, 25, 0, 1, 2],
      [3, 33, 0, 1, 2],
      [3, 34, 0, 1, 2],
      [3, 49, 0, 1, 2],
      [3, 50, 0, 2, 1],
    ],
  ],
  [
    'three replicas with surge: four pods when closer',
    [
      [3, 10, 1, 1, 3],
      [3, 25, 1, 1, 3],
      [3, 33, 1, 1, 2],
      [3, 34, 1, 1, 2],
      [3, 49, 1, 2, 2],
      [3, 50, 1, 2, 2],
    ],
  ],
  [
    'ten replicas, mostly without surge',
    [
      [10, 0, 1, 0, 10],
      [10, 1, 0, 1, 9],
      [10, 14, 0, 1, 9],
      [10, 15, 0, 2, 8],
      [10, 16, 0, 2, 8],
      [10, 99, 0, 9, 1],
      [10, 100, 1, 10, 0],
    ],
  ],
  [
    'ten replicas with surge: eleven pods when closer',
    [
      [10, 0, 1, 0, 10],
      [10, 1, 1, 1, 10],
      [10, 18, 1, 2, 9],
      [10, 19, 1, 2, 9],
      [10, 20, 1, 2, 8],
      [10, 23, 1, 2, 8],
      [10, 24, 1, 3, 8],
      [10, 25, 1, 3, 8],
      [10, 99, 1, 10, 1],
      [10, 100, 1, 10, 0],
    ],
  ],
];

describe('approximateWeightedCounts (Argo TestApproximateWeightedNewStableReplicaCounts)', () => {
  describe.each(weightGroups)('%s', (_group, rows) => {
    it.each(
      rows.map((row) => ({
        row,
        share: row[0] === 0 ? 0 : Math.round((1000 * row[3]) / (row[3] + row[4])) / 10,
      })),
    )(
      '$row.0 replicas, weight $row.1, surge $row.2 → $row.3 canary / $row.4 stable ($share% canary)',
      ({ row: [replicas, weight, surge, canary, stable] }) => {
        expect(approximateWeightedCounts(replicas, weight, surge)).toEqual({ canary, stable });
      },
    );
  });

  it('has all 57 of Argo’s rows', () => {
    expect(weightGroups.flatMap(([, rows]) => rows)).toHaveLength(57);
  });
});

// Not Argo's rows: the inputs where Argo's approximation has no candidate left and returns
// 0 canary / spec stable. We round down instead, so both sides keep a pod.
describe('approximateWeightedCounts where we deliberately differ from Argo', () => {
  it.each([
    [2, 75, 1, 1],
    [5, 90, 4, 1],
    [10, 95, 9, 1],
  ])(
    '%i replicas at weight %i without surge → %i canary / %i stable (Argo: 0 canary)',
    (replicas, weight, canary, stable) => {
      expect(approximateWeightedCounts(replicas, weight, 0)).toEqual({ canary, stable });
    },
  );
});

describe('trafficWeightToReplicas (Argo TestTrafficWeightToReplicas)', () => {
  it.each([
    [10, 0, 100, 0],
    [10, 20, 100, 2],
    [10, 25, 100, 3],
    [10, 33, 100, 4],
    [10, 99, 100, 10],
    [10, 100, 100, 10],
    [23, 100000000, 100000000, 23],
  ])('%i replicas at weight %i of %i → %i pods, rounded up', (replicas, weight, maxWeight, pods) => {
    expect(trafficWeightToReplicas(replicas, weight, maxWeight)).toBe(pods);
  });
});

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
