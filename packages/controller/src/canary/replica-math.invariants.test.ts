// Invariants of the basic-canary math, checked exhaustively (no randomness) over
// replicas 1..20 × weight 0..100 × a few surge/unavailability settings.
//
// Convergence is simulated one reconcile at a time: set the new/stable sizes from
// nextCanaryStableCounts; only when those are unchanged, apply olderReplicaSetsScaleDown (Argo
// drains older RSs only in a reconcile where canary and stable did not move). Shrinking removes
// pods at once; added pods are unavailable until the reconcile is over, when every pod becomes
// available. The availability floor is checked in between, at the worst moment.

import {
  approximateWeightedCounts,
  atDesiredCounts,
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  type IntOrString,
  nextCanaryStableCounts,
  olderReplicaSetsScaleDown,
  type ReplicaSetCounts,
  resolveMaxSurge,
  resolveMaxUnavailable,
} from './index';

const LIMITS: Array<[surge: IntOrString, unavailable: IntOrString]> = [
  [1, 0],
  [0, 1],
  ['25%', '25%'],
  [2, 2],
  ['0%', '0%'],
];
const REPLICAS = Array.from({ length: 20 }, (_, i) => i + 1);
const WEIGHTS = Array.from({ length: 101 }, (_, i) => i);

interface Limits {
  surge: number;
  unavailable: number;
}

function limitsOf(replicas: number, surge: IntOrString, unavailable: IntOrString): Limits {
  const spec = { maxSurge: surge, maxUnavailable: unavailable };
  return { surge: resolveMaxSurge(spec, replicas), unavailable: resolveMaxUnavailable(spec, replicas) };
}

const settled = (rs: ReplicaSetCounts): ReplicaSetCounts => ({
  ...rs,
  availableReplicas: rs.specReplicas,
  currentReplicas: rs.specReplicas,
});
const resized = (rs: ReplicaSetCounts, to: number): ReplicaSetCounts => ({
  ...rs,
  specReplicas: to,
  availableReplicas: Math.min(rs.availableReplicas, to),
});
const all = (input: CanaryScaleInput): ReplicaSetCounts[] => [
  ...(input.newRS ? [input.newRS] : []),
  ...(input.stableRS ? [input.stableRS] : []),
  ...input.olderRSs,
];
const sum = (rss: ReplicaSetCounts[], pick: (rs: ReplicaSetCounts) => number): number =>
  rss.reduce((total, rs) => total + pick(rs), 0);

/**
 * One reconcile: the state right after scaling, before added pods become available; undefined
 * if nothing moved.
 */
function reconcile(state: CanaryScaleInput): CanaryScaleInput | undefined {
  const { newRS, stableRS } = state;
  if (newRS === undefined || stableRS === undefined) throw new Error('simulation needs both sides');
  const next = nextCanaryStableCounts(state);
  if (next.canary !== newRS.specReplicas || next.stable !== stableRS.specReplicas) {
    return { ...state, newRS: resized(newRS, next.canary), stableRS: resized(stableRS, next.stable) };
  }
  const { resizes } = olderReplicaSetsScaleDown(state);
  if (resizes.length === 0) return undefined;
  const target = new Map(resizes.map((r) => [r.name, r.to]));
  return {
    ...state,
    olderRSs: state.olderRSs.map((rs) => resized(rs, target.get(rs.name) ?? rs.specReplicas)),
  };
}

/** Runs reconciles until nothing moves, checking the surge ceiling and availability floor on the way. */
function converge(start: CanaryScaleInput, limits: Limits): { state: CanaryScaleInput; steps: number } {
  const { specReplicas } = start;
  // The slowest case on this grid is a swap without surge: one reconcile frees a slot, the next
  // fills it, so up to 2 × replicas reconciles.
  const bound = 2 * specReplicas;
  let state = start;
  for (let steps = 0; steps <= bound; steps++) {
    const scaled = reconcile(state);
    if (scaled === undefined) return { state, steps };
    const pods = sum(all(scaled), (rs) => rs.specReplicas);
    const available = sum(all(scaled), (rs) => rs.availableReplicas);
    if (pods > specReplicas + limits.surge) throw new Error(`${describeStart(start)}: ${pods} pods`);
    if (available < specReplicas - limits.unavailable) {
      throw new Error(`${describeStart(start)}: only ${available} pods available`);
    }
    state = {
      ...scaled,
      newRS: scaled.newRS && settled(scaled.newRS),
      stableRS: scaled.stableRS && settled(scaled.stableRS),
      olderRSs: scaled.olderRSs.map(settled),
    };
  }
  throw new Error(`${describeStart(start)}: no convergence within ${bound} reconciles`);
}

const describeStart = (start: CanaryScaleInput): string =>
  `${start.specReplicas} replicas, weight ${start.weight}, older RSs ${start.olderRSs.length}, ` +
  `canary ${start.newRS?.specReplicas}, stable ${start.stableRS?.specReplicas}`;

function scenario(
  replicas: number,
  weight: number,
  surge: IntOrString,
  unavailable: IntOrString,
): CanaryScaleInput {
  return {
    specReplicas: replicas,
    weight,
    maxSurge: surge,
    maxUnavailable: unavailable,
    newRS: { name: 'canary', specReplicas: 0, availableReplicas: 0, currentReplicas: 0 },
    stableRS: {
      name: 'stable',
      specReplicas: replicas,
      availableReplicas: replicas,
      currentReplicas: replicas,
    },
    olderRSs: [],
    trafficRouted: false,
  };
}

/** Converges and checks the end state is the desired split, reached and reported as such. */
function settlesAtDesired(start: CanaryScaleInput, limits: Limits): CanaryScaleInput {
  const { state } = converge(start, limits);
  const desired = desiredCanaryStableCounts(state);
  const where = describeStart(start);
  const settledAt = `${state.newRS?.specReplicas}/${state.stableRS?.specReplicas}`;
  if (settledAt !== `${desired.canary}/${desired.stable}`) {
    throw new Error(`${where}: settled at ${settledAt}, not ${desired.canary}/${desired.stable}`);
  }
  if (sum(state.olderRSs, (rs) => rs.specReplicas) !== 0) throw new Error(`${where}: older pods left`);
  if (!atDesiredCounts(state)) throw new Error(`${where}: settled but not reported at desired counts`);
  return state;
}

describe.each(LIMITS)('maxSurge %p, maxUnavailable %p', (surge, unavailable) => {
  it('weights 1..99 give both sides a pod once two pods can run, and never exceed the surge ceiling', () => {
    for (const replicas of REPLICAS) {
      const limits = limitsOf(replicas, surge, unavailable);
      for (const weight of WEIGHTS) {
        const { canary, stable } = approximateWeightedCounts(replicas, weight, limits.surge);
        expect(canary + stable).toBeLessThanOrEqual(replicas + Math.min(limits.surge, 1));
        expect(canary + stable).toBeGreaterThanOrEqual(replicas);
        if (weight === 0) expect(canary).toBe(0);
        if (weight === 100) expect(stable).toBe(0);
        if (weight > 0 && weight < 100 && replicas + limits.surge > 1) {
          expect(Math.min(canary, stable)).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it('from a fully stable Rollout, every weight converges to its split within the limits', () => {
    for (const replicas of REPLICAS) {
      const limits = limitsOf(replicas, surge, unavailable);
      for (const weight of WEIGHTS) settlesAtDesired(scenario(replicas, weight, surge, unavailable), limits);
    }
  });

  it('from every weight, aborting (weight 0) and promoting (weight 100) converge within the limits', () => {
    for (const replicas of REPLICAS) {
      const limits = limitsOf(replicas, surge, unavailable);
      for (const weight of WEIGHTS) {
        const reached = settlesAtDesired(scenario(replicas, weight, surge, unavailable), limits);
        settlesAtDesired({ ...reached, weight: 0 }, limits);
        settlesAtDesired({ ...reached, weight: 100 }, limits);
      }
    }
  });

  it('a newer revision mid-update drains the interrupted canary and converges within the limits', () => {
    for (const replicas of REPLICAS) {
      const limits = limitsOf(replicas, surge, unavailable);
      for (const weight of WEIGHTS) {
        const reached = settlesAtDesired(scenario(replicas, weight, surge, unavailable), limits);
        const interrupted = reached.newRS;
        if (interrupted === undefined) throw new Error('canary missing');
        settlesAtDesired(
          {
            ...reached,
            newRS: { name: 'canary-2', specReplicas: 0, availableReplicas: 0, currentReplicas: 0 },
            olderRSs: [interrupted],
          },
          limits,
        );
      }
    }
  });
});
