// The run's phase from its metrics (Argo's assessRunStatus): each metric result is re-assessed, the
// run stays Running until every metric has completed, then takes the worst phase of the non-dry-run
// metrics. A run that is ending (spec.terminate, or a metric that Failed, Errored or is Inconclusive)
// completes at once with the worst phase so far, or Successful when nothing failed.
import type { AnalysisPhase, AnalysisRunStatus, Metric, MetricResult } from '@ramp/api';
import { assessMetric, limitBreach } from './assess';
import { dryRunMetricMessage, metricAssessedMessage, metricCompletedEvent, RUN_TERMINATED } from './messages';
import { isCompleted, isWorse } from './phase-order';

export interface RunEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

type RunSummary = NonNullable<AnalysisRunStatus['runSummary']>;
type SummaryKey = 'successful' | 'failed' | 'inconclusive' | 'error';

export interface RunAssessment {
  phase: AnalysisPhase;
  /** The run message to write when the phase changes ('' for none). */
  message: string;
  runSummary: RunSummary;
  dryRunSummary: RunSummary;
  /** Metrics that completed in this assessment. */
  events: RunEvent[];
}

const eventType = (phase: AnalysisPhase): RunEvent['type'] =>
  phase === 'Error' || phase === 'Failed' ? 'Warning' : 'Normal';

function summaryKey(phase: AnalysisPhase | undefined): SummaryKey {
  switch (phase) {
    case 'Failed':
      return 'failed';
    case 'Error':
      return 'error';
    case 'Inconclusive':
      return 'inconclusive';
    default:
      return 'successful';
  }
}

/** Counts without the zeros (Go's omitempty). */
function compactSummary(summary: Required<RunSummary>): RunSummary {
  return Object.fromEntries(Object.entries(summary).filter(([, n]) => n !== 0)) as RunSummary;
}

/**
 * Re-assesses every metric result of `status` in place (phase, and message on a phase change) and
 * returns the run's phase. `metrics` have their args substituted; `dryRun` names the dry-run metrics.
 */
export function assessRun(
  metrics: readonly Metric[],
  status: AnalysisRunStatus,
  dryRun: ReadonlySet<string>,
  terminating: boolean,
  terminateRequested: boolean,
): RunAssessment {
  let worstPhase: AnalysisPhase | undefined;
  let worstMessage = terminateRequested ? RUN_TERMINATED : '';
  let everythingCompleted = true;
  const run = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const dry = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const events: RunEvent[] = [];
  const results = status.metricResults ?? [];

  for (const metric of metrics) {
    const isDry = dryRun.has(metric.name);
    (isDry ? dry : run).count++;
    const index = results.findIndex((r) => r.name === metric.name);
    const result: MetricResult | undefined = results[index];
    if (!result) {
      everythingCompleted = false; // not measured yet (initialDelay)
      continue;
    }
    const phase = assessMetric(metric, result, terminating);
    if (phase !== result.phase) {
      if (isCompleted(phase))
        events.push({ type: eventType(phase), ...metricCompletedEvent(metric.name, phase) });
      const measurements = result.measurements ?? [];
      const last = measurements[measurements.length - 1];
      if (last) result.message = last.message ?? '';
      result.phase = phase;
    }
    if (!isCompleted(phase)) {
      everythingCompleted = false;
      continue;
    }
    const breach = limitBreach(metric, result);
    if (!isDry) {
      if (worstPhase === undefined || isWorse(worstPhase, phase)) {
        worstPhase = phase;
        if (breach) worstMessage = metricAssessedMessage(metric.name, phase, breach.reason, result.message);
      }
      run[summaryKey(breach?.phase)]++;
    } else {
      if (worstPhase === undefined) worstPhase = 'Successful';
      if (breach) result.message = dryRunMetricMessage(phase, breach.reason);
      dry[summaryKey(breach?.phase)]++;
    }
  }

  const summaries = { runSummary: compactSummary(run), dryRunSummary: compactSummary(dry) };
  worstMessage = worstMessage.trim();
  if (terminating) return { phase: worstPhase ?? 'Successful', message: worstMessage, events, ...summaries };
  if (!everythingCompleted || worstPhase === undefined)
    return { phase: 'Running', message: '', events, ...summaries };
  return { phase: worstPhase, message: worstMessage, events, ...summaries };
}
