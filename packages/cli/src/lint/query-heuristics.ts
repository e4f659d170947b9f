// Heuristics for analysis queries that are valid but almost certainly wrong.

const FAILURES = /(reject|error|fail|5xx|denied|dropped)/i;
const TOTALS = /(receiv|total|request|all)/i;

const isNameStart = (c: string) => /[a-zA-Z_:]/.test(c);
const isNameChar = (c: string) => /[\w:]/.test(c);

/** The metric after a division at `from`: function calls such as `clamp_min(` skipped, then a name. */
const DENOMINATOR = /\s*(?:\w+\s*\(\s*)*([a-zA-Z_:][\w:]*)/y;

/**
 * The metric names of `sum(a{...}) / sum(b{...})`-style ratios: [numerator, denominator]. The
 * numerator is the first name (with its label matchers) from which a division is reached; the
 * denominator the first name after that division. One pass with precomputed jumps: a query of any
 * length costs time in proportion to its length (a backtracking regular expression took minutes on
 * 20,000 letters without a division).
 */
function ratioMetrics(query: string): [string, string] | undefined {
  const text = query.replace(/\b(sum|rate|irate|increase|avg|max|min|count)\s*\(/g, '');
  if (!text.includes('/')) return undefined;
  const n = text.length;
  // nameEnd[i]: where a name continuing at i ends; nextSlash/nextClose/nextSolid: the next '/', '}', non-space.
  const nameEnd = new Int32Array(n + 1).fill(n);
  const nextSlash = new Int32Array(n + 1).fill(-1);
  const nextClose = new Int32Array(n + 1).fill(-1);
  const nextSolid = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    const c = text.charAt(i);
    nameEnd[i] = isNameChar(c) ? nameEnd[i + 1]! : i;
    nextSlash[i] = c === '/' ? i : nextSlash[i + 1]!;
    nextClose[i] = c === '}' ? i : nextClose[i + 1]!;
    nextSolid[i] = /\s/.test(c) ? nextSolid[i + 1]! : i;
  }
  const denominators = new Map<number, string | undefined>();
  const denominatorAt = (slash: number): string | undefined => {
    if (!denominators.has(slash)) {
      DENOMINATOR.lastIndex = slash + 1;
      denominators.set(slash, DENOMINATOR.exec(text)?.[1]);
    }
    return denominators.get(slash);
  };
  for (let i = 0; i < n; i++) {
    if (!isNameStart(text.charAt(i))) continue;
    const end = nameEnd[i + 1]!;
    const brace = nextSolid[end]!;
    if (text.charAt(brace) === '{') {
      const close = nextClose[brace]!;
      const slash = close >= 0 ? nextSlash[close + 1]! : -1;
      const bottom = slash >= 0 ? denominatorAt(slash) : undefined;
      if (bottom) return [text.slice(i, end), bottom];
    }
    const slash = nextSlash[end]!;
    const bottom = slash >= 0 ? denominatorAt(slash) : undefined;
    if (bottom) return [text.slice(i, end), bottom];
  }
  return undefined;
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
