// The text report: a line per measurement as it is taken, then the result and why. Colour only when
// asked (stdout is a terminal); every text passes the redactor (Secret args show as *****).
import type { Redactor } from '@ramp/analysis';
import {
  type AnalysisPhase,
  consecutiveErrorLimitOf,
  failureLimitOf,
  inconclusiveLimitOf,
  type Metric,
  type MetricResult,
} from '@ramp/api';
import { exitCodeOf } from './exit-codes';
import type { GateOutcome, MeasurementRecord } from './run-gate';

export interface TextStyle {
  color: boolean;
  redactor: Redactor;
}

const COLORS: Partial<Record<AnalysisPhase, string>> = {
  Successful: '32',
  Failed: '31',
  Error: '31',
  Inconclusive: '33',
};
const MAX_VALUE_CHARS = 80;

export function paint(phase: AnalysisPhase | string, style: TextStyle): string {
  const code = COLORS[phase as AnalysisPhase];
  return style.color && code ? `\u001b[${code}m${phase}\u001b[0m` : phase;
}

/** HH:MM:SS (UTC) of a Kubernetes timestamp. */
export const clockTime = (timestamp: string | undefined): string =>
  timestamp?.match(/T(\d\d:\d\d:\d\d)/)?.[1] ?? '--:--:--';

const shorten = (text: string) =>
  text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;

/** `failed 2/4  errors 0/4  inconclusive 0/0`: counts so far against the metric's limits. */
export function countsText(metric: Metric | undefined, result: MeasurementRecord['counts']): string {
  const failureLimit = metric ? failureLimitOf(metric) : 0;
  const failed = `failed ${result?.failed ?? 0}/${failureLimit < 0 ? 'no limit' : failureLimit}`;
  const errors = `errors ${result?.consecutiveError ?? 0}/${metric ? consecutiveErrorLimitOf(metric) : 4}`;
  const inconclusive = `inconclusive ${result?.inconclusive ?? 0}/${metric ? inconclusiveLimitOf(metric) : 0}`;
  return `${failed}  ${errors}  ${inconclusive}`;
}

/** One line per measurement: time, metric, value, verdict, counts vs limits, message. */
export function measurementLines(
  records: readonly MeasurementRecord[],
  metrics: readonly Metric[],
  style: TextStyle,
): string {
  return records
    .map(({ metric, dryRun, measurement: m, counts }) => {
      const parts = [
        clockTime(m.finishedAt ?? m.startedAt),
        `${metric}${dryRun ? ' (dry-run)' : ''}`,
        ...(m.value !== undefined ? [`value ${shorten(m.value)}`] : []),
        paint(m.phase, style),
        countsText(
          metrics.find((x) => x.name === metric),
          counts,
        ),
        ...(m.message ? [`(${m.message})`] : []),
      ];
      return `${style.redactor.text(parts.join('  '))}\n`;
    })
    .join('');
}

export function headerText(label: string, metrics: readonly Metric[], stopAfter: string | undefined): string {
  const names = metrics.map((m) => m.name).join(', ');
  const stop = stopAfter ? `; stopping after --duration ${stopAfter}` : '';
  return `Running ${label}: ${metrics.length} metric${metrics.length === 1 ? '' : 's'} (${names})${stop}; times are UTC\n`;
}

function metricSummary(result: MetricResult, style: TextStyle): string {
  const n = (x: number | undefined) => x ?? 0;
  const total = n(result.successful) + n(result.failed) + n(result.inconclusive) + n(result.error);
  return `  ${result.name}${result.dryRun ? ' (dry-run)' : ''}: ${paint(result.phase, style)}, ${total} measurement${total === 1 ? '' : 's'}: ${n(result.successful)} successful, ${n(result.failed)} failed, ${n(result.inconclusive)} inconclusive, ${n(result.error)} error\n`;
}

/** The result, the reason (Argo's message) and each metric's tally. */
export function summaryText(outcome: GateOutcome, style: TextStyle): string {
  const lines = [
    '\n',
    `Result: ${paint(outcome.phase, style)} (exit ${exitCodeOf(outcome.phase)})\n`,
    `Reason: ${outcome.reason}\n`,
    ...(outcome.status.metricResults ?? []).map((r) => metricSummary(r, style)),
  ];
  return style.redactor.text(lines.join(''));
}
