/**
 * Scanners for the pieces of expr-lang's lexical grammar that differ from JavaScript's (and so from
 * jsep's): number and string literals, operators (word operators, `not in`, ...) and comments.
 * Each works on the source string from an offset and throws a parse ConditionError on bad input.
 */
import { parseError } from './errors';

export interface Scanned<T> {
  readonly value: T;
  /** Offset just after the scanned text. */
  readonly end: number;
}

/** Binary operators by precedence (higher binds tighter), as in expr-lang's parser/operator package. */
export const BINARY_PRECEDENCE: Readonly<Record<string, number>> = Object.freeze({
  '||': 10,
  '&&': 15,
  '==': 20,
  '!=': 20,
  '<': 20,
  '<=': 20,
  '>': 20,
  '>=': 20,
  in: 20,
  contains: 20,
  startsWith: 20,
  endsWith: 20,
  matches: 20,
  '+': 30,
  '-': 30,
  '*': 60,
  '/': 60,
  '%': 60,
  '**': 100,
  '??': 500,
});
export const COMPARISON_PRECEDENCE = 20;
export const RIGHT_ASSOCIATIVE: ReadonlySet<string> = new Set(['**']);
/** Unary operators bind everything to their right with at least this precedence: `-a ** 2` is `-(a ** 2)`. */
export const UNARY_PRECEDENCE: Readonly<Record<string, number>> = Object.freeze({
  not: 50,
  '!': 50,
  '-': 90,
  '+': 90,
});

const WORD_OPERATORS: ReadonlyMap<string, string> = new Map([
  ['and', '&&'],
  ['or', '||'],
  ['in', 'in'],
  ['contains', 'contains'],
  ['startsWith', 'startsWith'],
  ['endsWith', 'endsWith'],
  ['matches', 'matches'],
]);
const NEGATABLE = new Set(['in', 'contains', 'startsWith', 'endsWith', 'matches']);
const SYMBOL_OPERATORS = [
  '**',
  '??',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
];
const REFUSED_OPERATORS: readonly (readonly [string, string])[] = [
  ['===', 'the === operator does not exist; use =='],
  ['!==', 'the !== operator does not exist; use !='],
  ['=>', 'arrow functions are not supported; predicates are written {# > 1}'],
  ['..', 'ranges (..) are not supported'],
  ['<<', 'bit shifts are not supported'],
  ['>>', 'bit shifts are not supported'],
  ['+=', 'assignment is not supported; a condition only reads values'],
  ['-=', 'assignment is not supported; a condition only reads values'],
  ['*=', 'assignment is not supported; a condition only reads values'],
  ['/=', 'assignment is not supported; a condition only reads values'],
  ['%=', 'assignment is not supported; a condition only reads values'],
];

export interface ScannedOperator {
  /** Canonical operator: `and` is `&&`, `or` is `||`, `^` is `**`. */
  readonly op: string;
  /** As written, for messages. */
  readonly text: string;
  /** `not in`, `not contains`, ... */
  readonly negate: boolean;
  readonly end: number;
}

/** Identifiers are letters (any script), digits, `_` and `$`, not starting with a digit, as in expr-lang. */
export function isIdentifierStart(code: number): boolean {
  if (code < 128)
    return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95;
  return /\p{L}/u.test(String.fromCharCode(code));
}

export function isIdentifierPart(code: number): boolean {
  if (code < 128) return isIdentifierStart(code) || isDigit(code);
  return /[\p{L}\p{Nd}]/u.test(String.fromCharCode(code));
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The identifier-like word at `start` (possibly empty). */
export function scanWord(src: string, start: number): string {
  let end = start;
  while (end < src.length && isIdentifierPart(src.charCodeAt(end))) end++;
  return src.slice(start, end);
}

/** Skips white space, `// line` and `/* block *\/` comments, as expr-lang's lexer does. */
export function skipSpacesAndComments(src: string, start: number): number {
  let i = start;
  for (;;) {
    while (i < src.length && /\s/.test(src.charAt(i))) i++;
    if (src.startsWith('//', i)) {
      const newline = src.indexOf('\n', i);
      i = newline === -1 ? src.length : newline + 1;
    } else if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close === -1) throw parseError(src, 'unterminated /* comment', i);
      i = close + 2;
    } else {
      return i;
    }
  }
}

/** The binary operator at `start`, or undefined when the text there is not one. */
export function scanOperator(src: string, start: number): ScannedOperator | undefined {
  const code = src.charCodeAt(start);
  if (isIdentifierStart(code)) {
    const word = scanWord(src, start);
    const op = WORD_OPERATORS.get(word);
    if (op !== undefined) return { op, text: word, negate: false, end: start + word.length };
    if (word !== 'not') return undefined;
    const next = skipSpacesAndComments(src, start + word.length);
    const negated = scanWord(src, next);
    if (!NEGATABLE.has(negated)) {
      throw parseError(src, 'expected in, contains, startsWith, endsWith or matches after "not"', next);
    }
    return { op: negated, text: `not ${negated}`, negate: true, end: next + negated.length };
  }
  for (const [text, reason] of REFUSED_OPERATORS) {
    if (src.startsWith(text, start)) throw parseError(src, reason, start);
  }
  for (const text of SYMBOL_OPERATORS) {
    if (src.startsWith(text, start)) {
      return { op: text === '^' ? '**' : text, text, negate: false, end: start + text.length };
    }
  }
  if (src.startsWith('=', start)) {
    throw parseError(src, 'assignment is not supported; use == to compare', start);
  }
  if (src.startsWith('|', start)) throw parseError(src, 'the pipe operator | is not supported', start);
  if (src.startsWith('&', start)) throw parseError(src, 'bitwise & is not supported; use && or and', start);
  return undefined;
}

const RADIX: Readonly<Record<string, number>> = { x: 16, o: 8, b: 2 };
const DIGITS: Readonly<Record<number, RegExp>> = {
  16: /[0-9a-fA-F_]/,
  8: /[0-7_]/,
  2: /[01_]/,
  10: /[0-9_]/,
};
const INT64_LIMIT = 2 ** 63;

/** A number literal: `42`, `1_000`, `0x2A`, `0o52`, `0b101010`, `4.2`, `.5`, `1e3`, `1.5E-3`. */
export function scanNumber(src: string, start: number): Scanned<number> {
  let i = start;
  const prefix = src.charAt(start) === '0' ? RADIX[src.charAt(start + 1).toLowerCase()] : undefined;
  const take = (radix: number): string => {
    const from = i;
    while (i < src.length && DIGITS[radix]!.test(src.charAt(i))) i++;
    return src.slice(from, i);
  };
  let value: number;
  let float = false;
  if (prefix !== undefined) {
    i += 2;
    const digits = take(prefix);
    checkUnderscores(src, start, digits.replace(/^_/, ''));
    if (digits.replace(/_/g, '') === '') throw parseError(src, 'bad number syntax', start);
    value = Number.parseInt(digits.replace(/_/g, ''), prefix);
    if (src.charAt(i) === '.') throw parseError(src, 'bad number syntax', start);
  } else {
    let text = take(10);
    if (src.charAt(i) === '.' && src.charAt(i + 1) !== '.') {
      i++;
      text += `.${take(10)}`;
      float = true;
    }
    if (/[eE]/.test(src.charAt(i))) {
      i++;
      let sign = '';
      if (/[+-]/.test(src.charAt(i))) sign = src.charAt(i++);
      const exponent = take(10);
      if (exponent.replace(/_/g, '') === '')
        throw parseError(src, 'bad number syntax: missing exponent', start);
      text += `e${sign}${exponent}`;
      float = true;
    }
    checkUnderscores(src, start, text);
    value = Number(text.replace(/_/g, ''));
    if (Number.isNaN(value)) throw parseError(src, 'bad number syntax', start);
    if (float && !Number.isFinite(value)) throw parseError(src, 'float literal is too large', start);
  }
  if (i < src.length && isIdentifierPart(src.charCodeAt(i))) {
    throw parseError(src, `bad number syntax: "${src.slice(start, i + 1)}"`, start);
  }
  if (!float && value >= INT64_LIMIT) {
    throw parseError(src, 'integer literal is too large (the largest is 9223372036854775807)', start);
  }
  return { value, end: i };
}

function checkUnderscores(src: string, start: number, text: string): void {
  if (/^_|_$|__|_[.eE+-]|[.eE+-]_/.test(text)) {
    throw parseError(src, 'bad number syntax: "_" must separate digits', start);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, X: 2, u: 4, U: 8 };

/** A single- or double-quoted string with Go-style escapes (`\n`, `\x41`, `\u00e9`, `\U0001F600`, `\101`). */
export function scanString(src: string, start: number): Scanned<string> {
  const quote = src.charAt(start);
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= src.length) throw parseError(src, 'string literal is not terminated', start);
    const ch = src.charAt(i);
    if (ch === quote) return { value: out, end: i + 1 };
    if (ch === '\n')
      throw parseError(src, 'string literal is not terminated (strings cannot span lines)', start);
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const kind = src.charAt(i + 1);
    const simple = Object.hasOwn(SIMPLE_ESCAPES, kind) ? SIMPLE_ESCAPES[kind] : undefined;
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (Object.hasOwn(HEX_ESCAPE_LENGTH, kind)) {
      const length = HEX_ESCAPE_LENGTH[kind]!;
      const hex = src.slice(i + 2, i + 2 + length);
      const code = Number.parseInt(hex, 16);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex) || code > 0x10ffff) {
        throw parseError(src, `invalid escape \\${kind}${hex} in string`, i);
      }
      out += code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCodePoint(code);
      i += 2 + length;
    } else if (/^[0-3][0-7]{2}$/.test(src.slice(i + 1, i + 4))) {
      out += String.fromCodePoint(Number.parseInt(src.slice(i + 1, i + 4), 8));
      i += 4;
    } else {
      const shown = kind === '' ? '\\' : `\\${kind}`;
      throw parseError(
        src,
        `invalid escape ${shown} in string; write \\\\ for a backslash (e.g. "^\\\\d+$" for the regex ^\\d+$)`,
        i,
      );
    }
  }
}
