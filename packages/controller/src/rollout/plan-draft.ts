// The plan being written, for compose.ts and the steps that finish it (restart, history, progress,
// the status' counts and conditions): the writes, the events, the next wake-up, and the status as
// the strategy's decision made it. Strategies never see it: they return values (decision.ts).
import type { AnalysisRun, RolloutStatus } from '@ramp/api';
import { replicasOf } from '@ramp/api';
import { kubeTime } from '@ramp/kube';
import type { ReplicaSet } from '../model/kube-objects';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
} from '../model/names';
import { earliest, emptyPlan, type KubeEvent, type RolloutPlan } from '../model/plan';
import type { RouteWrite } from '../routing/router';
import { revisionOf, specReplicasOf } from './replica-sets';

import type { RolloutView } from './view';

export class PlanDraft {
  readonly plan: RolloutPlan;
  readonly nowIso: string;

  constructor(
    readonly view: RolloutView,
    readonly now: Date,
    /** The status the plan writes; the finishing steps complete their parts of it. */
    readonly status: RolloutStatus,
  ) {
    this.plan = emptyPlan(this.status);
    this.nowIso = kubeTime(now);
  }

  events(events: readonly KubeEvent[]): void {
    this.plan.events.push(...events);
  }

  event(type: KubeEvent['type'], reason: string, message: string): void {
    this.plan.events.push({ type, reason, message });
  }

  /** Asks to be woken at `at`; an invalid time (a duration beyond what a Date holds) asks for nothing. */
  wakeAt(at: Date | undefined): void {
    if (at && Number.isNaN(at.getTime())) return;
    this.plan.wakeAt = earliest(this.plan.wakeAt, at);
  }

  createReplicaSet(rs: ReplicaSet): void {
    this.plan.createReplicaSet = rs;
    this.event(
      'Normal',
      'NewReplicaSetCreated',
      `Created ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs)})`,
    );
  }

  /** Scales a ReplicaSet (existing or being created in this plan) to `replicas`, when that is a change. */
  scale(rs: ReplicaSet, replicas: number): void {
    const created = this.plan.createReplicaSet;
    if (created && created.metadata.name === rs.metadata.name) {
      created.spec.replicas = replicas;
      return;
    }
    const from = specReplicasOf(rs);
    if (from === replicas) return;
    this.change(rs.metadata.name).replicas = replicas;
    // as Argo, every scale also records the Rollout's spec.replicas of the time on the ReplicaSet
    this.annotate(rs, { [DESIRED_REPLICAS_ANNOTATION]: String(replicasOf(this.view.rollout.spec)) });
    const direction = replicas > from ? 'up' : 'down';
    this.event(
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs)}) from ${from} to ${replicas}`,
    );
  }

  annotate(rs: ReplicaSet, annotations: Record<string, string | null>): void {
    const current = rs.metadata.annotations ?? {};
    const diff = Object.fromEntries(
      Object.entries(annotations).filter(([k, v]) => (v === null ? k in current : current[k] !== v)),
    );
    if (Object.keys(diff).length === 0) return;
    const change = this.change(rs.metadata.name);
    change.annotations = { ...(change.annotations ?? {}), ...diff };
  }

  private change(name: string) {
    let change = this.plan.updateReplicaSets.find((c) => c.name === name);
    if (!change) {
      change = { name };
      this.plan.updateReplicaSets.push(change);
    }
    return change;
  }

  /** Points a Service at a revision, when it does not already select it. */
  pointService(serviceName: string | undefined, hash: string | undefined): void {
    if (!serviceName || !hash) return;
    const service = this.view.snapshot.services.get(serviceName);
    if (!service) return;
    const current = service.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    const managedBy = service.metadata.annotations?.[MANAGED_BY_ANNOTATION];
    if (current === hash && managedBy === this.view.name) return;
    if (this.plan.updateServices.some((s) => s.name === serviceName)) return;
    this.plan.updateServices.push({ name: serviceName, podTemplateHash: hash, managedBy: this.view.name });
    if (current !== hash) {
      this.event(
        'Normal',
        'SwitchService',
        `Switched selector for service '${serviceName}' from '${current ?? ''}' to '${hash}'`,
      );
    }
  }

  /** Records the current revision on the Rollout, as Argo does (with its RolloutUpdated event). */
  recordRevision(): void {
    const revision = String(this.view.revision);
    if (this.view.rollout.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    this.plan.rolloutAnnotations = {
      ...(this.plan.rolloutAnnotations ?? {}),
      [REVISION_ANNOTATION]: revision,
    };
    this.event('Normal', 'RolloutUpdated', `Rollout updated to revision ${revision}`);
  }

  /** The routers' writes, with the Events Argo records for them (the canary Ingress, the TrafficSplit). */
  writeRoutes(writes: readonly RouteWrite[]): void {
    for (const write of writes) {
      this.plan.routeWrites.push(write);
      if (write.event) this.event('Normal', write.event.reason, write.event.message);
    }
  }

  createRun(run: AnalysisRun): void {
    this.plan.createAnalysisRuns.push(run);
  }

  terminateRun(run: AnalysisRun): void {
    const name = run.metadata.name ?? '';
    if (run.spec.terminate || this.plan.terminateAnalysisRuns.includes(name)) return;
    this.plan.terminateAnalysisRuns.push(name);
  }
}
