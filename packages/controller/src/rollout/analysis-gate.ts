// One analysis that gates a Rollout (a canary step, background, pre- or post-promotion), as a value:
// its current run (created when missing, or when a retry or a resume needs a fresh one), what the
// run's phase means for the gate, the status entry to record, the runs to keep and to create, the
// events, and the abort message when it failed. Strategies turn the outcome into their decision.
import type { AnalysisRun, RolloutAnalysisRunStatus } from '@ramp/api';
import { type AnalysisRunType, PAUSE_REASON } from '../model/names';
import type { KubeEvent } from '../model/plan';
import {
  baseRunName,
  buildRun,
  measurementsOf,
  newerRun,
  type RunContext,
  type RunRequest,
  recordedRun,
  runStatusEntry,
  runsFor,
  stoppedByRamp,
  successorRunName,
} from './analysis-runs';
import type { DecisionContext, RunNeeds } from './decision';

export type GateOutcome =
  /** The run cannot be made: a template is missing, an arg has no value. */
  | { kind: 'invalid'; message: string }
  | {
      kind: 'successful' | 'waiting' | 'inconclusive' | 'failed';
      /** What the status records of the gate's run. */
      entry: RolloutAnalysisRunStatus;
      runs: RunNeeds;
      events: KubeEvent[];
      /** Failed: why the update is aborted, as Argo words it. */
      abortMessage?: string;
    };

/** How Argo begins the abort message of each kind of analysis (then `: <the run's message>`). */
const FAILED_ANALYSIS: Record<AnalysisRunType, string> = {
  Step: 'Step-based analysis phase error/failed',
  Background: 'Background analysis phase error/failed',
  PrePromotion: 'Blue/green pre-promotion analysis phase error/failed',
  PostPromotion: 'Blue/green post-promotion analysis phase error/failed',
};

/** What a gate makes of its run: a pass only when it measured and succeeded on its own. */
type RunVerdict =
  | { kind: 'successful' | 'pending' | 'failed' | 'inconclusive'; message?: string }
  /** Ramp stopped it ("Run Terminated"): it proves nothing and is replaced by a new run. */
  | { kind: 'stopped' };

function judgeRun(run: AnalysisRun): RunVerdict {
  const phase = run.status?.phase;
  if (phase === 'Failed' || phase === 'Error') return { kind: 'failed' };
  if (phase === 'Inconclusive') return { kind: 'inconclusive' };
  // A run Ramp stopped because the Rollout no longer needed it ends Successful ("Run Terminated");
  // if it is the gate's run after all (a stale reconcile stopped it), it is replaced, never passed.
  if (stoppedByRamp(run)) return { kind: 'stopped' };
  if (phase !== 'Successful') return { kind: 'pending' };
  if (measurementsOf(run) === 0) {
    return {
      kind: 'inconclusive',
      message: `AnalysisRun ${run.metadata.name} ended without a single measurement, so it does not pass; resume the rollout to run the analysis again`,
    };
  }
  return { kind: 'successful' };
}

/**
 * A new run for the request, replacing `previous` (a retry, a rerun after an inconclusive result, a
 * run Ramp stopped) or the first one. When the cache already holds one that another reconcile made
 * for the same purpose (its status write was lost, or this reconcile sees the Rollout as it was
 * before that write), that one is taken instead: one resume or retry makes at most one new run.
 * The new one is named after the newest run of the request (`<base>.N+1`), not after the first free
 * name, so two reconciles that replace the same run make the same one.
 */
function startRun(
  view: DecisionContext['view'],
  request: RunRequest,
  ctx: RunContext,
  previous: AnalysisRun | undefined,
): RunState {
  const { snapshot } = view;
  const base = baseRunName(snapshot, request, ctx);
  const newest = runsFor(snapshot, request, ctx).at(-1);
  if (newest && newest !== previous) {
    const verdict = judgeRun(newest).kind;
    const madeSince = previous ? newerRun(newest, previous, base) : verdict === 'pending';
    if (verdict !== 'stopped' && madeSince) return stateOf(newest);
  }
  const name = newest ? successorRunName(newest.metadata.name ?? '', base) : undefined;
  const built = buildRun(snapshot, request, ctx, name);
  if (!built.ok) return { kind: 'invalid', message: built.error };
  const entry: RolloutAnalysisRunStatus = { name: built.value.metadata.name ?? '', status: 'Pending' };
  return { kind: 'pending', entry, create: built.value };
}

/** The gate's run and what its phase means (before it becomes the gate's outcome). */
type RunState =
  | { kind: 'invalid'; message: string }
  | {
      kind: 'pending' | 'successful' | 'inconclusive';
      entry: RolloutAnalysisRunStatus;
      create?: AnalysisRun;
    }
  | { kind: 'failed'; entry: RolloutAnalysisRunStatus; message: string };

function stateOf(run: AnalysisRun): RunState {
  const entry = runStatusEntry(run);
  const verdict = judgeRun(run);
  switch (verdict.kind) {
    case 'successful':
      return { kind: 'successful', entry };
    case 'failed':
      return { kind: 'failed', entry, message: run.status?.message ?? '' };
    case 'inconclusive':
      return {
        kind: 'inconclusive',
        entry: verdict.message ? { ...entry, status: 'Inconclusive', message: verdict.message } : entry,
      };
    default:
      return { kind: 'pending', entry };
  }
}

function runState(ctx: DecisionContext, request: RunRequest, recorded: RolloutAnalysisRunStatus | undefined) {
  const { view, lifecycle } = ctx;
  const runCtx: RunContext = {
    hash: view.hash,
    revision: view.revision,
    ...(view.stableHash ? { stableHash: view.stableHash } : {}),
  };
  const current = recordedRun(view.snapshot, recorded, request, runCtx);
  const pausedForIt = (view.previous.pauseConditions ?? []).some(
    (p) => p.reason === PAUSE_REASON.inconclusiveAnalysis,
  );
  const verdict = current ? judgeRun(current).kind : undefined;
  const rerunInconclusive = verdict === 'inconclusive' && lifecycle.userResumed && !pausedForIt;
  if (!current || lifecycle.retrying || rerunInconclusive || verdict === 'stopped') {
    return startRun(view, request, runCtx, current);
  }
  return stateOf(current);
}

/**
 * Evaluates a gate as every strategy does: the run to record (and to create), kept in use; a failed
 * run aborts the update (the strategy asks for it), an inconclusive one pauses it, one that cannot
 * be made makes the spec invalid.
 */
export function evaluateGate(
  ctx: DecisionContext,
  request: RunRequest,
  recorded: RolloutAnalysisRunStatus | undefined,
): GateOutcome {
  const state = runState(ctx, request, recorded);
  if (state.kind === 'invalid') return state;
  const runs: RunNeeds = {
    inUse: [state.entry.name],
    create: 'create' in state && state.create ? [state.create] : [],
  };
  const events = phaseEvent(ctx, request, recorded, state.entry);
  if (state.kind === 'failed') {
    const what = FAILED_ANALYSIS[request.type];
    const abortMessage = state.message ? `${what}: ${state.message}` : what;
    return { kind: 'failed', entry: state.entry, runs, events, abortMessage };
  }
  const kind = state.kind === 'pending' ? 'waiting' : state.kind;
  return { kind, entry: state.entry, runs, events };
}

/**
 * Argo's event when a gate's run changes phase: `AnalysisRun<Phase>` (Warning for Failed and
 * Error), "<Type> Analysis Run '<name>' Status New: '<phase>' Previous: '<phase>'", for a run first
 * seen with a phase, or the same run in a new phase.
 */
function phaseEvent(
  ctx: DecisionContext,
  request: RunRequest,
  recorded: RolloutAnalysisRunStatus | undefined,
  entry: RolloutAnalysisRunStatus,
): KubeEvent[] {
  const run = ctx.view.snapshot.analysisRuns.find((r) => r.metadata.name === entry.name);
  if (!run?.status?.phase) return [];
  if (recorded && (recorded.name !== entry.name || recorded.status === entry.status)) return [];
  const type = entry.status === 'Failed' || entry.status === 'Error' ? 'Warning' : 'Normal';
  const message = `${request.type} Analysis Run '${entry.name}' Status New: '${entry.status}' Previous: '${recorded?.status ?? 'NoPreviousStatus'}'`;
  return [{ type, reason: `AnalysisRun${entry.status}`, message }];
}
