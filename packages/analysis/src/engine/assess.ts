// A metric's phase from its counters and limits (Argo's assessMetricStatus).
import {
  type AnalysisPhase,
  consecutiveErrorLimitOf,
  consecutiveSuccessLimitOf,
  effectiveCountOf,
  failureLimitOf,
  inconclusiveLimitOf,
  type Metric,
  type MetricResult,
} from '@ramp/api';
import { limitReason } from './messages';
import { isCompleted } from './phase-order';
import { counter } from './record';

export interface LimitBreach {
  phase: 'Failed' | 'Inconclusive' | 'Error';
  /** e.g. "failed (5) > failureLimit (4)". */
  reason: string;
}

/**
 * The limit a metric has gone past, if any. Checked in Argo's order, a later breach overriding an
 * earlier one: failureLimit (-1 disables it, with or without consecutiveSuccessLimit), then
 * inconclusiveLimit, then consecutiveErrorLimit.
 */
export function limitBreach(metric: Metric, result: MetricResult): LimitBreach | undefined {
  let breach: LimitBreach | undefined;
  const failureLimit = failureLimitOf(metric);
  const failed = counter(result, 'failed');
  if (failureLimit >= 0 && failed > failureLimit) {
    breach = { phase: 'Failed', reason: limitReason.failed(failed, failureLimit) };
  }
  const inconclusiveLimit = inconclusiveLimitOf(metric);
  const inconclusive = counter(result, 'inconclusive');
  if (inconclusive > inconclusiveLimit) {
    breach = { phase: 'Inconclusive', reason: limitReason.inconclusive(inconclusive, inconclusiveLimit) };
  }
  const errorLimit = consecutiveErrorLimitOf(metric);
  const errors = counter(result, 'consecutiveError');
  if (errors > errorLimit) breach = { phase: 'Error', reason: limitReason.error(errors, errorLimit) };
  return breach;
}

/**
 * The metric's phase after its latest measurement:
 * 1. a completed metric keeps its phase;
 * 2. no measurement yet: Pending (Successful when the run is terminating);
 * 3. a measurement in flight: Running;
 * 4. a limit passed: Failed, Inconclusive or Error;
 * 5. consecutiveSuccess reached consecutiveSuccessLimit (when set): Successful;
 * 6. count reached: Successful when consecutiveSuccessLimit is not set (whatever failureLimit is, -1
 *    included); with consecutiveSuccessLimit set and not reached: Failed when failureLimit is -1 (only
 *    the streak applies), Inconclusive when failureLimit applies too (neither was reached);
 * 7. otherwise Running, or Successful when the run is terminating.
 */
export function assessMetric(metric: Metric, result: MetricResult, terminating: boolean): AnalysisPhase {
  if (isCompleted(result.phase)) return result.phase;
  const measurements = result.measurements ?? [];
  const last = measurements[measurements.length - 1];
  if (!last) return terminating ? 'Successful' : 'Pending';
  if (!isCompleted(last.phase)) return 'Running';
  const breach = limitBreach(metric, result);
  if (breach) return breach.phase;
  const successLimit = consecutiveSuccessLimitOf(metric);
  if (successLimit > 0 && counter(result, 'consecutiveSuccess') >= successLimit) return 'Successful';
  const count = effectiveCountOf(metric);
  if (count !== undefined && counter(result, 'count') >= count) {
    if (successLimit <= 0) return 'Successful';
    return failureLimitOf(metric) >= 0 ? 'Inconclusive' : 'Failed';
  }
  return terminating ? 'Successful' : 'Running';
}
