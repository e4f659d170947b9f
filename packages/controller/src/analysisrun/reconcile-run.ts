// One reconcile of an AnalysisRun: drive the analysis engine one step with the real clock and the
// providers, and decide what to write (its status) and when to look again. Finished runs only wait
// for their ttlStrategy.
import { type ArgResolver, type EngineProviders, isCompleted, type RunEvent, stepRun } from '@ramp/analysis';
import type { AnalysisRun, AnalysisRunStatus } from '@ramp/api';

export interface RunDecision {
  /** The new status, when it differs from the run's. */
  status?: AnalysisRunStatus;
  /** Delete the run (its ttlStrategy has passed). */
  delete?: boolean;
  events: RunEvent[];
  wakeAt?: Date;
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

export async function reconcileRun(
  run: AnalysisRun,
  now: Date,
  providers: EngineProviders,
  argResolver: ArgResolver,
  signal?: AbortSignal,
): Promise<RunDecision> {
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
    providers,
    argResolver,
    ...(signal ? { signal } : {}),
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
