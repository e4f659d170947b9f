// The texts Argo Rollouts writes into AnalysisRun status and events, word for word
// (analysis/analysis.go), so dashboards, alerts and scripts that match on them keep working.
import type { AnalysisPhase } from '@ramp/api';

/** Why a metric was assessed Failed, Inconclusive or Error: "failed (5) > failureLimit (4)". */
export const limitReason = {
  failed: (failed: number, limit: number) => `failed (${failed}) > failureLimit (${limit})`,
  inconclusive: (inconclusive: number, limit: number) =>
    `inconclusive (${inconclusive}) > inconclusiveLimit (${limit})`,
  error: (errors: number, limit: number) =>
    `consecutiveErrors (${errors}) > consecutiveErrorLimit (${limit})`,
};

/**
 * The run message taken from its worst metric:
 * `Metric "error-rate" assessed Failed due to failed (5) > failureLimit (4)`, followed by
 * `: "Error Message: <message>"` when the metric result carries a message (its last measurement's).
 */
export function metricAssessedMessage(
  metric: string,
  phase: AnalysisPhase,
  reason: string,
  resultMessage?: string,
): string {
  const base = `Metric "${metric}" assessed ${phase} due to ${reason}`;
  return resultMessage ? `${base}: "Error Message: ${resultMessage}"` : base;
}

/** The message of a dry-run metric's result when a limit decided it. */
export const dryRunMetricMessage = (phase: AnalysisPhase, reason: string) =>
  `Metric assessed ${phase} due to ${reason}`;

/** The run message after spec.terminate, unless a failing metric gives a worse one. */
export const RUN_TERMINATED = 'Run Terminated';

/** The message of an in-flight measurement stopped because the run ended. */
export const METRIC_TERMINATED = 'Metric Terminated';

export const unableToResolveArgs = (reason: string) => `Unable to resolve metric arguments: ${reason}`;
export const specInvalid = (reason: string) => `Analysis spec invalid: ${reason}`;

/** Events (reason and message), as Argo records them. */
export const runCompletedEvent = (phase: AnalysisPhase) => ({
  reason: `AnalysisRun${phase}`,
  message: `Analysis Completed. Result: ${phase}`,
});
export const metricCompletedEvent = (metric: string, phase: AnalysisPhase) => ({
  reason: `Metric${phase}`,
  message: `Metric '${metric}' Completed. Result: ${phase}`,
});
