// The one composer: a strategy's decision (decision.ts) turned into the plan. The lifecycle's
// transition is carried out, the ReplicaSets are created, sized and annotated, the Services
// pointed, the runs created and the unused ones stopped; then the plan is finished: history, a
// pending restart, the Rollout's revision, and the status' counts, conditions and phase.
import type { RolloutStatus } from '@ramp/api';
import { withoutUndefined } from '@ramp/kube';
import type { ReplicaSet } from '../model/kube-objects';
import { REVISION_ANNOTATION } from '../model/names';
import type { RolloutPlan } from '../model/plan';
import type { RouteWrite } from '../routing/router';
import { cleanUpAnalysisRuns, terminateUnusedRuns } from './analysis-history';
import type { DecisionContext, PauseOutcome, ReplicaSetTarget, StrategyDecision } from './decision';
import { finishStatus } from './finish-status';
import { abortUpdate, promoteStable, recordAbort } from './lifecycle';
import { PlanDraft } from './plan-draft';
import { buildReplicaSet, revisionOf } from './replica-sets';
import { planRestart } from './restart';
import { cleanUpHistory } from './revisions';

/** The pause conditions in the status; controllerPause when the controller added one. */
function writePauses(status: RolloutStatus, pauses: PauseOutcome): void {
  if (pauses.conditions.length === 0) {
    delete status.pauseConditions;
    delete status.controllerPause;
    return;
  }
  status.pauseConditions = pauses.conditions;
  if (pauses.added) status.controllerPause = true;
}

/** The status the decision makes: the lifecycle's start, the strategy's part, the pauses, the transition. */
function decidedStatus(ctx: DecisionContext, decision: StrategyDecision, draft: PlanDraft): void {
  const { status } = draft;
  writePauses(status, decision.pauses);
  const { view, nowIso } = ctx;
  const transition = decision.transition;
  if (transition?.kind === 'promote') draft.events(promoteStable(status, view, transition.reason));
  if (transition?.kind === 'abort') draft.events(abortUpdate(status, view, nowIso, transition.message));
  if (status.abort) draft.events(recordAbort(status, view, nowIso));
}

/** Targets merged by ReplicaSet, in the order first named: the last size asked for, every annotation. */
function mergeTargets(targets: readonly ReplicaSetTarget[]): ReplicaSetTarget[] {
  const merged = new Map<string, ReplicaSetTarget>();
  for (const t of targets) {
    const before = merged.get(t.name);
    merged.set(t.name, {
      name: t.name,
      ...(t.replicas !== undefined
        ? { replicas: t.replicas }
        : before?.replicas !== undefined
          ? { replicas: before.replicas }
          : {}),
      ...(before?.annotations || t.annotations
        ? { annotations: { ...before?.annotations, ...t.annotations } }
        : {}),
    });
  }
  return [...merged.values()];
}

/** The new ReplicaSet created at its size, or revived with the revision number it now has. */
function writeNewReplicaSet(
  ctx: DecisionContext,
  merged: readonly ReplicaSetTarget[],
  draft: PlanDraft,
): void {
  const { view } = ctx;
  if (!view.newRS) {
    const size = merged.find((t) => t.name === view.newRSName)?.replicas ?? 0;
    draft.createReplicaSet(buildReplicaSet(view.rollout, view.hash, view.revision, size));
  } else if (revisionOf(view.newRS) !== view.revision) {
    draft.annotate(view.newRS, { [REVISION_ANNOTATION]: String(view.revision) });
  }
}

/** Every target on the ReplicaSet it names (the one being created has its size already). */
function writeReplicaSets(ctx: DecisionContext, merged: readonly ReplicaSetTarget[], draft: PlanDraft): void {
  const { view } = ctx;
  const byName = new Map<string, ReplicaSet>(view.snapshot.replicaSets.map((rs) => [rs.metadata.name, rs]));
  for (const target of merged) {
    const rs = byName.get(target.name);
    if (!rs || rs.metadata.deletionTimestamp) continue;
    if (target.replicas !== undefined) draft.scale(rs, target.replicas);
    if (target.annotations) draft.annotate(rs, target.annotations);
  }
}

export function composePlan(
  ctx: DecisionContext,
  decision: StrategyDecision,
  routeWrites: readonly RouteWrite[] = [],
): RolloutPlan {
  const { view } = ctx;
  // The one deep copy of the status (a JSON copy: structuredClone costs six times as much here).
  const status: RolloutStatus = withoutUndefined({ ...ctx.status, ...decision.status });
  const draft = new PlanDraft(view, ctx.now, status);
  const targets = mergeTargets(decision.replicaSets);
  writeNewReplicaSet(ctx, targets, draft);
  draft.events(decision.events);
  decidedStatus(ctx, decision, draft);
  writeReplicaSets(ctx, targets, draft);
  for (const svc of decision.services) draft.pointService(svc.name, svc.hash);
  draft.writeRoutes(routeWrites);
  for (const run of decision.runs.create) draft.createRun(run);
  const inUse = new Set(decision.runs.inUse);
  terminateUnusedRuns(draft, inUse);
  cleanUpAnalysisRuns(draft, inUse);
  cleanUpHistory(draft, [view.newRS, view.stableRS]);
  if (!status.abort) planRestart(draft);
  draft.recordRevision();
  draft.wakeAt(decision.wakeAt);
  finishStatus(draft, decision.progress);
  return draft.plan;
}
