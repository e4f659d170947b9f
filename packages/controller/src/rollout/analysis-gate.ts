// One analysis that gates a Rollout (a canary step, background, pre- or post-promotion): its
// current run, created when missing or when a retry needs a fresh one, and what its phase means.
import type { AnalysisRun, RolloutAnalysisRunStatus } from '@ramp/api';
import { PAUSE_REASON } from '../model/names';
import { buildRun, type RunContext, type RunRequest, recordedRun, runStatusEntry } from './analysis-runs';
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
  const rerunInconclusive = current?.status?.phase === 'Inconclusive' && userResumed(b) && !pausedForIt;
  if (!current || retrying(b) || rerunInconclusive) {
    const built = buildRun(b.view.snapshot, request, ctx);
    if (!built.ok) return { kind: 'invalid', message: built.error };
    b.createRun(built.value);
    return { kind: 'pending', entry: { name: built.value.metadata.name ?? '', status: 'Pending' } };
  }
  const entry = runStatusEntry(current);
  switch (current.status?.phase) {
    case 'Successful':
      return { kind: 'successful', entry };
    case 'Failed':
    case 'Error':
      return {
        kind: 'failed',
        entry,
        run: current,
        message: current.status?.message ?? `AnalysisRun ${entry.name} ${entry.status}`,
      };
    case 'Inconclusive':
      return { kind: 'inconclusive', entry, run: current };
    default:
      return { kind: 'pending', entry };
  }
}

export type GateVerdict = 'successful' | 'failed' | 'waiting' | 'invalid';

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
  if (gate.kind === 'successful') return 'successful';
  if (gate.kind === 'failed') {
    const what = request.type === 'Step' ? 'Step' : request.type;
    b.event(
      'Warning',
      `AnalysisRun${gate.run.status?.phase ?? 'Failed'}`,
      `${what} analysis run '${gate.entry.name}' ${gate.entry.status}`,
    );
    abortUpdate(b, gate.message);
    return 'failed';
  }
  if (gate.kind === 'inconclusive') addPause(b, PAUSE_REASON.inconclusiveAnalysis);
  return 'waiting';
}
