// The checks Argo makes on a run's metrics (after args substitution) before measuring anything
// (utils/analysis ValidateMetrics). A failure ends the run in Error: "Analysis spec invalid: ...".
// The full validation with field paths and fixes lives in @ramp/api; these are the ones the engine
// cannot run without. failureLimit -1 is accepted with or without consecutiveSuccessLimit: it only
// disables the failure limit.
import {
  consecutiveErrorLimitOf,
  consecutiveSuccessLimitOf,
  failureLimitOf,
  inconclusiveLimitOf,
  intFromIntOrString,
  type Metric,
  parseGoDuration,
} from '@ramp/api';
import { providerTypeOf } from '../providers/provider';

/** Go's time.ParseDuration error text. */
function durationError(text: string): string | undefined {
  const parsed = parseGoDuration(text);
  if (parsed.ok) return undefined;
  return parsed.reason === 'has no unit'
    ? `time: missing unit in duration "${text}"`
    : `time: invalid duration "${text}"`;
}

function metricProblem(metric: Metric): string | undefined {
  const count = intFromIntOrString(metric.count) ?? 0;
  const failureLimit = failureLimitOf(metric);
  const inconclusiveLimit = inconclusiveLimitOf(metric);
  const successLimit = consecutiveSuccessLimitOf(metric);
  if (count > 0) {
    if (count < failureLimit) return 'count must be >= failureLimit';
    if (count < inconclusiveLimit) return 'count must be >= inconclusiveLimit';
    if (count < successLimit) return 'count must be >= consecutiveSuccessLimit';
  }
  if (count > 1 && !metric.interval) return 'interval must be specified when count > 1';
  if (metric.interval) {
    const err = durationError(metric.interval);
    if (err) return `invalid interval string: ${err}`;
    // Stricter than Argo: an interval of 0 would measure on every step, at once, for ever.
    const parsed = parseGoDuration(metric.interval);
    if (parsed.ok && parsed.ms <= 0) return `interval must be greater than 0, got "${metric.interval}"`;
  }
  if (metric.initialDelay) {
    const err = durationError(metric.initialDelay);
    if (err) return `invalid startDelay string: ${err}`;
  }
  if (consecutiveErrorLimitOf(metric) < 0) return 'consecutiveErrorLimit must be >= 0';
  const providers = Object.values(metric.provider ?? {}).filter((p) => p !== undefined && p !== null);
  if (providers.length === 0 || providerTypeOf(metric) === undefined) return 'no provider specified';
  if (providers.length > 1) return 'multiple providers specified';
  return undefined;
}

/** The first problem with these metrics, as Argo words it; undefined when they can run. */
export function metricsProblem(metrics: readonly Metric[]): string | undefined {
  if (metrics.length === 0) return 'no metrics specified';
  const seen = new Set<string>();
  for (const [i, metric] of metrics.entries()) {
    if (seen.has(metric.name)) return `metrics[${i}]: duplicate name '${metric.name}'`;
    seen.add(metric.name);
    const problem = metricProblem(metric);
    if (problem) return `metrics[${i}]: ${problem}`;
  }
  return undefined;
}
