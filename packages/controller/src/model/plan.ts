// What one reconcile decided: the writes that move the cluster toward the Rollout's desired
// state. apply() turns a plan into the fewest API calls (none for an empty plan), with at most
// one status write.
import type { AnalysisRun, RolloutStatus } from '@ramp/api';
import type { ReplicaSet } from './kube-objects';

export interface ReplicaSetChange {
  name: string;
  /** New spec.replicas; omitted when unchanged. */
  replicas?: number;
  /** Annotations to set (string) or remove (null). */
  annotations?: Record<string, string | null>;
  /** Labels to set (string) or remove (null), on the ReplicaSet and its pod template. */
  labels?: Record<string, string | null>;
}

export interface ServiceChange {
  name: string;
  /** The pod-template hash the Service should select; null removes the hash from its selector. */
  podTemplateHash: string | null;
  /** The Rollout managing the Service (written as an annotation); null when releasing it. */
  managedBy: string | null;
}

export interface KubeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface RolloutPlan {
  /** A ReplicaSet to create (the new revision), already named, labelled and owned. */
  createReplicaSet?: ReplicaSet;
  /** ReplicaSets to scale or annotate, in order (scale-downs after scale-ups). */
  updateReplicaSets: ReplicaSetChange[];
  /** Old ReplicaSets beyond revisionHistoryLimit. */
  deleteReplicaSets: string[];
  /** Service selectors to point at a revision. Applied before ReplicaSets are scaled down. */
  updateServices: ServiceChange[];
  /** AnalysisRuns to create. */
  createAnalysisRuns: AnalysisRun[];
  /** Running AnalysisRuns to stop (spec.terminate: true). */
  terminateAnalysisRuns: string[];
  /** Finished AnalysisRuns beyond the history limits. */
  deleteAnalysisRuns: string[];
  /** Pods to delete (spec.restartAt: one old pod at a time, replaced by its ReplicaSet). */
  deletePods: string[];
  /** The whole status the Rollout should have; written only when it differs from the current one. */
  status: RolloutStatus;
  /** Events to record on the Rollout. */
  events: KubeEvent[];
  /** When to reconcile again at the latest (a pause ending, a scale-down deadline, a progress deadline). */
  wakeAt?: Date;
}

export function emptyPlan(status: RolloutStatus): RolloutPlan {
  return {
    updateReplicaSets: [],
    deleteReplicaSets: [],
    updateServices: [],
    createAnalysisRuns: [],
    terminateAnalysisRuns: [],
    deleteAnalysisRuns: [],
    deletePods: [],
    status,
    events: [],
  };
}

/** The earlier of two optional times. */
export function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
