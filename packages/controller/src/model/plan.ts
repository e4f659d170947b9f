// What one reconcile decided: the writes that move the cluster toward the Rollout's desired
// state. apply() turns a plan into the fewest API calls (none for an empty plan), with at most
// one status write.
import type { AnalysisRun, RolloutStatus } from '@ramp/api';
import type { RouteWrite } from '../routing/router';
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
  /** Writes to routing objects (weights, managed routes): after the Services, before the ReplicaSets. */
  routeWrites: RouteWrite[];
  /** AnalysisRuns to create. */
  createAnalysisRuns: AnalysisRun[];
  /** Running AnalysisRuns to stop (spec.terminate: true). */
  terminateAnalysisRuns: string[];
  /** Finished AnalysisRuns beyond the history limits. */
  deleteAnalysisRuns: string[];
  /** Pods to delete (spec.restartAt: one old pod at a time, replaced by its ReplicaSet). */
  deletePods: string[];
  /**
   * Annotations to set on the Rollout itself (its current revision, `rollout.argoproj.io/revision`, as
   * Argo keeps it and Argo CD shows it); written, before the status, only when they differ.
   */
  rolloutAnnotations?: Record<string, string>;
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
    routeWrites: [],
    createAnalysisRuns: [],
    terminateAnalysisRuns: [],
    deleteAnalysisRuns: [],
    deletePods: [],
    status,
    events: [],
  };
}

/**
 * The order apply-plan writes a plan's ReplicaSet changes in: scale-ups first, then changes that do
 * not scale, then scale-downs (each group in plan order). `currentReplicas` reads spec.replicas of
 * the ReplicaSet as the snapshot holds it.
 */
export function scaleOrder(
  changes: readonly ReplicaSetChange[],
  currentReplicas: (name: string) => number,
): ReplicaSetChange[] {
  const rank = (c: ReplicaSetChange) => {
    const current = currentReplicas(c.name);
    if (c.replicas === undefined || c.replicas === current) return 1;
    return c.replicas > current ? 0 : 2;
  };
  return changes
    .map((change, i) => ({ change, i, rank: rank(change) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.change);
}

/** One write of a plan, as apply-plan makes them. */
export type PlanWrite =
  | { kind: 'createReplicaSet'; name: string }
  | { kind: 'service'; name: string }
  | { kind: 'route'; name: string }
  | { kind: 'replicaSet'; name: string }
  | { kind: 'createRun'; name: string }
  | { kind: 'terminateRun'; name: string }
  | { kind: 'deleteReplicaSet'; name: string }
  | { kind: 'deleteRun'; name: string }
  | { kind: 'deletePod'; name: string }
  | { kind: 'rolloutMetadata'; name: string }
  | { kind: 'status'; name: string };

/**
 * Every write of a plan, in the order apply-plan makes them (the status last). A controller killed
 * mid-way, or a write that fails, leaves a prefix of this list applied.
 */
export function planWrites(plan: RolloutPlan, currentReplicas: (name: string) => number): PlanWrite[] {
  return [
    ...(plan.createReplicaSet
      ? [{ kind: 'createReplicaSet' as const, name: plan.createReplicaSet.metadata.name }]
      : []),
    ...plan.updateServices.map((s) => ({ kind: 'service' as const, name: s.name })),
    ...plan.routeWrites.map((w) => ({ kind: 'route' as const, name: routeWriteKey(w) })),
    ...scaleOrder(plan.updateReplicaSets, currentReplicas).map((c) => ({
      kind: 'replicaSet' as const,
      name: c.name,
    })),
    ...plan.createAnalysisRuns.map((r) => ({ kind: 'createRun' as const, name: r.metadata.name ?? '' })),
    ...plan.terminateAnalysisRuns.map((name) => ({ kind: 'terminateRun' as const, name })),
    ...plan.deleteReplicaSets.map((name) => ({ kind: 'deleteReplicaSet' as const, name })),
    ...plan.deleteAnalysisRuns.map((name) => ({ kind: 'deleteRun' as const, name })),
    ...plan.deletePods.map((name) => ({ kind: 'deletePod' as const, name })),
    ...(plan.rolloutAnnotations ? [{ kind: 'rolloutMetadata' as const, name: '' }] : []),
    { kind: 'status', name: '' },
  ];
}

/** The earlier of two optional times. */
export function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

/** `resource/namespace/name` of a route write, as planWrites names it. */
export function routeWriteKey(write: RouteWrite): string {
  const obj = write.action === 'create' ? write.object : write.current;
  return `${write.resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
