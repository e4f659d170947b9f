// One analysis that gates a Rollout (a canary step, background, pre- or post-promotion): its
// current run, created when missing or when a retry needs a fresh one, and what its phase means.
import type { AnalysisRun, RolloutAnalysisRunStatus } from '@ramp/api';
import { type AnalysisRunType, PAUSE_REASON } from '../model/names';
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
import { abortUpdate, addPause } from './pause-abort';
import type { PlanBuilder } from './plan-builder';

export type GateResult =
  | { kind: 'pending'; entry: RolloutAnalysisRunStatus }
  | { kind: 'successful'; entry: RolloutAnalysisRunStatus }
  | { kind: 'failed'; entry: RolloutAnalysisRunStatus; run: AnalysisRun; message: string }
  | { kind: 'inconclusive'; entry: RolloutAnalysisRunStatus; run: AnalysisRun }
  /** The run cannot be made: a template is missing, an arg has no value. */
  | { kind: 'invalid'; message: string };

/** The user resumed a Rollout that the controller had paused (pause conditions cleared). */
export function userResumed(b: PlanBuilder): boolean {
  const prev = b.view.previous;
  return prev.controllerPause === true && (prev.pauseConditions ?? []).length === 0;
}

/** A retry after an abort: abort cleared, abortedAt still set. */
export const retrying = (b: PlanBuilder): boolean => !b.view.previous.abort && !!b.view.previous.abortedAt;

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
  b: PlanBuilder,
  request: RunRequest,
  ctx: RunContext,
  previous: AnalysisRun | undefined,
): GateResult {
  const { snapshot } = b.view;
  const base = baseRunName(snapshot, request, ctx);
  const newest = runsFor(snapshot, request, ctx).at(-1);
  if (newest && newest !== previous) {
    const verdict = judgeRun(newest).kind;
    const madeSince = previous ? newerRun(newest, previous, base) : verdict === 'pending';
    if (verdict !== 'stopped' && madeSince) return gateOf(newest);
  }
  const name = newest ? successorRunName(newest.metadata.name ?? '', base) : undefined;
  const built = buildRun(snapshot, request, ctx, name);
  if (!built.ok) return { kind: 'invalid', message: built.error };
  b.createRun(built.value);
  return { kind: 'pending', entry: { name: built.value.metadata.name ?? '', status: 'Pending' } };
}

function gateOf(run: AnalysisRun): GateResult {
  const entry = runStatusEntry(run);
  const verdict = judgeRun(run);
  switch (verdict.kind) {
    case 'successful':
      return { kind: 'successful', entry };
    case 'failed':
      return { kind: 'failed', entry, run, message: run.status?.message ?? '' };
    case 'inconclusive':
      return verdict.message
        ? { kind: 'inconclusive', entry: { ...entry, status: 'Inconclusive', message: verdict.message }, run }
        : { kind: 'inconclusive', entry, run };
    default:
      return { kind: 'pending', entry };
  }
}

export function runGate(
  b: PlanBuilder,
  request: RunRequest,
  recorded: RolloutAnalysisRunStatus | undefined,
): GateResult {
  const ctx: RunContext = {
    hash: b.view.hash,
    revision: b.view.revision,
    ...(b.view.stableHash ? { stableHash: b.view.stableHash } : {}),
  };
  const current = recordedRun(b.view.snapshot, recorded, request, ctx);
  const pausedForIt = (b.view.previous.pauseConditions ?? []).some(
    (p) => p.reason === PAUSE_REASON.inconclusiveAnalysis,
  );
  const verdict = current ? judgeRun(current).kind : undefined;
  const rerunInconclusive = verdict === 'inconclusive' && userResumed(b) && !pausedForIt;
  if (!current || retrying(b) || rerunInconclusive || verdict === 'stopped') {
    return startRun(b, request, ctx, current);
  }
  return gateOf(current);
}

export type GateVerdict = 'successful' | 'failed' | 'waiting' | 'invalid';

/** How Argo begins the abort message of each kind of analysis (then `: <the run's message>`). */
const FAILED_ANALYSIS: Record<AnalysisRunType, string> = {
  Step: 'Step-based analysis phase error/failed',
  Background: 'Background analysis phase error/failed',
  PrePromotion: 'Blue/green pre-promotion analysis phase error/failed',
  PostPromotion: 'Blue/green post-promotion analysis phase error/failed',
};

/**
 * Runs a gate and acts on its run as every strategy does: records the run in the status (through
 * `record`), keeps it in use, aborts the update when it failed, pauses when it is inconclusive,
 * and marks the spec invalid when the run cannot be made.
 */
export function passGate(
  b: PlanBuilder,
  request: RunRequest,
  recorded: RolloutAnalysisRunStatus | undefined,
  record: (entry: RolloutAnalysisRunStatus) => void,
  inUse: Set<string>,
): GateVerdict {
  const gate = runGate(b, request, recorded);
  if (gate.kind === 'invalid') {
    b.invalid = gate.message;
    return 'invalid';
  }
  record(gate.entry);
  inUse.add(gate.entry.name);
  phaseEvent(b, request, recorded, gate.entry);
  if (gate.kind === 'successful') return 'successful';
  if (gate.kind === 'failed') {
    const what = FAILED_ANALYSIS[request.type];
    abortUpdate(b, gate.message ? `${what}: ${gate.message}` : what);
    return 'failed';
  }
  if (gate.kind === 'inconclusive') addPause(b, PAUSE_REASON.inconclusiveAnalysis);
  return 'waiting';
}

/**
 * Argo's event when a gate's run changes phase: `AnalysisRun<Phase>` (Warning for Failed and
 * Error), "<Type> Analysis Run '<name>' Status New: '<phase>' Previous: '<phase>'", for a run first
 * seen with a phase, or the same run in a new phase.
 */
function phaseEvent(
  b: PlanBuilder,
  request: RunRequest,
  recorded: RolloutAnalysisRunStatus | undefined,
  entry: RolloutAnalysisRunStatus,
): void {
  const run = b.view.snapshot.analysisRuns.find((r) => r.metadata.name === entry.name);
  if (!run?.status?.phase) return;
  if (recorded && (recorded.name !== entry.name || recorded.status === entry.status)) return;
  const type = entry.status === 'Failed' || entry.status === 'Error' ? 'Warning' : 'Normal';
  b.event(
    type,
    `AnalysisRun${entry.status}`,
    `${request.type} Analysis Run '${entry.name}' Status New: '${entry.status}' Previous: '${recorded?.status ?? 'NoPreviousStatus'}'`,
  );
}
