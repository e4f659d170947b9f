// Our own cases for draining older ReplicaSets: Argo tests this path only through its controller
// fixtures, so these rows follow scaleDownOldReplicaSetsForCanary's rules rather than a table.

import { type CanaryScaleInput, olderReplicaSetsScaleDown, type ReplicaSetCounts } from './index';

const rs = (name: string, specReplicas: number, availableReplicas: number): ReplicaSetCounts => ({
  name,
  specReplicas,
  availableReplicas,
});

const input = (over: Partial<CanaryScaleInput>): CanaryScaleInput => ({
  specReplicas: 10,
  weight: 30,
  maxSurge: 1,
  maxUnavailable: 0,
  olderRSs: [],
  trafficRouted: false,
  ...over,
});

describe('olderReplicaSetsScaleDown', () => {
  it('removes as many available pods as the budget allows', () => {
    const plan = olderReplicaSetsScaleDown(
      input({ maxUnavailable: 1, newRS: rs('c', 1, 1), stableRS: rs('s', 7, 7), olderRSs: [rs('o', 3, 3)] }),
    );
    expect(plan).toEqual({ budget: 2, resizes: [{ name: 'o', from: 3, to: 1 }] });
  });

  it('drops never-available pods even with no budget', () => {
    const plan = olderReplicaSetsScaleDown(
      input({ maxUnavailable: 1, newRS: rs('c', 1, 1), stableRS: rs('s', 7, 7), olderRSs: [rs('o', 3, 1)] }),
    );
    expect(plan).toEqual({ budget: 0, resizes: [{ name: 'o', from: 3, to: 1 }] });
  });

  it('drains the newest older RS first and spends the budget across RSs', () => {
    const plan = olderReplicaSetsScaleDown(
      input({ newRS: rs('c', 2, 2), stableRS: rs('s', 6, 6), olderRSs: [rs('a', 2, 2), rs('b', 3, 3)] }),
    );
    expect(plan).toEqual({
      budget: 3,
      resizes: [
        { name: 'a', from: 2, to: 0 },
        { name: 'b', from: 3, to: 2 },
      ],
    });
  });

  it('traffic-routed: an RS goes straight to zero, and the walk stops once the budget is spent', () => {
    const plan = olderReplicaSetsScaleDown(
      input({
        trafficRouted: true,
        newRS: rs('c', 0, 0),
        stableRS: rs('s', 8, 8),
        olderRSs: [rs('a', 4, 4), rs('b', 2, 2), rs('x', 1, 1)],
      }),
    );
    expect(plan).toEqual({
      budget: 5,
      resizes: [
        { name: 'a', from: 4, to: 0 },
        { name: 'b', from: 2, to: 0 },
      ],
    });
  });

  it('waits while an older RS reports more available pods than its spec', () => {
    const plan = olderReplicaSetsScaleDown(
      input({ newRS: rs('c', 3, 3), stableRS: rs('s', 7, 7), olderRSs: [rs('o', 2, 3), rs('p', 2, 1)] }),
    );
    expect(plan.resizes).toEqual([]);
  });

  it('counts the stable once when it is the new RS', () => {
    const same = rs('s', 10, 10);
    const plan = olderReplicaSetsScaleDown(
      input({ maxUnavailable: 1, newRS: same, stableRS: same, olderRSs: [rs('o', 2, 2)] }),
    );
    expect(plan).toEqual({ budget: 3, resizes: [{ name: 'o', from: 2, to: 0 }] });
  });

  it('does nothing without older pods', () => {
    expect(
      olderReplicaSetsScaleDown(input({ newRS: rs('c', 3, 3), stableRS: rs('s', 7, 7) })).resizes,
    ).toEqual([]);
  });
});
