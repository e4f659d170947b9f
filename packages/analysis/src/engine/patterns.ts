// spec.dryRun[].metricName and spec.measurementRetention[].metricName select metrics by regular
// expression (searched anywhere in the name, as in Argo; see @ramp/api's metricNamePattern). A rule
// that matches no metric is an error, as in Argo; so is a rule that is not a valid expression.
import { DEFAULTS, metricNamePattern } from '@ramp/api';

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
    for (const n of matching(rule.metricName, metricNames, `dryRun[${i}]`)) out.add(n);
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
    const matched = matching(rule.metricName, metricNames, `measurementRetention[${i}]`);
    const limit = rule.limit > 0 ? rule.limit : DEFAULTS.measurementRetention;
    for (const n of matched) out.set(n, limit);
  });
  return out;
}

/** The metric names a rule selects; throws PatternError when it selects none or is not valid. */
function matching(pattern: string, metricNames: readonly string[], where: string): string[] {
  const re = metricNamePattern(pattern);
  if (!re.ok) throw new PatternError(`${where}: metricName ${JSON.stringify(pattern)} ${re.problem}`);
  const matched = metricNames.filter((n) => re.matches(n));
  if (matched.length === 0) throw new PatternError(`${where}: Rule didn't match any metric name(s)`);
  return matched;
}
