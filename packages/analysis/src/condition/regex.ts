/**
 * Regular expressions for `matches`, run by a Thompson-NFA (Pike VM) simulation: time is linear in the
 * input for a given pattern, so no pattern can backtrack catastrophically the way JavaScript's RegExp
 * can (`(a+)+$`, `.*.*x`, ...). The syntax is RE2's, as in Go's regexp package that expr-lang uses;
 * matching is an unanchored search, as Go's MatchString. Only "does it match" is computed.
 *
 * Limits: pattern length, compiled program size, input length, and program size times input length.
 */
import { LIMITS } from './limits';
import { type AssertKind, type CharSet, parseRegex, RegexError, type RegexNode } from './regex-syntax';

export { RegexError } from './regex-syntax';

export interface Regex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `input`; throws RegexError when the input is over the limits. */
  test(input: string): boolean;
}

const SET = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;

interface Instruction {
  op: number;
  /** SPLIT/JMP targets. */
  x: number;
  y: number;
  set?: CharSet;
  assert?: AssertKind;
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
  const program = compile(parseRegex(pattern), pattern);
  const regex: Regex = { source: pattern, test: (input) => run(program, pattern, input) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, regex);
  return regex;
}

function compile(root: RegexNode, pattern: string): Instruction[] {
  const program: Instruction[] = [];
  const emit = (instruction: Omit<Instruction, 'x' | 'y'> & Partial<Instruction>): number => {
    if (program.length >= LIMITS.maxRegexProgram) {
      throw new RegexError(
        `regular expression ${JSON.stringify(pattern)} is too large once repetitions are expanded ` +
          `(limit ${LIMITS.maxRegexProgram} instructions)`,
      );
    }
    program.push({ x: -1, y: -1, ...instruction });
    return program.length - 1;
  };
  const split = (): Instruction & { at: number } => {
    const at = emit({ op: SPLIT });
    const instruction = program[at]!;
    instruction.x = at + 1;
    return Object.assign(instruction, { at });
  };
  const visit = (node: RegexNode): void => {
    switch (node.t) {
      case 'set':
        emit({ op: SET, set: node.set });
        return;
      case 'assert':
        emit({ op: ASSERT, assert: node.kind });
        return;
      case 'cat':
        for (const item of node.items) visit(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        const last = node.items.length - 1;
        node.items.forEach((item, i) => {
          if (i === last) {
            visit(item);
            return;
          }
          const branch = split();
          visit(item);
          jumps.push(emit({ op: JMP }));
          branch.y = program.length;
        });
        for (const jump of jumps) program[jump]!.x = program.length;
        return;
      }
      case 'repeat': {
        for (let i = 0; i < node.min; i++) visit(node.item);
        if (node.max === -1) {
          const loop = split();
          visit(node.item);
          emit({ op: JMP, x: loop.at });
          loop.y = program.length;
        } else {
          const optional: Instruction[] = [];
          for (let i = node.min; i < node.max; i++) {
            optional.push(split());
            visit(node.item);
          }
          for (const branch of optional) branch.y = program.length;
        }
        return;
      }
    }
  };
  visit(root);
  emit({ op: MATCH });
  return program;
}

function isWord(cp: number): boolean {
  return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;
}

function inRanges(ranges: readonly number[], cp: number): boolean {
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    if (cp >= ranges[i]! && cp <= ranges[i + 1]!) return true;
  }
  return false;
}

function caseVariants(cp: number): [number, number] {
  if (cp >= 65 && cp <= 90) return [cp + 32, cp];
  if (cp >= 97 && cp <= 122) return [cp, cp - 32];
  if (cp < 128) return [cp, cp];
  const ch = String.fromCodePoint(cp);
  return [ch.toLowerCase().codePointAt(0) ?? cp, ch.toUpperCase().codePointAt(0) ?? cp];
}

function matchesSet(set: CharSet, cp: number, lower: number, upper: number): boolean {
  const hit =
    inRanges(set.ranges, cp) ||
    (set.fold &&
      ((lower !== cp && inRanges(set.ranges, lower)) || (upper !== cp && inRanges(set.ranges, upper))));
  return hit !== set.negated;
}

function run(program: readonly Instruction[], pattern: string, input: string): boolean {
  if (input.length > LIMITS.maxRegexInput) {
    throw new RegexError(
      `matches: the text is ${input.length} characters long; the limit is ${LIMITS.maxRegexInput}`,
    );
  }
  const text = Array.from(input, (ch) => ch.codePointAt(0)!);
  const n = text.length;
  if (n * program.length > LIMITS.maxRegexWork) {
    throw new RegexError(
      `matches: the regular expression ${JSON.stringify(pattern)} is too complex for a text of ${n} characters`,
    );
  }
  const seen = new Int32Array(program.length).fill(-1);
  let current = new Int32Array(program.length);
  let next = new Int32Array(program.length);
  let currentCount = 0;
  let nextCount = 0;
  const stack: number[] = [];

  const holds = (kind: AssertKind, pos: number): boolean => {
    const before = pos > 0 ? text[pos - 1]! : -1;
    const after = pos < n ? text[pos]! : -1;
    switch (kind) {
      case 'bot':
        return pos === 0;
      case 'eot':
        return pos === n;
      case 'bol':
        return pos === 0 || before === 10;
      case 'eol':
        return pos === n || after === 10;
      case 'word':
        return isWord(before) !== isWord(after);
      case 'nonword':
        return isWord(before) === isWord(after);
    }
  };

  /** Adds the threads reachable from `pc` without consuming input; true when one of them matches. */
  const add = (list: Int32Array, count: number, pc: number, pos: number): [number, boolean] => {
    let size = count;
    stack.push(pc);
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen[at] === pos) continue;
      seen[at] = pos;
      const instruction = program[at]!;
      switch (instruction.op) {
        case MATCH:
          stack.length = 0;
          return [size, true];
        case JMP:
          stack.push(instruction.x);
          break;
        case SPLIT:
          stack.push(instruction.y, instruction.x);
          break;
        case ASSERT:
          if (holds(instruction.assert!, pos)) stack.push(at + 1);
          break;
        default:
          list[size++] = at;
      }
    }
    return [size, false];
  };

  let matched: boolean;
  [currentCount, matched] = add(current, 0, 0, 0);
  for (let pos = 0; !matched && pos < n; pos++) {
    const cp = text[pos]!;
    const [lower, upper] = caseVariants(cp);
    nextCount = 0;
    for (let i = 0; i < currentCount && !matched; i++) {
      const at = current[i]!;
      if (matchesSet(program[at]!.set!, cp, lower, upper))
        [nextCount, matched] = add(next, nextCount, at + 1, pos + 1);
    }
    if (!matched) [nextCount, matched] = add(next, nextCount, 0, pos + 1); // unanchored: start again here
    [current, next] = [next, current];
    currentCount = nextCount;
  }
  return matched;
}
