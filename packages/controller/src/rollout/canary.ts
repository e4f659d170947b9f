// The canary strategy without a traffic router: steps (setWeight, pause, analysis), background
// analysis, promotion, abort and retry, decided from the snapshot alone.
import type { CanaryStep, RolloutStatus } from '@ramp/api';
import { parseSecondsOrDuration, replicasOf } from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { PAUSE_REASON } from '../model/names';
import { passGate, retrying, userResumed } from './analysis-gate';
import { atWeight, scaleForWeight } from './canary-scale';
import { addPause, clearPauses, pauseStart, recordAbort, settleAbortAndPromoteFull } from './pause-abort';
import type { PlanBuilder } from './plan-builder';
import { promoteStable, updateDone } from './promotion';
import { availableOf, specReplicasOf } from './replica-sets';
import { ensureNewReplicaSet } from './revisions';
import { describeStep, setWeightAt, stepsHash, stepsOf } from './steps';
import { fullyPromoted } from './view';

type CanaryStatus = NonNullable<RolloutStatus['canary']>;

function canaryStatus(b: PlanBuilder): CanaryStatus {
  b.status.canary = b.status.canary ?? {};
  return b.status.canary;
}

/** Clears what belonged to the previous revision's (or previous attempt's) progress. */
function resetProgress(b: PlanBuilder): void {
  const canary = canaryStatus(b);
  delete canary.currentStepAnalysisRunStatus;
  delete canary.currentBackgroundAnalysisRunStatus;
  delete b.status.pauseConditions;
  delete b.status.controllerPause;
  b.status.currentStepIndex = 0;
}

type StepOutcome = 'done' | 'wait';

function pauseStep(b: PlanBuilder, step: CanaryStep): StepOutcome {
  const start = pauseStart(b, PAUSE_REASON.canaryStep);
  if (!start) {
    if (userResumed(b) && b.view.previous.currentStepIndex === b.status.currentStepIndex) return 'done';
    addPause(b, PAUSE_REASON.canaryStep);
    return stepPauseElapsed(b, step, b.now);
  }
  return stepPauseElapsed(b, step, start);
}

function stepPauseElapsed(b: PlanBuilder, step: CanaryStep, start: Date): StepOutcome {
  const duration = step.pause?.duration;
  if (duration === undefined) return 'wait';
  const parsed = parseSecondsOrDuration(duration);
  if (!parsed.ok) return 'wait';
  const end = new Date(start.getTime() + parsed.ms);
  if (b.now.getTime() >= end.getTime()) {
    b.status.pauseConditions = (b.status.pauseConditions ?? []).filter(
      (p) => p.reason !== PAUSE_REASON.canaryStep,
    );
    if (b.status.pauseConditions.length === 0) {
      delete b.status.pauseConditions;
      delete b.status.controllerPause;
    }
    return 'done';
  }
  b.wakeAt(end);
  return 'wait';
}

function analysisStep(
  b: PlanBuilder,
  step: CanaryStep,
  index: number,
  inUse: Set<string>,
): StepOutcome | 'invalid' {
  const canary = canaryStatus(b);
  const request = { type: 'Step' as const, analysis: step.analysis ?? {}, stepIndex: index };
  const verdict = passGate(
    b,
    request,
    canary.currentStepAnalysisRunStatus,
    (e) => {
      canary.currentStepAnalysisRunStatus = e;
    },
    inUse,
  );
  if (verdict === 'invalid') return 'invalid';
  return verdict === 'successful' ? 'done' : 'wait';
}

/** Walks the steps from the current one as far as they complete now. */
function walkSteps(b: PlanBuilder, newRS: ReplicaSet, inUse: Set<string>): void {
  const steps = stepsOf(b.view.rollout);
  let index = b.status.currentStepIndex ?? 0;
  while (index < steps.length && !b.status.abort && !b.invalid) {
    const step = steps[index]!;
    let outcome: StepOutcome | 'invalid';
    if (step.setWeight !== undefined) outcome = atWeight(b, step.setWeight, newRS) ? 'done' : 'wait';
    else if (step.pause) outcome = pauseStep(b, step);
    else if (step.analysis) outcome = analysisStep(b, step, index, inUse);
    else outcome = 'wait';
    if (outcome !== 'done') break;
    b.event(
      'Normal',
      'RolloutStepCompleted',
      `Rollout step ${index + 1}/${steps.length} completed (${describeStep(step)})`,
    );
    index += 1;
    b.status.currentStepIndex = index;
    delete canaryStatus(b).currentStepAnalysisRunStatus;
  }
}

function backgroundAnalysis(b: PlanBuilder, inUse: Set<string>): void {
  const analysis = b.view.rollout.spec.strategy?.canary?.analysis;
  // promote --full skips analysis, as in Argo: the run not in use is terminated, none is started
  if (!analysis || b.status.abort || b.status.promoteFull || b.invalid) return;
  if ((b.status.currentStepIndex ?? 0) < (analysis.startingStep ?? 0)) return;
  const canary = canaryStatus(b);
  passGate(
    b,
    { type: 'Background', analysis },
    canary.currentBackgroundAnalysisRunStatus,
    (e) => {
      canary.currentBackgroundAnalysisRunStatus = e;
    },
    inUse,
  );
}

function pointServices(b: PlanBuilder, newRS: ReplicaSet | undefined): void {
  const canary = b.view.rollout.spec.strategy?.canary ?? {};
  const { stableHash, hash, stableRS } = b.view;
  // A ReplicaSet this plan scales to zero serves no more: its Service moves first (writes to Services
  // go before scale-downs), never to be left on pods that are going away. That holds for the stable
  // and for the canary (a `setWeight: 0` step empties it).
  const kept = (rs: ReplicaSet) =>
    (b.plan.updateReplicaSets.find((c) => c.name === rs.metadata.name)?.replicas ?? specReplicasOf(rs)) > 0;
  const newServes = !!newRS && !b.plan.createReplicaSet && availableOf(newRS) > 0 && kept(newRS);
  const stableServes =
    !!stableHash &&
    (stableRS ? availableOf(stableRS) > 0 && kept(stableRS) : stableHash === hash && newServes);
  const stableTarget = stableServes ? stableHash : newServes ? hash : undefined;
  const canaryTarget = b.status.abort ? stableTarget : newServes ? hash : stableTarget;
  b.pointService(canary.stableService, stableTarget);
  b.pointService(canary.canaryService, canaryTarget);
}

export function decideCanary(b: PlanBuilder, inUse: Set<string>): void {
  const { view } = b;
  const steps = stepsOf(view.rollout);
  const hashOfSteps = stepsHash(view.rollout);
  if (
    view.newRevisionPushed ||
    (view.previous.currentStepHash !== undefined && view.previous.currentStepHash !== hashOfSteps)
  ) {
    resetProgress(b);
    delete b.status.abort;
    delete b.status.abortedAt;
    delete b.status.promoteFull;
  }
  b.status.currentStepHash = hashOfSteps;
  if (retrying(b)) resetProgress(b);
  settleAbortAndPromoteFull(b);

  if (fullyPromoted(view)) {
    const newRS = ensureNewReplicaSet(b, replicasOf(view.rollout.spec));
    if (view.newRevisionPushed && steps.length > 0)
      b.event('Normal', 'SkipSteps', 'Rollback to stable ReplicaSets');
    promoteStable(b, view.initialDeploy ? 'Initial deploy' : 'Fast rollback');
    scaleForWeight(b, 100, newRS);
    pointServices(b, newRS);
    return;
  }

  const newRS = ensureNewReplicaSet(b, 0);
  if (b.status.abort) {
    recordAbort(b);
    if (steps.length > 0) b.status.currentStepIndex = 0;
    scaleForWeight(b, 0, newRS);
    pointServices(b, newRS);
    return;
  }
  if (retrying(b)) delete b.status.abortedAt;

  if (b.status.promoteFull) {
    b.status.currentStepIndex = steps.length;
    clearPauses(b);
  } else if (!view.rollout.spec.paused) {
    walkSteps(b, newRS, inUse);
  }
  backgroundAnalysis(b, inUse);
  if (b.invalid) return;

  const index = b.status.currentStepIndex ?? 0;
  const weight = b.status.abort ? 0 : setWeightAt(steps, index);
  scaleForWeight(b, weight, newRS);
  if (!b.status.abort && index >= steps.length && promotable(b, newRS))
    promoteStable(b, updateDone(b, `Completed all ${steps.length} canary steps`));
  // aborted (here, by an analysis): back to the first step, as Argo shows it
  if (b.status.abort && steps.length > 0) b.status.currentStepIndex = 0;
  pointServices(b, newRS);
}

/**
 * Argo's shouldFullPromote for a canary: the new ReplicaSet becomes the stable only once all of
 * spec.replicas of its pods are available (and the older ones are drained), never from this
 * reconcile's intermediate sizes.
 */
function promotable(b: PlanBuilder, newRS: ReplicaSet): boolean {
  return atWeight(b, 100, newRS) && availableOf(newRS) >= replicasOf(b.view.rollout.spec);
}
