// The small part of Argo's expression language that `rangeQuery.start`/`end` use, and Go's
// duration syntax for `rangeQuery.step` and `duration("...")`.
//
// Supported time expressions (whitespace is free, strings may use "", '' or ``):
//   now()
//   now() - duration("5m")        now() + duration("1h30m")   (any number of ± duration(...) terms)
//   date("2024-05-01T10:00:00Z")  a date() with one RFC 3339 argument, also followed by ± duration(...)
//   2024-05-01T10:00:00Z          a bare (or quoted) RFC 3339 time
// Everything else (date() with a layout or a time zone, arithmetic on numbers, other functions) is
// rejected with a message listing what is supported.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds ("1h30m" → 5400000). Throws with Go's wording. */
export function parseGoDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) {
      throw new Error(`time: invalid duration ${quoted}`);
    }
    rest = rest.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration ${quoted}`);
    const factor = UNIT_MS[unit];
    if (factor === undefined)
      throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * factor;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time ("2024-05-01T10:00:00Z", "2024-05-01T12:00:00.5+02:00"); throws otherwise. */
export function parseRfc3339(text: string): Date {
  const match = RFC3339.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text)} is not an RFC 3339 time (e.g. 2024-05-01T10:00:00Z)`);
  const [, day, clock, fraction = '', zone = 'Z'] = match;
  const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : '';
  const date = new Date(`${day}T${clock}${millis}${zone.toUpperCase()}`);
  if (Number.isNaN(date.getTime())) throw new Error(`${JSON.stringify(text)} is not a valid time`);
  return date;
}

const SUPPORTED =
  'supported: now(), now() - duration("5m"), date("2024-05-01T10:00:00Z") and an RFC 3339 time, each optionally followed by + or - duration("...")';

/** Evaluates a `rangeQuery.start`/`end` expression against `now`. */
export function evaluateTimeExpression(source: string, now: Date): Date {
  const reader = new Reader(source);
  let time = readPrimary(reader, now);
  for (;;) {
    reader.skipSpace();
    if (reader.done()) return time;
    const op = reader.peek();
    if (op !== '+' && op !== '-') throw unsupported(source);
    reader.advance(1);
    reader.skipSpace();
    if (!reader.eat(/^duration\s*\(\s*/)) throw unsupported(source);
    const ms = parseGoDuration(reader.readString(source));
    reader.skipSpace();
    if (!reader.eat(/^\)/)) throw unsupported(source);
    time = new Date(time.getTime() + (op === '+' ? ms : -ms));
  }
}

function readPrimary(reader: Reader, now: Date): Date {
  reader.skipSpace();
  if (reader.eat(/^now\s*\(\s*\)/)) return new Date(now.getTime());
  if (reader.eat(/^date\s*\(\s*/)) {
    const text = reader.readString(reader.source);
    reader.skipSpace();
    if (reader.peek() === ',') {
      throw new Error(
        `date() with a layout or a time zone is not supported; give one RFC 3339 time (${SUPPORTED})`,
      );
    }
    if (!reader.eat(/^\)/)) throw unsupported(reader.source);
    return parseRfc3339(text);
  }
  const first = reader.peek();
  if (first === '"' || first === "'" || first === '`') return parseRfc3339(reader.readString(reader.source));
  const bare = reader.eat(/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/);
  if (bare !== undefined) return parseRfc3339(bare);
  throw unsupported(reader.source);
}

function unsupported(source: string): Error {
  return new Error(`unsupported time expression ${JSON.stringify(source)} (${SUPPORTED})`);
}

class Reader {
  private position = 0;
  constructor(readonly source: string) {}

  done(): boolean {
    return this.position >= this.source.length;
  }
  peek(): string | undefined {
    return this.source[this.position];
  }
  advance(n: number): void {
    this.position += n;
  }
  skipSpace(): void {
    while (!this.done() && /\s/.test(this.source[this.position] ?? '')) this.position++;
  }
  /** Consumes and returns the match of `pattern` (anchored at the current position), if any. */
  eat(pattern: RegExp): string | undefined {
    const match = pattern.exec(this.source.slice(this.position));
    if (!match) return undefined;
    this.position += match[0].length;
    return match[0];
  }
  /** A "..", '..' or `..` string literal; backslash escapes the next character. */
  readString(source: string): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') throw unsupported(source);
    let value = '';
    for (let i = this.position + 1; i < this.source.length; i++) {
      const c = this.source[i];
      if (c === '\\' && quote !== '`') {
        value += this.source[i + 1] ?? '';
        i++;
      } else if (c === quote) {
        this.position = i + 1;
        return value;
      } else {
        value += c;
      }
    }
    throw new Error(`unterminated string in time expression ${JSON.stringify(source)}`);
  }
}
