// spec.dryRun[].metricName and spec.measurementRetention[].metricName: regular expressions over metric
// names with Argo's meaning — RE2 syntax (Go's regexp) searched anywhere in the name, so `error` selects
// `error-rate` and `http-errors`; anchor with ^...$ for one exact name. Ramp also reads a bare "*"
// (not a valid expression in Go, where such a rule matches nothing) as "every metric".
import { RE2JS, RE2JSException } from 're2js';

/** Longer patterns are refused: a metric name is short and a rule selects among a handful. */
const MAX_PATTERN_LENGTH = 1024;

export type MetricNamePattern =
  | { ok: true; matches(metricName: string): boolean }
  | { ok: false; problem: string };

export function metricNamePattern(metricName: string): MetricNamePattern {
  if (metricName === '*') return { ok: true, matches: () => true };
  if (metricName.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      problem: `is ${metricName.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    };
  }
  try {
    const re = RE2JS.compile(metricName);
    return { ok: true, matches: (name) => re.test(name) };
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    return { ok: false, problem: `is not a valid regular expression (RE2 syntax): ${error.message}` };
  }
}
