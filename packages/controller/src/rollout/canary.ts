// The canary strategy: steps (setWeight, pause, analysis, setCanaryScale, header and mirror routes),
// background analysis, promotion, abort and retry, decided from the context alone and returned as a
// value. Without a router the weight is a ratio of replicas (canary-scale.ts); with one, the routers
// carry it (canary-traffic.ts) and the replica sizes follow Argo's routed math (routed-scale.ts).
import { type RolloutAnalysisRunStatus, replicasOf } from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { PAUSE_REASON, POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { canaryPingPongService, trafficServices } from '../routing/ping-pong';
import { evaluateGate, type GateOutcome } from './analysis-gate';
import { atWeight, targetsForWeight } from './canary-scale';
import { type StepWalk, walkSteps } from './canary-steps';
import { decideTraffic } from './canary-traffic';
import type { DecisionContext, ReplicaSetTarget, ServiceTarget, StrategyDecision } from './decision';
import { gather } from './decision';
import { updateDone } from './lifecycle';
import { applyPauseChanges } from './pauses';
import { availableOf, hashOf, specReplicasOf } from './replica-sets';
import { markReplacedStable, rollingBackDynamically, routedAtCounts, routedTargets } from './routed-scale';
import { setWeightAt, stepsHash, stepsOf } from './steps';
import { fullyPromoted } from './view';

/**
 * Where the stable and canary Services go. A ReplicaSet this decision scales to zero serves no more:
 * its Service moves (Service writes go before scale-downs), never to be left on pods that are going
 * away. That holds for the stable and for the canary (a `setWeight: 0` step empties it).
 */
function canaryServices(
  ctx: DecisionContext,
  targets: ReplicaSetTarget[],
  aborted: boolean,
): ServiceTarget[] {
  const { view } = ctx;
  const canary = view.rollout.spec.strategy?.canary ?? {};
  const { stableHash, hash, stableRS, newRS } = view;
  const kept = (rs: ReplicaSet) =>
    (targets.find((t) => t.name === rs.metadata.name)?.replicas ?? specReplicasOf(rs)) > 0;
  const newServes = !!newRS && availableOf(newRS) > 0 && kept(newRS);
  const stableServes =
    !!stableHash &&
    (stableRS ? availableOf(stableRS) > 0 && kept(stableRS) : stableHash === hash && newServes);
  // neither serves (the stable's pods all failing, the new one scaled away): another revision that does
  const stableTarget = stableServes ? stableHash : newServes ? hash : otherServing(view.olderRSs, kept);
  // a routed canary Service stays on the pods it selects until the new revision has one available
  // (Argo's delayed switch): moving it to the stable would put the canary's share on the stable
  const back = ctx.traffic && rollingBackDynamically(ctx);
  const routedCanary = ctx.traffic ? trafficServices(view.rollout).canary : undefined;
  const held = ctx.traffic && (!newServes || back) ? heldCanary(ctx, routedCanary, kept) : undefined;
  // with dynamicStableScale an aborted canary keeps its Service until the routers carry none of its traffic
  const draining = aborted && !!canary.dynamicStableScale && (ctx.traffic?.current ?? 0) > 0;
  const canaryTarget =
    aborted && !draining ? stableTarget : back && held ? held : newServes ? hash : (held ?? stableTarget);
  const out: ServiceTarget[] = [];
  if (canary.stableService && stableTarget) out.push({ name: canary.stableService, hash: stableTarget });
  if (canary.canaryService && canaryTarget) out.push({ name: canary.canaryService, hash: canaryTarget });
  // ping-pong: the pair's canary follows the new revision until the update completes; the pair's stable
  // is never moved (it became the stable by carrying the last update's canary)
  const pingPongCanary = canaryPingPongService(view.rollout);
  if (pingPongCanary && canaryTarget && !fullyPromoted(view) && !out.some((s) => s.name === pingPongCanary))
    out.push({ name: pingPongCanary, hash: canaryTarget });
  return out;
}

/** The hash of the older revision with the most available pods this decision keeps (newest first). */
function otherServing(
  olderRSs: readonly ReplicaSet[],
  kept: (rs: ReplicaSet) => boolean,
): string | undefined {
  const serving = olderRSs.filter((rs) => availableOf(rs) > 0 && kept(rs));
  const best = serving.reduce<ReplicaSet | undefined>(
    (a, rs) => (!a || availableOf(rs) > availableOf(a) ? rs : a),
    undefined,
  );
  return best ? hashOf(best) : undefined;
}

/** The revision a routed canary Service selects now, when its pods are available and kept. */
function heldCanary(
  ctx: DecisionContext,
  name: string | undefined,
  kept: (rs: ReplicaSet) => boolean,
): string | undefined {
  const hash = name
    ? ctx.view.snapshot.services.get(name)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]
    : undefined;
  const rs = hash ? ctx.view.snapshot.replicaSets.find((r) => hashOf(r) === hash) : undefined;
  return rs && availableOf(rs) > 0 && kept(rs) ? hash : undefined;
}

/** The decision's common frame: the sizes, the Services, the routers' part, the canary's own status fields. */
function base(
  ctx: DecisionContext,
  index: number | undefined,
  weight: number,
  aborted: boolean,
): StrategyDecision {
  const { view } = ctx;
  const promotedNow = fullyPromoted(view);
  const at = { index: index ?? stepsOf(view.rollout).length, aborted, fullyPromoted: promotedNow };
  // the routers' weight first: a side is sized for the traffic it carries now and after this plan
  const routed = decideTraffic(ctx, at);
  const sized = ctx.traffic
    ? routedTargets(ctx, at.index, aborted, promotedNow, routed?.traffic.intent.weight ?? ctx.traffic.current)
    : { targets: targetsForWeight(view, weight) };
  const canary = { ...(ctx.status.canary ?? {}) };
  if (routed) canary.weights = routed.traffic.weights;
  const status = {
    ...(index !== undefined ? { currentStepIndex: index } : {}),
    currentStepHash: stepsHash(view.rollout),
    ...(ctx.status.canary || routed ? { canary } : {}),
  };
  return {
    replicaSets: sized.targets,
    services: canaryServices(ctx, sized.targets, aborted),
    runs: { inUse: [], create: [] },
    status,
    pauses: { conditions: [...(ctx.status.pauseConditions ?? [])], added: false },
    progress: { complete: false, analysing: analysing(ctx.status.canary?.currentStepAnalysisRunStatus) },
    events: routed?.events ?? [],
    ...(sized.wakeAt ? { wakeAt: sized.wakeAt } : {}),
    weight: aborted ? 0 : weight,
    ...(routed ? { traffic: routed.traffic } : {}),
  };
}

/** The template is the stable one (a first deploy, a rollback to the stable): straight to 100%. */
function promoted(ctx: DecisionContext): StrategyDecision {
  const { view } = ctx;
  const steps = stepsOf(view.rollout);
  const skip = view.newRevisionPushed && steps.length > 0;
  const decision = base(ctx, ctx.status.currentStepIndex, 100, false);
  return {
    ...decision,
    transition: { kind: 'promote', reason: view.initialDeploy ? 'Initial deploy' : 'Fast rollback' },
    events: [
      ...(skip
        ? [{ type: 'Normal' as const, reason: 'SkipSteps', message: 'Rollback to stable ReplicaSets' }]
        : []),
      ...decision.events,
    ],
    progress: {
      complete: complete(ctx),
      analysing: analysing(ctx.status.canary?.currentStepAnalysisRunStatus),
    },
  };
}

/** Aborted: the canary to 0, the steps back to the first (as Argo shows it). */
function aborted(ctx: DecisionContext): StrategyDecision {
  const steps = stepsOf(ctx.view.rollout);
  return base(ctx, steps.length > 0 ? 0 : ctx.status.currentStepIndex, 0, true);
}

/** The background analysis, once its starting step is reached (never during a full promotion). */
function background(ctx: DecisionContext, index: number): GateOutcome | undefined {
  const analysis = ctx.view.rollout.spec.strategy?.canary?.analysis;
  if (!analysis || ctx.status.promoteFull || index < (analysis.startingStep ?? 0)) return undefined;
  return evaluateGate(
    ctx,
    { type: 'Background', analysis },
    ctx.status.canary?.currentBackgroundAnalysisRunStatus,
  );
}

/** The walk over the steps; promote --full skips them all (and every pause), paused skips the walk. */
function walk(ctx: DecisionContext): StepWalk {
  const steps = stepsOf(ctx.view.rollout);
  const from = ctx.status.currentStepIndex ?? 0;
  const unchanged = {
    pauses: [...(ctx.status.pauseConditions ?? [])],
    pausesAdded: false,
    runs: { inUse: [], create: [] },
    events: [],
    ...(ctx.status.canary?.currentStepAnalysisRunStatus
      ? { entry: ctx.status.canary.currentStepAnalysisRunStatus }
      : {}),
  };
  if (ctx.status.promoteFull) return { ...unchanged, index: steps.length, pauses: [] };
  if (ctx.view.rollout.spec.paused) return { ...unchanged, index: from };
  return walkSteps(ctx, from);
}

/** An update in progress: the steps, the background analysis, the weight, the promotion. */
function progressing(ctx: DecisionContext): StrategyDecision {
  const { view } = ctx;
  const steps = stepsOf(view.rollout);
  const stepWalk = walk(ctx);
  const bg = stepWalk.abortMessage || stepWalk.invalid ? undefined : background(ctx, stepWalk.index);
  const invalid = stepWalk.invalid ?? (bg?.kind === 'invalid' ? bg.message : undefined);
  const bgRun = bg && bg.kind !== 'invalid' ? bg : undefined;
  const abortMessage = stepWalk.abortMessage ?? bgRun?.abortMessage;
  const index = abortMessage && steps.length > 0 ? 0 : stepWalk.index;
  const decision = base(ctx, index, abortMessage ? 0 : setWeightAt(steps, stepWalk.index), !!abortMessage);
  const pauses = applyPauseChanges(
    stepWalk.pauses,
    [bgRun?.kind === 'inconclusive' ? { add: PAUSE_REASON.inconclusiveAnalysis } : undefined],
    ctx.nowIso,
  );
  const canary = { ...(decision.status.canary ?? {}) };
  if (stepWalk.entry) canary.currentStepAnalysisRunStatus = stepWalk.entry;
  else delete canary.currentStepAnalysisRunStatus;
  if (bgRun) canary.currentBackgroundAnalysisRunStatus = bgRun.entry;
  const done = !abortMessage && stepWalk.index >= steps.length && promotable(ctx);
  const replaced = done ? markReplacedStable(ctx) : undefined;
  return {
    ...decision,
    replicaSets: replaced ? [...decision.replicaSets, replaced] : decision.replicaSets,
    ...gather([
      stepWalk,
      bgRun,
      { events: decision.events, ...(decision.wakeAt ? { wakeAt: decision.wakeAt } : {}) },
    ]),
    status: { ...decision.status, canary },
    pauses: { conditions: pauses.conditions, added: stepWalk.pausesAdded || pauses.added },
    progress: { complete: done && complete(ctx), analysing: analysing(canary.currentStepAnalysisRunStatus) },
    ...(done
      ? {
          transition: {
            kind: 'promote',
            reason: updateDone(ctx.status, `Completed all ${steps.length} canary steps`),
          },
        }
      : {}),
    ...(abortMessage ? { transition: { kind: 'abort', message: abortMessage } } : {}),
    ...(invalid ? { invalid } : {}),
  };
}

/** A run still measuring: the progress deadline does not count that time. */
const analysing = (entry: RolloutAnalysisRunStatus | undefined) =>
  entry?.status === 'Pending' || entry?.status === 'Running';

export function decideCanary(ctx: DecisionContext): StrategyDecision {
  if (fullyPromoted(ctx.view)) return promoted(ctx);
  if (ctx.status.abort) return aborted(ctx);
  return progressing(ctx);
}

/**
 * Argo's shouldFullPromote for a canary: the new ReplicaSet becomes the stable only once all of
 * spec.replicas of its pods are available (and the older ones are drained), never from this
 * reconcile's intermediate sizes.
 */
function promotable(ctx: DecisionContext): boolean {
  const { view } = ctx;
  const sized = ctx.traffic ? routedAtCounts(ctx, stepsOf(view.rollout).length) : atWeight(view, 100);
  return !!view.newRS && sized && availableOf(view.newRS) >= replicasOf(view.rollout.spec);
}

/**
 * The update is done: the current revision is the stable with all its pods available, and every
 * other ReplicaSet is without pods, the one that was stable until now included (so the reconcile
 * that promotes, with the old pods already gone, also completes: Argo's status.replicas ==
 * spec.replicas).
 */
function complete(ctx: DecisionContext): boolean {
  const { view } = ctx;
  const others = view.stableRS ? [...view.olderRSs, view.stableRS] : view.olderRSs;
  const olderEmpty = others.every((rs) => (rs.status?.replicas ?? 0) === 0);
  return (view.newRS?.status?.availableReplicas ?? 0) >= replicasOf(view.rollout.spec) && olderEmpty;
}
