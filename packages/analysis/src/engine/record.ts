// A metric's counters, as Argo keeps them in MetricResult: `count` counts the measurements that were
// not errors; `consecutiveError` resets on any non-error; `consecutiveSuccess` resets on any
// non-success. Zero counters are left out of the status, as Go's omitempty writes them.
import type { Measurement, MetricResult } from '@ramp/api';
import { isCompleted } from './phase-order';

/** The counters of a MetricResult, in Argo's order. */
export const COUNTERS = [
  'count',
  'successful',
  'failed',
  'inconclusive',
  'error',
  'consecutiveError',
  'consecutiveSuccess',
] as const;
type Counter = (typeof COUNTERS)[number];

export const counter = (result: MetricResult | undefined, name: Counter): number => result?.[name] ?? 0;

function bump(result: MetricResult, name: Counter, by = 1): void {
  result[name] = counter(result, name) + by;
}

/** Counts one finished measurement into the result (in place). Unfinished ones count nothing. */
export function countMeasurement(result: MetricResult, m: Measurement): void {
  if (!isCompleted(m.phase)) return;
  switch (m.phase) {
    case 'Successful':
      bump(result, 'successful');
      bump(result, 'count');
      result.consecutiveError = 0;
      bump(result, 'consecutiveSuccess');
      break;
    case 'Failed':
    case 'Inconclusive':
      bump(result, m.phase === 'Failed' ? 'failed' : 'inconclusive');
      bump(result, 'count');
      result.consecutiveError = 0;
      result.consecutiveSuccess = 0;
      break;
    case 'Error':
      bump(result, 'error');
      bump(result, 'consecutiveError');
      result.consecutiveSuccess = 0;
      break;
  }
}

/** Drops zero counters and an unset dryRun flag, as Argo's JSON does. */
export function compactResult(result: MetricResult): MetricResult {
  const out: MetricResult = { ...result };
  for (const name of COUNTERS) if (out[name] === 0) delete out[name];
  if (!out.dryRun) delete out.dryRun;
  if (out.message === '') delete out.message;
  return out;
}
