/**
 * A parser for the RE2 regular expression syntax used by expr-lang's `matches` (Go's regexp package):
 * literals, `.`, classes (`[a-z]`, `[^0-9]`, `[[:alpha:]]`, `\d \w \s` and negations), anchors
 * (`^ $ \A \z \b \B`), groups (`(...)`, `(?:...)`, `(?P<name>...)`, `(?<name>...)`), flags (`(?i)`,
 * `(?ims:...)`), alternation and repetition (`* + ? {n} {n,} {n,m}`, lazy forms too). Constructs RE2
 * does not have (backreferences, lookaround) are refused, as are Unicode classes (`\p{...}`).
 */
import { complement, MAX_CODE_POINT, PERL_CLASSES, POSIX } from './regex-classes';

export class RegexError extends Error {}

export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'nonword';

/** A set of code points: flat `[lo, hi, lo, hi, ...]` ranges; `fold` for case-insensitive matching. */
export interface CharSet {
  readonly ranges: readonly number[];
  readonly negated: boolean;
  readonly fold: boolean;
}

export type RegexNode =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: readonly RegexNode[] }
  | { readonly t: 'alt'; readonly items: readonly RegexNode[] }
  | { readonly t: 'repeat'; readonly item: RegexNode; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly kind: AssertKind };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const MAX_REPEAT = 1000; // as RE2
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

export function parseRegex(pattern: string): RegexNode {
  const parser = new Parser(pattern);
  const node = parser.alternation({ i: false, m: false, s: false });
  if (!parser.done()) parser.fail('unexpected )');
  return node;
}

class Parser {
  private readonly cps: number[];
  private pos = 0;

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  }

  done(): boolean {
    return this.pos >= this.cps.length;
  }

  fail(reason: string): never {
    throw new RegexError(`invalid regular expression ${JSON.stringify(this.pattern)}: ${reason}`);
  }

  private peek(offset = 0): string {
    const cp = this.cps[this.pos + offset];
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  alternation(flags: Flags): RegexNode {
    const items = [this.concatenation(flags)];
    while (this.eat('|')) items.push(this.concatenation(flags));
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private concatenation(flags: Flags): RegexNode {
    const items: RegexNode[] = [];
    while (!this.done() && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom(flags);
      if (atom) items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  /** `{n}`, `{n,}` or `{n,m}` at `at`, without consuming it. */
  private repeatAt(at: number): { min: number; max: number; end: number } | undefined {
    const rest = String.fromCodePoint(...this.cps.slice(at, at + 16));
    const match = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? -1 : Number(match[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max !== -1 && max < min))
      this.fail(`invalid repeat count ${match[0]}`);
    return { min, max, end: at + match[0].length };
  }

  private quantifierAhead(): boolean {
    const ch = this.peek();
    return ch === '*' || ch === '+' || ch === '?' || (ch === '{' && this.repeatAt(this.pos) !== undefined);
  }

  private quantified(atom: RegexNode): RegexNode {
    let min: number;
    let max: number;
    const ch = this.peek();
    if (ch === '*' || ch === '+' || ch === '?') {
      this.pos++;
      [min, max] = ch === '*' ? [0, -1] : ch === '+' ? [1, -1] : [0, 1];
    } else {
      const repeat = ch === '{' ? this.repeatAt(this.pos) : undefined;
      if (!repeat) return atom;
      ({ min, max } = repeat);
      this.pos = repeat.end;
    }
    this.eat('?'); // lazy: the same for a yes/no match
    if (this.quantifierAhead()) this.fail('invalid nested repetition operator');
    return { t: 'repeat', item: atom, min, max };
  }

  private literal(cp: number, flags: Flags): RegexNode {
    return { t: 'set', set: { ranges: [cp, cp], negated: false, fold: flags.i } };
  }

  private atom(flags: Flags): RegexNode | undefined {
    const ch = this.peek();
    this.pos++;
    switch (ch) {
      case '(':
        return this.group(flags);
      case '[':
        return this.charClass(flags);
      case '.':
        return {
          t: 'set',
          set: flags.s
            ? { ranges: [0, MAX_CODE_POINT], negated: false, fold: false }
            : { ranges: [10, 10], negated: true, fold: false },
        };
      case '^':
        return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case '$':
        return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case '\\':
        return this.escape(flags);
      case '*':
      case '+':
      case '?':
        return this.fail(`missing argument to repetition operator ${ch}`);
      case '{':
        if (this.repeatAt(this.pos - 1)) this.fail('missing argument to repetition operator {');
        return this.literal(123, flags);
      default:
        return this.literal(ch.codePointAt(0)!, flags);
    }
  }

  private group(flags: Flags): RegexNode | undefined {
    let inner: Flags = { ...flags };
    if (this.eat('?')) {
      const ch = this.peek();
      if (ch === '=' || ch === '!' || (ch === '<' && (this.peek(1) === '=' || this.peek(1) === '!'))) {
        this.fail('lookahead and lookbehind assertions are not supported (RE2 syntax)');
      }
      if (ch === 'P' || ch === '<') {
        this.pos += ch === 'P' ? 1 : 0;
        if (!this.eat('<')) this.fail('invalid named capture');
        const start = this.pos;
        while (/^[A-Za-z0-9_]$/.test(this.peek())) this.pos++;
        if (this.pos === start || !this.eat('>')) this.fail('invalid named capture');
      } else {
        inner = this.flagGroup(flags);
        if (this.eat(')')) {
          Object.assign(flags, inner); // (?i) changes the flags for the rest of the current group
          return undefined;
        }
        if (!this.eat(':')) this.fail('invalid or unsupported Perl syntax');
      }
    }
    const node = this.alternation(inner);
    if (!this.eat(')')) this.fail('missing closing )');
    return node;
  }

  private flagGroup(flags: Flags): Flags {
    const out = { ...flags };
    let value = true;
    for (;;) {
      const ch = this.peek();
      if (ch === 'i' || ch === 'm' || ch === 's') out[ch] = value;
      else if (ch === 'U') {
        // ungreedy: irrelevant to a yes/no match
      } else if (ch === '-' && value) value = false;
      else if (ch === ')' || ch === ':') return out;
      else this.fail('invalid or unsupported Perl syntax');
      this.pos++;
    }
  }

  /** After a backslash, outside a class. */
  private escape(flags: Flags): RegexNode {
    const ch = this.peek();
    if (ch === 'b' || ch === 'B' || ch === 'A' || ch === 'z') {
      this.pos++;
      return { t: 'assert', kind: ch === 'b' ? 'word' : ch === 'B' ? 'nonword' : ch === 'A' ? 'bot' : 'eot' };
    }
    if (ch === 'Q') {
      this.pos++;
      const items: RegexNode[] = [];
      while (!this.done() && !(this.peek() === '\\' && this.peek(1) === 'E')) {
        items.push(this.literal(this.cps[this.pos++]!, flags));
      }
      if (!this.done()) this.pos += 2;
      return { t: 'cat', items };
    }
    const item = this.escapedItem();
    return Array.isArray(item)
      ? { t: 'set', set: { ranges: item, negated: false, fold: false } }
      : this.literal(item as number, flags);
  }

  /** After a backslash: a code point, or the ranges of `\d \D \w \W \s \S`. */
  private escapedItem(): number | number[] {
    const ch = this.peek();
    this.pos++;
    if (ch === '') this.fail('trailing backslash at end of expression');
    const perl = PERL_CLASSES[ch.toLowerCase()];
    if (perl && /[dDwWsS]/.test(ch)) return ch === ch.toLowerCase() ? [...perl] : complement(perl);
    if (Object.hasOwn(CONTROL_ESCAPES, ch)) return CONTROL_ESCAPES[ch]!;
    if (ch === 'x') {
      const braced = this.eat('{');
      const start = this.pos;
      while (/^[0-9a-fA-F]$/.test(this.peek()) && (braced || this.pos - start < 2)) this.pos++;
      const hex = String.fromCodePoint(...this.cps.slice(start, this.pos));
      if (hex === '' || (!braced && hex.length !== 2) || (braced && !this.eat('}')))
        this.fail('invalid escape sequence \\x');
      const cp = Number.parseInt(hex, 16);
      if (cp > MAX_CODE_POINT) this.fail('invalid escape sequence \\x');
      return cp;
    }
    if (ch === 'p' || ch === 'P') this.fail('Unicode classes (\\p{...}) are not supported');
    if (/^[0-9]$/.test(ch)) this.fail(`backreferences and octal escapes (\\${ch}) are not supported`);
    const cp = ch.codePointAt(0)!;
    if (cp < 128 && !/^[A-Za-z0-9_]$/.test(ch)) return cp; // escaped punctuation
    return this.fail(`invalid escape sequence \\${ch}`);
  }

  private charClass(flags: Flags): RegexNode {
    const negated = this.eat('^');
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      if (this.done()) this.fail('missing closing ]');
      if (this.peek() === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(
        String.fromCodePoint(...this.cps.slice(this.pos, this.pos + 12)),
      );
      if (posix) {
        const set = POSIX[posix[2]!];
        if (!set) this.fail(`invalid character class [:${posix[2]}:]`);
        ranges.push(...(posix[1] ? complement(set) : set));
        this.pos += posix[0].length;
        continue;
      }
      const lo = this.classItem();
      if (Array.isArray(lo)) {
        if (this.peek() === '-' && this.peek(1) !== ']') this.fail('invalid character class range');
        ranges.push(...lo);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.pos++;
        const hi = this.classItem();
        if (Array.isArray(hi) || hi < lo) this.fail('invalid character class range');
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
      }
    }
    return { t: 'set', set: { ranges, negated, fold: flags.i } };
  }

  private classItem(): number | number[] {
    if (this.eat('\\')) return this.escapedItem();
    return this.cps[this.pos++]!;
  }
}
