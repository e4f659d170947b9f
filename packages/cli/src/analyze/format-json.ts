// The JSON report (-o json): one object with the gate's verdict, the run's status (Argo's
// AnalysisRun status) and every measurement taken. Secret values are redacted in every string.
import type { Redactor } from '@ramp/analysis';
import { exitCodeOf } from './exit-codes';
import type { GateOutcome } from './run-gate';

/** A copy of `value` with the redactor applied to every string, keys included. */
export function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.text(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redactor.text(k), redactDeep(v, redactor)]),
    );
  }
  return value;
}

export interface JsonReportContext {
  /** `Kind/name` of the templates run, the chosen one first. */
  templates: string[];
  redactor: Redactor;
}

export function formatJson(outcome: GateOutcome, context: JsonReportContext): string {
  const report = {
    phase: outcome.phase,
    exitCode: exitCodeOf(outcome.phase),
    message: outcome.reason,
    stoppedBy: outcome.stoppedBy ?? null,
    templates: context.templates,
    startedAt: outcome.startedAt.toISOString(),
    finishedAt: outcome.finishedAt.toISOString(),
    status: outcome.status,
    measurements: outcome.measurements.map(({ metric, dryRun, measurement }) => ({
      metric,
      ...(dryRun ? { dryRun } : {}),
      ...measurement,
    })),
  };
  return `${JSON.stringify(redactDeep(report, context.redactor), null, 2)}\n`;
}
