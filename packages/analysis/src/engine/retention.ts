// measurementRetention: each metric keeps its newest measurements only (10 unless a rule says
// otherwise). Counters are kept apart from the list, so trimming never changes a verdict.
import type { MetricResult } from '@ramp/api';
import { DEFAULTS } from '@ramp/api';

/** Trims each result's measurements (in place) to its limit, keeping the newest. */
export function trimMeasurements(results: MetricResult[], limits: ReadonlyMap<string, number>): void {
  for (const result of results) {
    const limit = limits.get(result.name) ?? DEFAULTS.measurementRetention;
    const list = result.measurements;
    if (list && list.length > limit) result.measurements = list.slice(list.length - limit);
  }
}
