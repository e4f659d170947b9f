// The inputs of the canary replica math: plain numbers read off the Rollout and its ReplicaSets.
// Everything Argo derives from rollout status (abort, promoteFull, which setCanaryScale applies)
// is resolved by the caller into `weight` and `canaryReplicasOverride` before calling in.

import type { IntOrString } from './fenceposts';

/** What the math needs to know about one ReplicaSet. */
export interface ReplicaSetCounts {
  name: string;
  /** spec.replicas (0 when absent is the caller's call; Kubernetes defaults it to 1). */
  specReplicas: number;
  /** status.availableReplicas. */
  availableReplicas: number;
  /**
   * status.replicas: pods that exist, ready or not (kubectl's CURRENT column). Only
   * {@link atDesiredCounts} reads it, for the stable side; when absent, availableReplicas stands
   * in, which can only make that check stricter.
   */
  currentReplicas?: number;
}

/** One reconcile's view of a canary Rollout. */
export interface CanaryScaleInput {
  /** rollout.spec.replicas, default 1 already applied. */
  specReplicas: number;
  /**
   * The canary weight to size for, out of {@link maxWeight}:
   *   - maxWeight when promoting fully, or when there is no stable RS / the stable is the new RS;
   *   - 0 when aborted;
   *   - setCanaryScale.weight when that applies (traffic-routed only; may exceed maxWeight);
   *   - otherwise the setWeight of the current step (maxWeight once past the last step).
   */
  weight: number;
  /** trafficRouting.maxTrafficWeight; 100 when absent. */
  maxWeight?: number;
  /** canary.maxSurge, "25%" default already applied. */
  maxSurge: IntOrString;
  /** canary.maxUnavailable, "25%" default already applied. */
  maxUnavailable: IntOrString;
  /** The ReplicaSet of the current pod template (the canary), if created yet. */
  newRS?: ReplicaSetCounts;
  /** The ReplicaSet named by status.stableRS, if it exists. May be the same RS as newRS. */
  stableRS?: ReplicaSetCounts;
  /**
   * Every other ReplicaSet of the Rollout, newest revision first (the order older RSs are
   * drained in). With a traffic router, leave out RSs still inside their scale-down delay or
   * still referenced by a service or the router: those are governed by a clock, not by this math.
   */
  olderRSs: ReplicaSetCounts[];
  /** A traffic router splits traffic, so the stable stays at full size and the canary is sized by weight. */
  trafficRouted: boolean;
  /**
   * setCanaryScale.replicas of the step in force (traffic-routed only; ignored otherwise). The
   * caller leaves it out when matchTrafficWeight is set, and when aborted unless
   * abortScaleDownDelaySeconds is 0.
   */
  canaryReplicasOverride?: number;
  /**
   * canary.minPodsPerReplicaSet (traffic-routed only): a non-zero canary count is raised to at
   * least this, capped at specReplicas.
   */
  minPodsPerReplicaSet?: number;
  /**
   * canary.dynamicStableScale (traffic-routed only): the stable is sized to its share of the traffic
   * instead of staying at full size, never below the share it carries now (`actualWeights`).
   */
  dynamicStableScale?: boolean;
  /** The weights in place now (traffic-routed, dynamicStableScale), out of maxWeight. */
  actualWeights?: { canary: number; stable: number };
  /** Aborted: with dynamicStableScale the canary keeps the pods its traffic in place needs. */
  aborted?: boolean;
}
