// Heuristics for analysis queries that are valid but almost certainly wrong.

const FAILURES = /(reject|error|fail|5xx|denied|dropped)/i;
const TOTALS = /(receiv|total|request|all)/i;

/** The metric names of `sum(a{...}) / sum(b{...})`-style ratios: [numerator, denominator]. */
function ratioMetrics(query: string): [string, string] | undefined {
  const m = /([a-zA-Z_:][\w:]*)\s*(?:\{[^}]*\})?[^/]*?\)?\s*\/\s*(?:\w+\s*\(\s*)*([a-zA-Z_:][\w:]*)/s.exec(
    query.replace(/\b(sum|rate|irate|increase|avg|max|min|count)\s*\(/g, ''),
  );
  return m ? [m[1]!, m[2]!] : undefined;
}

/** A warning when a query divides all requests by failed ones: a ratio of at least 1, likely inverted. */
export function invertedRatioWarning(query: string): string | undefined {
  const ratio = ratioMetrics(query);
  if (!ratio) return undefined;
  const [top, bottom] = ratio;
  if (TOTALS.test(top) && !FAILURES.test(top) && FAILURES.test(bottom)) {
    return `divides ${top} by ${bottom}, a ratio of 1 or more; to measure the share of failures, divide ${bottom} by ${top}`;
  }
  return undefined;
}
