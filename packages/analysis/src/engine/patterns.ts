// spec.dryRun[].metricName and spec.measurementRetention[].metricName: regular expressions over
// metric names. Ramp matches the whole name (anchored) and reads "*" as "every metric"; a rule that
// matches no metric is an error, as in Argo.
import { DEFAULTS } from '@ramp/api';

/** A metricName pattern as a RegExp matching whole names; undefined when it is not a valid expression. */
export function metricNamePattern(metricName: string): RegExp | undefined {
  const source = metricName === '*' ? '.*' : metricName;
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** The names of the metrics that run in dry-run mode. Throws PatternError for a rule matching none. */
export function dryRunMetrics(
  rules: readonly { metricName: string }[] | undefined,
  metricNames: readonly string[],
): Set<string> {
  const out = new Set<string>();
  (rules ?? []).forEach((rule, i) => {
    const re = metricNamePattern(rule.metricName);
    const matched = re ? metricNames.filter((n) => re.test(n)) : [];
    if (matched.length === 0) throw new PatternError(`dryRun[${i}]: Rule didn't match any metric name(s)`);
    for (const n of matched) out.add(n);
  });
  return out;
}

/**
 * How many measurements each metric keeps (default 10). A later rule overrides an earlier one for
 * the metrics both match; a limit of 0 or less keeps the default. Throws PatternError for a rule
 * matching no metric.
 */
export function retentionLimits(
  rules: readonly { metricName: string; limit: number }[] | undefined,
  metricNames: readonly string[],
): Map<string, number> {
  const out = new Map<string, number>(metricNames.map((n) => [n, DEFAULTS.measurementRetention]));
  (rules ?? []).forEach((rule, i) => {
    const re = metricNamePattern(rule.metricName);
    const matched = re ? metricNames.filter((n) => re.test(n)) : [];
    if (matched.length === 0) {
      throw new PatternError(`measurementRetention[${i}]: Rule didn't match any metric name(s)`);
    }
    const limit = rule.limit > 0 ? rule.limit : DEFAULTS.measurementRetention;
    for (const n of matched) out.set(n, limit);
  });
  return out;
}
