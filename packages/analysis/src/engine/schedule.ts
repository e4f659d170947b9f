// When each metric is measured (Argo's generateMetricTasks and calculateNextReconcileTime), as pure
// functions of the run, its status and the time.
import {
  type AnalysisRunSpec,
  type AnalysisRunStatus,
  effectiveCountOf,
  type Measurement,
  type Metric,
  type MetricResult,
  parseGoDuration,
} from '@ramp/api';
import { isCompleted } from './phase-order';
import { counter } from './record';
import { parseTime } from './time';

/** After an Error measurement the next try comes this long after it, whatever the interval. */
export const ERROR_RETRY_INTERVAL_MS = 10_000;

export type MetricPlan =
  /** Nothing more to measure: completed, count reached, or the run is ending. */
  | { kind: 'done' }
  /** Take a new measurement now. */
  | { kind: 'measure' }
  /** Look again at the in-flight measurement now (its resumeAt has come). */
  | { kind: 'resume'; measurement: Measurement }
  /** Stop the in-flight measurement: the run is ending. */
  | { kind: 'terminate'; measurement: Measurement }
  /** Nothing to do before `at`. */
  | { kind: 'wait'; at: Date };

export interface ScheduleContext {
  now: Date;
  /** When the run started (status.startedAt); initialDelay counts from it. */
  startedAt: Date;
  /** spec.terminate, or a non-dry-run metric has Failed, Errored or is Inconclusive. */
  terminating: boolean;
}

function durationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parsed = parseGoDuration(text);
  return parsed.ok ? parsed.ms : undefined;
}

const lastOf = (result: MetricResult | undefined): Measurement | undefined => {
  const list = result?.measurements ?? [];
  return list[list.length - 1];
};

/**
 * What to do for one metric (its args already substituted):
 * - a completed metric: done;
 * - a measurement in flight (no finishedAt): resume it at its resumeAt (at once when it has none),
 *   or terminate it when the run is ending;
 * - the run is ending: done;
 * - never measured: measure once initialDelay has passed since the run started;
 * - count reached (Error measurements do not count): done;
 * - otherwise measure at lastMeasurement.finishedAt + interval, or + 10 s after an Error.
 */
export function planMetric(
  metric: Metric,
  result: MetricResult | undefined,
  ctx: ScheduleContext,
): MetricPlan {
  if (result && isCompleted(result.phase)) return { kind: 'done' };
  const last = lastOf(result);
  if (last && !last.finishedAt) {
    if (ctx.terminating) return { kind: 'terminate', measurement: last };
    const resumeAt = parseTime(last.resumeAt);
    if (resumeAt && resumeAt > ctx.now) return { kind: 'wait', at: resumeAt };
    return { kind: 'resume', measurement: last };
  }
  if (ctx.terminating) return { kind: 'done' };
  if (!last) {
    const delay = durationMs(metric.initialDelay) ?? 0;
    const at = new Date(ctx.startedAt.getTime() + delay);
    return at > ctx.now ? { kind: 'wait', at } : { kind: 'measure' };
  }
  const count = effectiveCountOf(metric);
  if (count !== undefined && counter(result, 'count') >= count) return { kind: 'done' };
  const interval =
    last.phase === 'Error'
      ? ERROR_RETRY_INTERVAL_MS
      : (durationMs(metric.interval) ?? ERROR_RETRY_INTERVAL_MS);
  const finishedAt = parseTime(last.finishedAt) ?? ctx.now;
  const at = new Date(finishedAt.getTime() + interval);
  return at > ctx.now ? { kind: 'wait', at } : { kind: 'measure' };
}

/** Whether the run is ending: spec.terminate, or a non-dry-run metric Failed, Errored or is Inconclusive. */
export function isTerminating(spec: AnalysisRunSpec, status: AnalysisRunStatus | undefined): boolean {
  if (spec.terminate) return true;
  return (status?.metricResults ?? []).some(
    (r) => !r.dryRun && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'),
  );
}

export interface RunPlan {
  /** Metrics to measure now. */
  due: string[];
  /** Metrics whose in-flight measurement is to be looked at again now. */
  resume: string[];
  /** Metrics whose in-flight measurement is to be stopped now (the run is ending). */
  terminate: string[];
  /** The earliest later time something becomes due; undefined when nothing will. */
  wakeAt?: Date;
  /** Per metric, in spec order. */
  plans: Map<string, MetricPlan>;
}

/**
 * Which metrics are due now, and when to look again. `spec.metrics` must have their args
 * substituted (an unparsable interval reads as none).
 */
export function planRun(spec: AnalysisRunSpec, status: AnalysisRunStatus | undefined, now: Date): RunPlan {
  const ctx: ScheduleContext = {
    now,
    startedAt: parseTime(status?.startedAt) ?? now,
    terminating: isTerminating(spec, status),
  };
  const results = new Map((status?.metricResults ?? []).map((r) => [r.name, r]));
  const plan: RunPlan = { due: [], resume: [], terminate: [], plans: new Map() };
  for (const metric of spec.metrics) {
    const p = planMetric(metric, results.get(metric.name), ctx);
    plan.plans.set(metric.name, p);
    if (p.kind === 'measure') plan.due.push(metric.name);
    else if (p.kind === 'resume') plan.resume.push(metric.name);
    else if (p.kind === 'terminate') plan.terminate.push(metric.name);
    else if (p.kind === 'wait' && (!plan.wakeAt || p.at < plan.wakeAt)) plan.wakeAt = p.at;
  }
  return plan;
}
