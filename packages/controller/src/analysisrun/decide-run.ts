// The AnalysisRun controller's decision: from the run (as the cache holds it, its finished Jobs' in-
// flight measurements due) and the time, its RunPlan: the new status or the run's deletion, the
// Events, and when to look again. Pure but for the measurements: the engine takes what is due through
// the providers and the arg resolver it is handed (stepRun), which is what an AnalysisRun step is.
// Finished runs only wait for their ttlStrategy. The writes are applyRunPlan's (apply-run-plan.ts).
import { type ArgResolver, type EngineProviders, isCompleted, type RunEvent, stepRun } from '@ramp/analysis';
import type { AnalysisRun, AnalysisRunStatus } from '@ramp/api';

export interface RunPlan {
  /** The new status, when it differs from the run's. */
  status?: AnalysisRunStatus;
  /** Delete the run (its ttlStrategy has passed); nothing else is written then. */
  delete?: boolean;
  /** Events about the run, recorded after its status is written. */
  events: RunEvent[];
  /** When to decide again: the next measurement due, or the end of the ttlStrategy. */
  wakeAt?: Date;
}

/** What a decision measures through: the providers by type (the run's Job provider among them). */
export interface RunDeps {
  providers: EngineProviders;
  /** Resolves the args' valueFrom (Secrets, fields of the run). */
  argResolver: ArgResolver;
  /** Aborts the providers' I/O. */
  signal?: AbortSignal;
}

function ttlDeadline(run: AnalysisRun): Date | undefined {
  const ttl = run.spec.ttlStrategy;
  const completedAt = run.status?.completedAt;
  if (!ttl || !completedAt) return undefined;
  const phase = run.status?.phase;
  const seconds =
    (phase === 'Successful'
      ? ttl.secondsAfterSuccess
      : phase === 'Failed' || phase === 'Error'
        ? ttl.secondsAfterFailure
        : undefined) ?? ttl.secondsAfterCompletion;
  if (seconds === undefined) return undefined;
  return new Date(new Date(completedAt).getTime() + seconds * 1000);
}

export async function decideRun(run: AnalysisRun, now: Date, deps: RunDeps): Promise<RunPlan> {
  if (isCompleted(run.status?.phase)) {
    const deadline = ttlDeadline(run);
    if (!deadline) return { events: [] };
    if (now.getTime() >= deadline.getTime()) return { delete: true, events: [] };
    return { events: [], wakeAt: deadline };
  }
  const result = await stepRun({
    spec: run.spec,
    ...(run.status ? { status: run.status } : {}),
    now,
    providers: deps.providers,
    argResolver: deps.argResolver,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const changed = JSON.stringify(result.status) !== JSON.stringify(run.status ?? {});
  let wakeAt = result.wakeAt;
  if (isCompleted(result.status.phase)) wakeAt = ttlDeadline({ ...run, status: result.status });
  return {
    ...(changed ? { status: result.status } : {}),
    events: result.events,
    ...(wakeAt ? { wakeAt } : {}),
  };
}
