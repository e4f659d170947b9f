// Runs an AnalysisRun to its end in this process, for the CLI gate: step, sleep until the next due
// time, step again. A deadline or an abort (Ctrl-C) terminates the run, which then completes with
// the phase so far (as spec.terminate does).
import type { AnalysisRunSpec, AnalysisRunStatus } from '@ramp/api';
import { type Clock, sleep } from '@ramp/kube';
import { type ArgResolver, type ResolvedArgs, resolveArgs } from './args';
import type { EngineProviders } from './measure';
import { isCompleted } from './phase-order';
import type { RunEvent } from './run-phase';
import { type MeasurementReport, stepRun } from './step-run';
import type { ConditionEvaluator } from './verdict';

/** Time between steps when nothing is scheduled sooner (timestamps have whole seconds). */
const MIN_SLEEP_MS = 1000;

export interface RunToCompletionOptions {
  spec: AnalysisRunSpec;
  providers: EngineProviders;
  clock: Clock;
  /** Resume from an earlier status. */
  status?: AnalysisRunStatus;
  /** Resolved once, before the first step; or resolved from spec.args with `argResolver`. */
  args?: ResolvedArgs;
  argResolver?: ArgResolver;
  evaluate?: ConditionEvaluator;
  /** Terminate the run at this time (the phase so far, as with spec.terminate). */
  deadline?: Date;
  /** Aborting terminates the run and returns the phase so far (in-flight measurements are stopped). */
  signal?: AbortSignal;
  onMeasurement?: (report: MeasurementReport) => void;
  onEvent?: (event: RunEvent) => void;
  /** Called with the status after every step. */
  onStatus?: (status: AnalysisRunStatus) => void;
}

export async function runToCompletion(options: RunToCompletionOptions): Promise<AnalysisRunStatus> {
  const { clock, signal, deadline } = options;
  let status = options.status;
  let terminate = options.spec.terminate === true;
  let args = options.args;
  if (!args) {
    try {
      args = await resolveArgs(options.spec.args, options.argResolver);
    } catch {
      args = undefined; // stepRun reports it as the run's Error
    }
  }
  for (;;) {
    const now = new Date(clock.now());
    if (signal?.aborted || (deadline && now >= deadline)) terminate = true;
    const step = await stepRun({
      spec: { ...options.spec, terminate },
      ...(status ? { status } : {}),
      now,
      providers: options.providers,
      ...(args ? { args } : { argResolver: options.argResolver ?? {} }),
      ...(options.evaluate ? { evaluate: options.evaluate } : {}),
      // Once terminating, providers get a live signal so they can stop their measurements cleanly.
      ...(signal && !terminate ? { signal } : {}),
      clock,
    });
    status = step.status;
    for (const report of step.measurements) options.onMeasurement?.(report);
    for (const event of step.events) options.onEvent?.(event);
    options.onStatus?.(status);
    if (isCompleted(status.phase)) return status;
    if (signal?.aborted) continue; // terminate on the next step, without sleeping
    let wake = step.wakeAt ?? new Date(now.getTime() + MIN_SLEEP_MS);
    if (deadline && wake > deadline) wake = deadline;
    const ms = wake.getTime() - clock.now();
    await sleep(clock, ms > 0 ? ms : MIN_SLEEP_MS, signal);
  }
}
