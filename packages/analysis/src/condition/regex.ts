/**
 * Regular expressions for `matches`, run by re2js (a port of RE2/J): time is linear in the input for a
 * given pattern, so no pattern can backtrack catastrophically the way JavaScript's RegExp can
 * (`(a+)+$`, `.*.*x`, ...). The syntax is RE2's, as in Go's regexp package that expr-lang uses;
 * matching is an unanchored search, as Go's MatchString. Only "does it match" is computed.
 *
 * This module only adds Ramp's limits (pattern length, compiled program size, input length, program
 * size times input length), error messages that name the pattern, and a cache of compiled patterns.
 */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { LIMITS } from './limits';

export class RegexError extends Error {}

export interface Regex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `input`; throws RegexError when the input is over the limits. */
  test(input: string): boolean;
}

const CACHE_SIZE = 256;
const cache = new Map<string, Regex>();

/** Compiles (or reuses) a pattern; throws RegexError for bad syntax or a pattern over the limits. */
export function compileRegex(pattern: string): Regex {
  const cached = cache.get(pattern);
  if (cached) return cached;
  if (pattern.length > LIMITS.maxRegexLength) {
    throw new RegexError(
      `regular expression is ${pattern.length} characters long; the limit is ${LIMITS.maxRegexLength}`,
    );
  }
  const compiled = compile(pattern);
  const size = compiled.programSize();
  if (size > LIMITS.maxRegexProgram) {
    throw new RegexError(
      `regular expression ${JSON.stringify(pattern)} is too large once repetitions are expanded ` +
        `(${size} instructions; the limit is ${LIMITS.maxRegexProgram})`,
    );
  }
  const regex: Regex = { source: pattern, test: (input) => run(compiled, size, pattern, input) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, regex);
  return regex;
}

function compile(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    if (error instanceof RE2JSException) {
      throw new RegexError(
        `invalid regular expression ${JSON.stringify(pattern)}: ${reason(pattern, error)}`,
      );
    }
    throw error;
  }
}

const LOOKAROUND = /\(\?(?:=|!|<=|<!)/;
const BACKREFERENCE = /^\\[1-9]$/;

/** re2js's description of a syntax error, with the offending part and a hint for constructs RE2 lacks. */
function reason(pattern: string, error: RE2JSException): string {
  if (!(error instanceof RE2JSSyntaxException)) return error.message;
  const part = error.getPattern();
  let text = error.getDescription();
  if (part && part !== pattern) text += ` in \`${part}\``;
  if (LOOKAROUND.test(pattern)) text += ' (RE2 syntax has no lookahead or lookbehind)';
  else if (part && BACKREFERENCE.test(part)) text += ' (RE2 syntax has no backreferences)';
  return text;
}

function run(compiled: RE2JS, size: number, pattern: string, input: string): boolean {
  if (input.length > LIMITS.maxRegexInput) {
    throw new RegexError(
      `matches: the text is ${input.length} characters long; the limit is ${LIMITS.maxRegexInput}`,
    );
  }
  if (input.length * size > LIMITS.maxRegexWork) {
    throw new RegexError(
      `matches: the regular expression ${JSON.stringify(pattern)} is too complex for a text of ${input.length} characters`,
    );
  }
  return compiled.test(input);
}
