// A canary's steps from the current one, as far as they complete now: each step kind answers
// whether it is done and what it needs (a pause started or ended, an analysis run, a wake-up), and
// the walk gathers the answers into one value.
import type { CanaryStep, PauseCondition, RolloutAnalysisRunStatus } from '@ramp/api';
import { parseSecondsOrDuration } from '@ramp/api';
import { PAUSE_REASON } from '../model/names';
import type { KubeEvent } from '../model/plan';
import { evaluateGate } from './analysis-gate';
import { atWeight } from './canary-scale';
import type { DecisionContext, RunNeeds } from './decision';
import { gather } from './decision';
import { applyPauseChanges, type PauseChange, pauseStart } from './pauses';
import { routedAtCounts } from './routed-scale';
import { describeStep, stepsOf } from './steps';

interface StepAnswer {
  done: boolean;
  pause?: PauseChange;
  wakeAt?: Date;
  runs?: RunNeeds;
  events?: KubeEvent[];
  /** An analysis step's run, recorded in the status. */
  entry?: RolloutAnalysisRunStatus;
  abortMessage?: string;
  invalid?: string;
}

/** What the walk decided: the step reached, and all the steps' answers together. */
export interface StepWalk {
  index: number;
  pauses: PauseCondition[];
  pausesAdded: boolean;
  /** The current analysis step's run (none once that step is done). */
  entry?: RolloutAnalysisRunStatus;
  runs: RunNeeds;
  events: KubeEvent[];
  wakeAt?: Date;
  abortMessage?: string;
  invalid?: string;
}

function pauseStep(ctx: DecisionContext, step: CanaryStep, pauses: readonly PauseCondition[], index: number) {
  const start = pauseStart(pauses, PAUSE_REASON.canaryStep);
  if (!start && ctx.lifecycle.userResumed && ctx.view.previous.currentStepIndex === index)
    return { done: true };
  const pause: PauseChange | undefined = start ? undefined : { add: PAUSE_REASON.canaryStep };
  const duration = step.pause?.duration;
  const parsed = duration === undefined ? undefined : parseSecondsOrDuration(duration);
  if (!parsed?.ok) return { done: false, ...(pause ? { pause } : {}) };
  const end = new Date((start ?? ctx.now).getTime() + parsed.ms);
  if (ctx.now.getTime() >= end.getTime()) return { done: true, pause: { remove: PAUSE_REASON.canaryStep } };
  return { done: false, wakeAt: end, ...(pause ? { pause } : {}) };
}

function analysisStep(
  ctx: DecisionContext,
  step: CanaryStep,
  index: number,
  recorded: RolloutAnalysisRunStatus | undefined,
): StepAnswer {
  const request = { type: 'Step' as const, analysis: step.analysis ?? {}, stepIndex: index };
  const gate = evaluateGate(ctx, request, recorded);
  if (gate.kind === 'invalid') return { done: false, invalid: gate.message };
  return {
    done: gate.kind === 'successful',
    entry: gate.entry,
    runs: gate.runs,
    events: gate.events,
    ...(gate.kind === 'inconclusive' ? { pause: { add: PAUSE_REASON.inconclusiveAnalysis } } : {}),
    ...(gate.abortMessage ? { abortMessage: gate.abortMessage } : {}),
  };
}

/**
 * A setWeight step is done once the pods for its weight are available, and, with a router, once the
 * routing objects carry the weight (read back from the caches: the write went through).
 */
function setWeightDone(ctx: DecisionContext, index: number, weight: number): boolean {
  if (!ctx.traffic) return atWeight(ctx.view, weight);
  return routedAtCounts(ctx, index) && ctx.traffic.current === weight;
}

function answerStep(
  ctx: DecisionContext,
  step: CanaryStep,
  index: number,
  pauses: readonly PauseCondition[],
  recorded: RolloutAnalysisRunStatus | undefined,
): StepAnswer {
  if (step.setWeight !== undefined) return { done: setWeightDone(ctx, index, step.setWeight) };
  if (step.pause) return pauseStep(ctx, step, pauses, index);
  if (step.analysis) return analysisStep(ctx, step, index, recorded);
  if (step.setCanaryScale) return { done: !!ctx.traffic && routedAtCounts(ctx, index) };
  // a header or mirror route is in the routers' objects from the reconcile that reaches its step
  if (step.setHeaderRoute || step.setMirrorRoute) return { done: !!ctx.traffic };
  return { done: false };
}

/** Walks the steps from `from` as far as they complete now (an abort or an invalid run stops it). */
export function walkSteps(ctx: DecisionContext, from: number): StepWalk {
  const steps = stepsOf(ctx.view.rollout);
  const answers: StepAnswer[] = [];
  let { conditions: pauses, added } = applyPauseChanges(ctx.status.pauseConditions, [], ctx.nowIso);
  let entry = ctx.status.canary?.currentStepAnalysisRunStatus;
  let index = from;
  while (index < steps.length) {
    const step = steps[index]!;
    const answer = answerStep(ctx, step, index, pauses, entry);
    answers.push(answer);
    const next = applyPauseChanges(pauses, [answer.pause], ctx.nowIso);
    pauses = next.conditions;
    added ||= next.added;
    entry = answer.entry ?? entry;
    if (!answer.done || answer.abortMessage || answer.invalid) break;
    const message = `Rollout step ${index + 1}/${steps.length} completed (${describeStep(step)})`;
    answers.push({ done: true, events: [{ type: 'Normal', reason: 'RolloutStepCompleted', message }] });
    index += 1;
    entry = undefined;
  }
  const last = answers.findLast((a) => a.abortMessage || a.invalid);
  return {
    index,
    pauses,
    pausesAdded: added,
    ...(entry ? { entry } : {}),
    ...gather(answers),
    ...(last?.abortMessage ? { abortMessage: last.abortMessage } : {}),
    ...(last?.invalid ? { invalid: last.invalid } : {}),
  };
}
