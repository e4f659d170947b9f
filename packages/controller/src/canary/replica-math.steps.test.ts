// Argo Rollouts' own test tables for the canary replica math (utils/replicaset/canary_test.go),
// restated as our rows. The inputs and expected outputs are Argo's; where Argo reads rollout
// status (promoteFull, abort, setCanaryScale) the row feeds what our caller resolves it to.

import { rs } from '../testing/canary/replica-math';
import {
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  type IntOrString,
  nextCanaryStableCounts,
} from './index';

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
