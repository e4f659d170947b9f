// Argo Rollouts' own test tables for the weight-to-replicas math (utils/replicaset/canary_test.go),
// restated as our rows, plus the few inputs where we deliberately differ.

import { approximateWeightedCounts, trafficWeightToReplicas } from './index';

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
