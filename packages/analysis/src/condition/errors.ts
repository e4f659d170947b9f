/** The two phases a condition can fail in: reading the source, or evaluating it against a measurement. */
export type ConditionErrorKind = 'parse' | 'evaluate';

const EXCERPT_WIDTH = 72;

/**
 * The only error the condition language throws. `kind: 'parse'` comes from `compileCondition` (syntax,
 * unknown functions, limits on the source); `kind: 'evaluate'` from evaluating a compiled condition.
 *
 * Locations: `position` is a 0-based offset into `source` (UTF-16 code units); `line` and `column` are
 * 1-based. A parse error's message starts with them and shows the source line with a caret:
 *
 *   column 8: assignment is not supported; use == to compare
 *     result = 1
 *            ^
 *
 * An evaluation error's message is the one-line reason; its location, when known, is in the fields.
 */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
  readonly kind: ConditionErrorKind;
  /** The expression that failed. */
  readonly source: string;
  /** What went wrong, without the location and the excerpt that `message` adds. */
  readonly reason: string;
  readonly position?: number;
  readonly line?: number;
  readonly column?: number;

  constructor(kind: ConditionErrorKind, reason: string, source: string, position?: number) {
    const location = position === undefined ? undefined : locate(source, position);
    // Parse errors show where, with an excerpt; evaluation errors stay one line (they end up in statuses).
    super(location && kind === 'parse' ? `${location.label}: ${reason}\n${location.excerpt}` : reason);
    this.kind = kind;
    this.source = source;
    this.reason = reason;
    if (location) {
      this.position = location.position;
      this.line = location.line;
      this.column = location.column;
    }
  }
}

export function parseError(source: string, reason: string, position?: number): ConditionError {
  return new ConditionError('parse', reason, source, position);
}

export function evaluateError(source: string, reason: string, position?: number): ConditionError {
  return new ConditionError('evaluate', reason, source, position);
}

interface Location {
  position: number;
  line: number;
  column: number;
  label: string;
  excerpt: string;
}

/** Line/column of an offset, and the source line with a caret under that column (long lines are cut). */
function locate(source: string, rawPosition: number): Location {
  const position = Math.max(0, Math.min(Math.trunc(rawPosition), source.length));
  const lineStart = source.lastIndexOf('\n', position - 1) + 1;
  const lineEndIndex = source.indexOf('\n', position);
  const lineEnd = lineEndIndex === -1 ? source.length : lineEndIndex;
  const line = countNewlines(source, lineStart) + 1;
  const column = position - lineStart + 1;
  const label = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;

  let from = lineStart;
  let to = lineEnd;
  if (to - from > EXCERPT_WIDTH) {
    from = Math.max(lineStart, position - Math.floor(EXCERPT_WIDTH / 2));
    to = Math.min(lineEnd, from + EXCERPT_WIDTH);
  }
  const prefix = from > lineStart ? '…' : '';
  const suffix = to < lineEnd ? '…' : '';
  // Tabs and other control characters would shift the caret; show each as one space.
  const text = Array.from(source.slice(from, to), (ch) => (ch < ' ' || ch === '\u007f' ? ' ' : ch)).join('');
  const caret = ' '.repeat(prefix.length + position - from) + '^';
  return { position, line, column, label, excerpt: `  ${prefix}${text}${suffix}\n  ${caret}` };
}

function countNewlines(source: string, end: number): number {
  let count = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Internal: an evaluation failure raised below the evaluator (values, operators, functions), which do not
 * know the source. The evaluator turns it into a ConditionError; it never reaches a caller.
 */
export class EvalFailure extends Error {
  constructor(
    readonly reason: string,
    public pos?: number,
  ) {
    super(reason);
  }
}
