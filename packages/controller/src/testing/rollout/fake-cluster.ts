// A pure, in-memory stand-in for the cluster, for table tests of decideRollout: applies plans the
// way apply-plan does, and plays the ReplicaSet controller (pods available at once, except for
// images the test marks bad). No I/O, no timers: the test moves the clock.
import type { AnalysisPhase, AnalysisRun, AnalysisTemplate, Rollout } from '@ramp/api';
import type { Pod, ReplicaSet, Service } from '../../model/kube-objects';
import {
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  TERMINATED_BY_ANNOTATION,
  TERMINATED_BY_ROLLOUT,
} from '../../model/names';
import { type PlanWrite, planWrites, type RolloutPlan, routeWriteKey } from '../../model/plan';
import type { RolloutSnapshot } from '../../model/snapshot';
import { decideRollout } from '../../rollout/decide';
import { restartPending } from '../../rollout/restart';
import { FakeRouteObjects } from '../routing/fake-route-objects';

export class FakeCluster {
  rollout: Rollout;
  replicaSets: ReplicaSet[] = [];
  services = new Map<string, Service>();
  runs: AnalysisRun[] = [];
  templates = new Map<string, AnalysisTemplate>();
  now: Date;
  /** Images whose pods never become available. */
  badImages = new Set<string>();
  events: string[] = [];
  pods: Pod[] = [];
  /** Whether settlePods keeps Pod objects (restart tests need them; a fuzzed 2^31-replica Rollout cannot have them). */
  trackPods = true;
  private podSerial = 0;
  plans: RolloutPlan[] = [];
  /** The routers' objects (HTTPRoutes, Ingresses, TrafficSplits). */
  routes = new FakeRouteObjects();

  constructor(rollout: Rollout, start = new Date('2026-01-01T00:00:00Z')) {
    this.rollout = structuredClone(rollout);
    this.rollout.metadata = {
      namespace: 'default',
      uid: 'rollout-uid',
      generation: 1,
      ...this.rollout.metadata,
    };
    this.now = start;
  }

  addService(name: string): void {
    this.services.set(name, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { selector: { ...(this.rollout.spec.selector?.matchLabels ?? {}) } },
    });
  }

  addTemplate(template: AnalysisTemplate): void {
    this.templates.set(template.metadata.name ?? '', template);
  }

  snapshot(): RolloutSnapshot {
    // (?. throughout: the fuzz tests hand in Rollouts without a spec, or with a string for a strategy)
    const names = Object.values(this.rollout.spec?.strategy?.canary ?? {}).concat(
      Object.values(this.rollout.spec?.strategy?.blueGreen ?? {}),
    );
    const services = new Map<string, Service | undefined>();
    for (const n of names) if (typeof n === 'string' && n !== '') services.set(n, this.services.get(n));
    return {
      rollout: structuredClone(this.rollout),
      replicaSets: structuredClone(this.replicaSets),
      services,
      analysisRuns: structuredClone(this.runs),
      templates: this.templates,
      clusterTemplates: new Map(),
      routes: this.routes,
      ...(restartPending(this.rollout) ? { pods: structuredClone(this.pods) } : {}),
    };
  }

  /** One reconcile's decision, not applied. */
  decide(): RolloutPlan {
    return decideRollout(this.snapshot(), this.now);
  }

  /** One reconcile: decide, then apply the plan. */
  reconcile(): RolloutPlan {
    const plan = this.decide();
    this.plans.push(plan);
    this.apply(plan);
    return plan;
  }

  /**
   * A reconcile on a cache that still holds the Rollout with `staleStatus` (the watch event of the
   * last status write has not arrived): its other writes land, its status write fails with a 409,
   * as the resourceVersion guard makes it. Returns the plan.
   */
  reconcileStale(staleStatus: NonNullable<Rollout['status']>): RolloutPlan {
    const snapshot = this.snapshot();
    snapshot.rollout.status = structuredClone(staleStatus);
    const plan = decideRollout(snapshot, this.now);
    this.applyOnly(plan, (write) => write.kind !== 'status');
    return plan;
  }

  /** A plan's writes in the order apply-plan makes them. */
  writesOf(plan: RolloutPlan): PlanWrite[] {
    return planWrites(
      plan,
      (name) => this.replicaSets.find((r) => r.metadata.name === name)?.spec.replicas ?? 0,
    );
  }

  /**
   * Applies only the writes of `plan` that `keep` accepts (a controller killed mid-plan, or writes
   * that failed); the status is written only when its write is kept, the events always.
   */
  applyOnly(plan: RolloutPlan, keep: (write: PlanWrite, index: number) => boolean): void {
    const kept = this.writesOf(plan).filter(keep);
    const has = (kind: PlanWrite['kind'], name: string) =>
      kept.some((w) => w.kind === kind && w.name === name);
    const { createReplicaSet, rolloutAnnotations: _, ...rest } = plan;
    const partial: RolloutPlan = {
      ...rest,
      ...(createReplicaSet && has('createReplicaSet', createReplicaSet.metadata.name)
        ? { createReplicaSet }
        : {}),
      updateServices: plan.updateServices.filter((x) => has('service', x.name)),
      routeWrites: plan.routeWrites.filter((x) => has('route', routeWriteKey(x))),
      updateReplicaSets: plan.updateReplicaSets.filter((x) => has('replicaSet', x.name)),
      createAnalysisRuns: plan.createAnalysisRuns.filter((x) => has('createRun', x.metadata.name ?? '')),
      terminateAnalysisRuns: plan.terminateAnalysisRuns.filter((x) => has('terminateRun', x)),
      deleteReplicaSets: plan.deleteReplicaSets.filter((x) => has('deleteReplicaSet', x)),
      deleteAnalysisRuns: plan.deleteAnalysisRuns.filter((x) => has('deleteRun', x)),
      deletePods: plan.deletePods.filter((x) => has('deletePod', x)),
      ...(plan.rolloutAnnotations && has('rolloutMetadata', '')
        ? { rolloutAnnotations: plan.rolloutAnnotations }
        : {}),
      status: has('status', '') ? plan.status : structuredClone(this.rollout.status ?? {}),
    };
    this.plans.push(partial);
    this.apply(partial);
  }

  private apply(plan: RolloutPlan): void {
    if (
      plan.createReplicaSet &&
      !this.replicaSets.some((r) => r.metadata.name === plan.createReplicaSet!.metadata.name)
    ) {
      const rs = structuredClone(plan.createReplicaSet);
      rs.metadata.uid = rs.metadata.name;
      this.replicaSets.push({ ...rs, status: {} });
    }
    for (const s of plan.updateServices) {
      const svc = this.services.get(s.name)!;
      svc.spec.selector = {
        ...(svc.spec.selector ?? {}),
        [POD_TEMPLATE_HASH_LABEL]: s.podTemplateHash ?? '',
      };
      svc.metadata.annotations = {
        ...(svc.metadata.annotations ?? {}),
        [MANAGED_BY_ANNOTATION]: s.managedBy ?? '',
      };
    }
    for (const write of plan.routeWrites) this.routes.apply(write);
    for (const c of plan.updateReplicaSets) {
      const rs = this.replicaSets.find((r) => r.metadata.name === c.name)!;
      if (c.replicas !== undefined) rs.spec.replicas = c.replicas;
      for (const [k, v] of Object.entries(c.annotations ?? {})) {
        rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}) };
        if (v === null) delete rs.metadata.annotations[k];
        else rs.metadata.annotations[k] = v;
      }
    }
    for (const run of plan.createAnalysisRuns) {
      this.runs.push({
        ...structuredClone(run),
        metadata: { ...run.metadata, creationTimestamp: this.now.toISOString() },
      });
    }
    for (const name of plan.terminateAnalysisRuns) {
      const run = this.runs.find((r) => r.metadata.name === name)!;
      run.spec.terminate = true;
      run.metadata.annotations = {
        ...(run.metadata.annotations ?? {}),
        [TERMINATED_BY_ANNOTATION]: TERMINATED_BY_ROLLOUT,
      };
      run.status = { ...(run.status ?? {}), phase: 'Successful', message: 'Run Terminated' };
    }
    this.replicaSets = this.replicaSets.filter((r) => !plan.deleteReplicaSets.includes(r.metadata.name));
    this.runs = this.runs.filter((r) => !plan.deleteAnalysisRuns.includes(r.metadata.name ?? ''));
    this.pods = this.pods.filter((p) => !plan.deletePods.includes(p.metadata.name));
    if (plan.rolloutAnnotations)
      this.rollout.metadata.annotations = {
        ...(this.rollout.metadata.annotations ?? {}),
        ...plan.rolloutAnnotations,
      };
    this.rollout.status = structuredClone(plan.status);
    for (const e of plan.events) this.events.push(`${e.reason}: ${e.message}`);
  }

  /** The ReplicaSet controller and kubelets: pods exist and become available at once (bad images never). */
  settlePods(): void {
    for (const rs of this.replicaSets) {
      const want = rs.spec.replicas ?? 1;
      const image = rs.spec.template.spec?.containers[0]?.image ?? '';
      const available = this.badImages.has(image) ? 0 : want;
      rs.status = {
        replicas: want,
        readyReplicas: available,
        availableReplicas: available,
        observedGeneration: 1,
      };
      if (!this.trackPods) continue;
      const mine = this.pods.filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
      for (const extra of mine.slice(want)) this.pods = this.pods.filter((p) => p !== extra);
      for (let i = mine.length; i < want; i++) {
        this.pods.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${rs.metadata.name}-${++this.podSerial}`,
            namespace: 'default',
            creationTimestamp: this.now.toISOString(),
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: rs.metadata.name,
                uid: rs.metadata.uid ?? '',
                controller: true,
              },
            ],
          },
        });
      }
    }
  }

  /**
   * Ends (or moves) a run as the AnalysisRun controller would, after `measurements` measurements of
   * its one metric (default 1; 0 for a run that ended without measuring).
   */
  setRunPhase(name: string, phase: AnalysisPhase, message?: string, measurements = 1): void {
    const run = this.runs.find((r) => r.metadata.name === name);
    if (!run) throw new Error(`no run ${name}; runs: ${this.runs.map((r) => r.metadata.name).join(', ')}`);
    const metric = run.spec.metrics[0]?.name ?? 'metric';
    run.status = {
      ...(run.status ?? {}),
      phase,
      ...(message ? { message } : {}),
      metricResults: [{ name: metric, phase, count: measurements }],
    };
  }

  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  /** Reconciles and settles pods until a reconcile plans nothing, at most `max` times. Returns the last plan. */
  converge(max = 30, check?: () => void): RolloutPlan {
    let plan = this.reconcile();
    for (let i = 0; i < max; i++) {
      this.settlePods();
      check?.();
      plan = this.reconcile();
      if (isEmpty(plan, this)) return plan;
    }
    throw new Error(
      `no fixed point after ${max} reconciles; last plan: ${JSON.stringify(plan, null, 1).slice(0, 2000)}`,
    );
  }

  /** Pushes a new template (a new image). */
  setImage(image: string): void {
    this.rollout = structuredClone(this.rollout);
    this.rollout.spec.template!.spec!.containers[0]!.image = image;
    this.rollout.metadata.generation = (this.rollout.metadata.generation ?? 1) + 1;
  }

  patchStatus(patch: Partial<NonNullable<Rollout['status']>>): void {
    this.rollout.status = { ...(this.rollout.status ?? {}), ...patch };
  }

  rs(hash: string): ReplicaSet | undefined {
    return this.replicaSets.find((r) => r.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  }

  counts(): Record<string, number> {
    return Object.fromEntries(
      this.replicaSets.map((r) => [r.spec.template.spec?.containers[0]?.image ?? '?', r.spec.replicas ?? 0]),
    );
  }
}

/** A plan that changes nothing but (possibly) the wake-up time. */
export function isEmpty(plan: RolloutPlan, cluster: FakeCluster): boolean {
  return (
    !plan.createReplicaSet &&
    plan.updateReplicaSets.length === 0 &&
    plan.deleteReplicaSets.length === 0 &&
    plan.updateServices.length === 0 &&
    plan.routeWrites.length === 0 &&
    plan.createAnalysisRuns.length === 0 &&
    plan.terminateAnalysisRuns.length === 0 &&
    plan.deleteAnalysisRuns.length === 0 &&
    plan.deletePods.length === 0 &&
    !plan.rolloutAnnotations &&
    JSON.stringify(plan.status) === JSON.stringify(cluster.plans.at(-2)?.status ?? cluster.rollout.status)
  );
}
