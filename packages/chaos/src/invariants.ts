// The safety invariants, checked on every stored state of a Rollout (pure functions of a RolloutState).
// "Available pods" of a ReplicaSet are min(spec.replicas, its Ready pods not being deleted): pods that
// serve and that no decided scale-down is about to remove (see rollout-state.ts).
//
// availability   From the first state in which the Rollout is Healthy on: the available pods summed
//                over all its ReplicaSets are never below replicas − maxUnavailable (limits.ts: Argo's
//                rounding, maxUnavailable 1 when both limits resolve to 0). The script never changes
//                spec.replicas, never pauses the spec, never deletes pods, and the simulator never
//                makes a ready pod unready, so every drop is the controller's doing. Crash-looping pods
//                are never Ready, so a bad image never counts; the controller keeps enough of the old
//                pods (Argo's scale-down budget) however bad the new version. Excluded: the states
//                before the first Healthy (the first deploy starts from no pods).
// service        From the first Healthy on: no strategy Service (stable, canary, active, preview)
//                selects a hash whose ReplicaSet (of this Rollout) has no available pod — or that no
//                ReplicaSet has — while another ReplicaSet of the Rollout has available pods. A Service
//                whose selector names no hash yet is not looked at (the controller has not taken it).
// duplicate-hash Always: no two ReplicaSets controlled by the Rollout carry the same
//                rollouts-pod-template-hash label.
// stable-rs      Always: when status.stableRS changes from one non-empty value to another whose
//                ReplicaSet exists in that state, that ReplicaSet has available pods >= spec.replicas
//                in that state (the stable only ever moves to a fully available ReplicaSet). The first
//                stableRS (from empty) and a move to a hash with no ReplicaSet are not this invariant.
import { availabilityFloorOf, replicasOf } from './limits';
import { availableOf, type RolloutState, replicaSetOfHash } from './rollout-state';

export type Invariant = 'availability' | 'service' | 'duplicate-hash' | 'stable-rs';
export const INVARIANTS: readonly Invariant[] = ['availability', 'service', 'duplicate-hash', 'stable-rs'];

export interface Finding {
  invariant: Invariant;
  message: string;
}

export function availabilityFinding(state: RolloutState): Finding | undefined {
  const floor = availabilityFloorOf(state.rollout);
  const available = availableOf(state);
  if (available >= floor) return undefined;
  return {
    invariant: 'availability',
    message: `${available} available pods, below replicas − maxUnavailable = ${floor}`,
  };
}

export function serviceFinding(state: RolloutState): Finding | undefined {
  for (const svc of state.services) {
    if (!svc.hash) continue;
    const target = replicaSetOfHash(state, svc.hash);
    if ((target?.available ?? 0) > 0) continue;
    const serving = state.replicaSets.filter((rs) => rs.hash !== svc.hash && rs.available > 0);
    if (serving.length === 0) continue;
    return {
      invariant: 'service',
      message:
        `Service ${svc.name} selects ${svc.hash}, ${target ? `whose ReplicaSet has no available pod` : 'which no ReplicaSet has'}, ` +
        `while ${serving.map((rs) => `${rs.name} has ${rs.available}`).join(', ')}`,
    };
  }
  return undefined;
}

export function duplicateHashFinding(state: RolloutState): Finding | undefined {
  const seen = new Map<string, string>();
  for (const rs of state.replicaSets) {
    const other = seen.get(rs.hash);
    if (other !== undefined) {
      return {
        invariant: 'duplicate-hash',
        message: `ReplicaSets ${other} and ${rs.name} both carry ${rs.hash}`,
      };
    }
    seen.set(rs.hash, rs.name);
  }
  return undefined;
}

/** `previous`: status.stableRS in the Rollout's previous stored state. */
export function stableMoveFinding(previous: string | undefined, state: RolloutState): Finding | undefined {
  const next = state.rollout.status?.stableRS;
  if (!previous || !next || previous === next) return undefined;
  const rs = replicaSetOfHash(state, next);
  if (!rs) return undefined;
  const replicas = replicasOf(state.rollout);
  if (rs.available >= replicas) return undefined;
  return {
    invariant: 'stable-rs',
    message: `status.stableRS moved from ${previous} to ${next}, whose ReplicaSet ${rs.name} has ${rs.available} available pods of ${replicas}`,
  };
}
