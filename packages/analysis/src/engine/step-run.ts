// One reconcile step of an AnalysisRun, for the controller: measure what is due, judge, assess, and
// say when to look again. The only I/O is through the providers and the arg resolver it is given.
import type { AnalysisRunSpec, AnalysisRunStatus, Measurement, Metric, MetricResult } from '@ramp/api';
import { type Clock, kubeTime } from '@ramp/kube';
import { type ArgResolver, type ResolvedArgs, resolveArgs, secretValues, substituteMetric } from './args';
import { evaluateCondition } from './default-evaluator';
import {
  type EngineProviders,
  type MeasureDeps,
  resumeMeasurement,
  takeMeasurement,
  terminateMeasurement,
} from './measure';
import { runCompletedEvent, specInvalid, unableToResolveArgs } from './messages';
import { dryRunMetrics, retentionLimits } from './patterns';
import { isCompleted } from './phase-order';
import { compactResult, countMeasurement } from './record';
import { createRedactor, noRedaction, type Redactor } from './redact';
import { trimMeasurements } from './retention';
import { assessRun, type RunEvent } from './run-phase';
import { isTerminating, type MetricPlan, planRun } from './schedule';
import { specShapeProblem } from './spec-shape';
import { metricsProblem } from './validate-metrics';
import { type ConditionEvaluator, errorMessage } from './verdict';

export interface StepInput {
  spec: AnalysisRunSpec;
  status?: AnalysisRunStatus;
  /** The time of this step: what is due, and the timestamps it writes. */
  now: Date;
  providers: EngineProviders;
  /** The args' values, already resolved; when absent, spec.args are resolved with `argResolver`. */
  args?: ResolvedArgs;
  argResolver?: ArgResolver;
  /** The condition evaluator (default: the condition language). */
  evaluate?: ConditionEvaluator;
  /** Aborts the providers' I/O. */
  signal?: AbortSignal;
  /** Where measurements read their finish time (default: `now` for everything). */
  clock?: Pick<Clock, 'now'>;
}

/** One measurement taken, resumed or stopped in a step (already redacted). */
export interface MeasurementReport {
  metric: string;
  dryRun: boolean;
  measurement: Measurement;
}

export interface StepResult {
  status: AnalysisRunStatus;
  /** When to step again; undefined once the run has completed. */
  wakeAt?: Date;
  events: RunEvent[];
  measurements: MeasurementReport[];
}

const eventType = (phase: string): RunEvent['type'] =>
  phase === 'Error' || phase === 'Failed' ? 'Warning' : 'Normal';

interface Task {
  metric: Metric;
  plan: MetricPlan;
}

async function runTask(task: Task, deps: MeasureDeps): Promise<Measurement | undefined> {
  switch (task.plan.kind) {
    case 'measure':
      return takeMeasurement(task.metric, deps);
    case 'resume':
      return resumeMeasurement(task.metric, task.plan.measurement, deps);
    case 'terminate':
      return terminateMeasurement(task.metric, task.plan.measurement, deps);
    default:
      return undefined;
  }
}

/** Takes every due measurement and records it in `status` (in place). */
async function measureDue(
  metrics: readonly Metric[],
  spec: AnalysisRunSpec,
  status: AnalysisRunStatus,
  now: Date,
  deps: MeasureDeps,
  dryRun: ReadonlySet<string>,
  redactor: Redactor,
): Promise<MeasurementReport[]> {
  const plan = planRun({ ...spec, metrics: [...metrics] }, status, now);
  const tasks = metrics
    .map((metric) => ({ metric, plan: plan.plans.get(metric.name) as MetricPlan }))
    .filter((t) => t.plan.kind === 'measure' || t.plan.kind === 'resume' || t.plan.kind === 'terminate');
  const taken = await Promise.all(tasks.map((t) => runTask(t, deps)));
  status.metricResults ??= [];
  const results = status.metricResults;
  const reports: MeasurementReport[] = [];
  tasks.forEach((task, i) => {
    const raw = taken[i];
    if (!raw) return;
    const measurement = redactor.measurement(raw);
    const name = task.metric.name;
    let result = results.find((r) => r.name === name);
    if (!result) {
      result = { name, phase: 'Running', ...(dryRun.has(name) ? { dryRun: true } : {}) };
      results.push(result);
    }
    countMeasurement(result, measurement);
    result.measurements ??= [];
    const list = result.measurements;
    if (task.plan.kind === 'measure') list.push(measurement);
    else list[list.length - 1] = measurement;
    reports.push({ metric: name, dryRun: dryRun.has(name), measurement });
  });
  return reports;
}

/**
 * One step: resolves args, checks the metrics, measures what is due (in parallel), re-assesses every
 * metric and the run, trims old measurements, and returns the new status, when to step again, the
 * events to record and the measurements taken. A completed run is returned unchanged. When a metric
 * fails (fail fast) or spec.terminate is set, in-flight measurements are stopped in the same step.
 */
export async function stepRun(input: StepInput): Promise<StepResult> {
  const { spec, now } = input;
  const status: AnalysisRunStatus = structuredClone(input.status ?? {});
  if (isCompleted(status.phase)) return { status, events: [], measurements: [] };
  status.startedAt ??= kubeTime(now);
  status.metricResults ??= [];
  const events: RunEvent[] = [];
  let redactor = noRedaction;

  const complete = (phase: 'Error', message: string): StepResult => {
    status.phase = phase;
    status.message = redactor.text(message);
    status.completedAt = kubeTime(now);
    events.push({ type: 'Warning', ...runCompletedEvent(phase) });
    return { status, events, measurements: [] };
  };

  const shape = specShapeProblem(spec);
  if (shape) return complete('Error', specInvalid(shape));
  let args: ResolvedArgs;
  let metrics: Metric[];
  try {
    args = input.args ?? (await resolveArgs(spec.args, input.argResolver));
    redactor = createRedactor(secretValues(args));
    metrics = spec.metrics.map((m) => substituteMetric(m, args));
  } catch (err) {
    return complete('Error', unableToResolveArgs(errorMessage(err)));
  }
  const problem = metricsProblem(metrics);
  if (problem) return complete('Error', specInvalid(problem));
  let dryRun: Set<string>;
  let retention: Map<string, number>;
  try {
    const names = metrics.map((m) => m.name);
    dryRun = dryRunMetrics(spec.dryRun, names);
    retention = retentionLimits(spec.measurementRetention, names);
  } catch (err) {
    return complete('Error', specInvalid(errorMessage(err)));
  }

  const clock = input.clock;
  const deps: MeasureDeps = {
    providers: input.providers,
    evaluate: input.evaluate ?? evaluateCondition,
    ctx: {
      now: clock ? () => new Date(clock.now()) : () => now,
      ...(input.signal ? { signal: input.signal } : {}),
    },
  };
  const measurements: MeasurementReport[] = [];
  // A second pass runs when this one made the run end (fail fast): it stops what is still in flight.
  for (let pass = 0; pass < 2; pass++) {
    measurements.push(...(await measureDue(metrics, spec, status, now, deps, dryRun, redactor)));
    const terminating = isTerminating(spec, status);
    const assessed = assessRun(metrics, status, dryRun, terminating, spec.terminate === true);
    events.push(...assessed.events.map((e) => ({ ...e, message: redactor.text(e.message) })));
    status.runSummary = assessed.runSummary;
    status.dryRunSummary = assessed.dryRunSummary;
    if (assessed.phase !== status.phase) {
      status.phase = assessed.phase;
      status.message = redactor.text(assessed.message);
      if (isCompleted(assessed.phase)) {
        status.completedAt = kubeTime(now);
        events.push({ type: eventType(assessed.phase), ...runCompletedEvent(assessed.phase) });
      }
    }
    if (isCompleted(status.phase) || !isTerminating(spec, status)) break;
  }

  trimMeasurements(status.metricResults, retention);
  status.metricResults = status.metricResults.map((r: MetricResult) => compactResult(r));
  if (!status.message) delete status.message;
  if (isCompleted(status.phase)) return { status, events, measurements };
  const next = planRun({ ...spec, metrics }, status, now);
  const dueNow = next.due.length + next.resume.length + next.terminate.length > 0;
  return {
    status,
    events,
    measurements,
    ...(dueNow ? { wakeAt: now } : next.wakeAt ? { wakeAt: next.wakeAt } : {}),
  };
}
