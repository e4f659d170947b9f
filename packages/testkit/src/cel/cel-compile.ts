/**
 * Compiling one CEL expression of a CRD (a rule or a messageExpression) as the API server does when the CRD
 * is written: parse, static checks (cel-check.ts), constant regular expressions, the result type; then a
 * program planned in the validation environment, with a cost tick around each comprehension's condition
 * (cel-cost.ts). Errors are worded as cel-go's (`ERROR: <input>:1:6: undeclared reference to 'x' ...`).
 */
import { type CelResult, type CelValue, celError, parse, plan } from '@bufbuild/cel';
import {
  ConstantSchema,
  type Expr,
  ExprSchema,
  type ParsedExpr,
} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { create } from '@bufbuild/protobuf';
import { Checker, type CheckIssue, staticTypeName } from './cel-check';
import { type CostMeter, charge, metered, TICK_FUNCTION } from './cel-cost';
import { validationEnv, validationFunctions } from './cel-env';
import { re2 } from './cel-functions';
import type { CelTypeInfo } from './cel-types';
import { childExprs } from './expr-children';

export interface CompileOptions {
  self: CelTypeInfo | undefined;
  optionalOldSelf: boolean;
  /** What the expression must evaluate to: a rule a bool, a messageExpression a string. */
  expect: 'bool' | 'string';
}

export interface CompiledExpression {
  source: string;
  usesOldSelf: boolean;
  /** Runs the program; errors are values, never thrown. */
  evaluate(bindings: Record<string, CelValue>, meter: CostMeter): CelResult;
}

export type CompileOutcome =
  | { ok: true; compiled: CompiledExpression }
  | { ok: false; message: string; stage: 'compilation' | 'instantiation' | 'type' };

interface SyntaxError {
  rawMessage?: string;
  location?: { start?: { offset?: number } };
}

function lineAndColumn(source: string, offset: number): { line: number; column: number; text: string } {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const line = before.split('\n').length;
  const start = before.lastIndexOf('\n') + 1;
  const end = source.indexOf('\n', start);
  return { line, column: offset - start, text: source.slice(start, end < 0 ? undefined : end) };
}

/** One error as cel-go's `Errors.ToDisplayString` writes it. */
function displayError(source: string, offset: number, message: string): string {
  const { line, column, text } = lineAndColumn(source, offset);
  const snippet = text.replace(/\t/g, ' ');
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${snippet}\n | ${'.'.repeat(Math.min(column, snippet.length))}^`;
}

function offsetOf(source: string, parsed: ParsedExpr, issue: CheckIssue): number {
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
  const at = positions[String(issue.exprId)] ?? 0;
  const paren = issue.call ? source.indexOf('(', at) : -1;
  return paren >= 0 ? paren : at;
}

function nodeCount(expr: Expr | undefined): number {
  if (!expr) return 0;
  return childExprs(expr).reduce((n, child) => n + nodeCount(child), 1);
}

/** Wraps every comprehension's loop condition in `@ramp.cost(condition, cost of one iteration)`. */
function instrument(expr: Expr | undefined, nextId: () => bigint): void {
  if (!expr) return;
  for (const child of childExprs(expr)) instrument(child, nextId);
  const k = expr.exprKind;
  if (k.case !== 'comprehensionExpr') return;
  const c = k.value;
  const condition = c.loopCondition;
  if (!condition) return;
  const cost = BigInt(1 + nodeCount(condition) + nodeCount(c.loopStep));
  const costConstant = create(ExprSchema, {
    id: nextId(),
    exprKind: {
      case: 'constExpr',
      value: create(ConstantSchema, { constantKind: { case: 'int64Value', value: cost } }),
    },
  });
  c.loopCondition = create(ExprSchema, {
    id: nextId(),
    exprKind: {
      case: 'callExpr',
      value: { function: TICK_FUNCTION, args: [condition, costConstant] },
    },
  });
}

function maxId(expr: Expr | undefined): bigint {
  if (!expr) return 0n;
  let max = expr.id;
  for (const child of childExprs(expr)) {
    const m = maxId(child);
    if (m > max) max = m;
  }
  return max;
}

/**
 * Constant patterns of matches/find/findAll that RE2 refuses (cel-go compiles them when planning).
 * The entries of map and message literals are not searched: a bad pattern there fails when evaluated.
 */
function badRegex(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  const k = expr.exprKind;
  if (k.case === 'structExpr') return undefined;
  if (k.case === 'callExpr') {
    const args = k.value.target ? k.value.args : k.value.args.slice(1);
    const pattern = args[0]?.exprKind;
    if (
      ['matches', 'find', 'findAll'].includes(k.value.function) &&
      pattern?.case === 'constExpr' &&
      pattern.value.constantKind.case === 'stringValue'
    ) {
      try {
        re2(pattern.value.constantKind.value);
      } catch (err) {
        return (err as Error).message;
      }
    }
  }
  for (const child of childExprs(expr)) {
    const found = badRegex(child);
    if (found) return found;
  }
  return undefined;
}

function parseExpression(source: string): ParsedExpr | { error: string } {
  try {
    return parse(source);
  } catch (err) {
    const e = err as Error & SyntaxError;
    const offset = e.location?.start?.offset ?? 0;
    return { error: displayError(source, offset, `Syntax error: ${e.rawMessage ?? e.message}`) };
  }
}

/** A cache of at most `limit` entries (cleared when full): the same rules recur across nodes and CRDs. */
class BoundedCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string, make: () => T): T {
    let value = this.entries.get(key);
    if (value === undefined) {
      value = make();
      if (this.entries.size >= this.limit) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }
}

type Planned =
  | { program: (bindings: Record<string, CelValue>) => CelResult; baseCost: number }
  | { error: string };

/** Parsed expressions for the static checks (never mutated). */
const parsedCache = new BoundedCache<ParsedExpr | { error: string }>(4000);
/** Programs, planned from a second parse that the cost ticks are added to. */
const plannedCache = new BoundedCache<Planned>(4000);

function planned(source: string): Planned {
  return plannedCache.get(source, () => {
    const parsed = parseExpression(source);
    if ('error' in parsed) return parsed;
    const root = parsed.expr;
    let id = maxId(root);
    instrument(root, () => ++id);
    try {
      return { program: plan(validationEnv(), parsed), baseCost: nodeCount(root) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  });
}

/** Compiles a rule or messageExpression; never throws. */
export function compileExpression(source: string, options: CompileOptions): CompileOutcome {
  const parsed = parsedCache.get(source, () => parseExpression(source));
  if ('error' in parsed) return { ok: false, message: parsed.error, stage: 'compilation' };
  const root = parsed.expr;
  if (!root)
    return {
      ok: false,
      message: displayError(source, 0, 'Syntax error: empty expression'),
      stage: 'compilation',
    };
  let checked: ReturnType<Checker['check']>;
  try {
    checked = new Checker(validationFunctions(), options).check(root);
  } catch (err) {
    return { ok: false, message: displayError(source, 0, (err as Error).message), stage: 'compilation' };
  }
  if (checked.issues.length > 0) {
    const message = checked.issues
      .map((i) => displayError(source, offsetOf(source, parsed, i), i.message))
      .join('\n');
    return { ok: false, message, stage: 'compilation' };
  }
  const t = checked.type.kind;
  if (t !== 'dyn' && t !== options.expect) {
    return { ok: false, message: staticTypeName(checked.type), stage: 'type' };
  }
  const regexError = badRegex(root);
  if (regexError) return { ok: false, message: regexError, stage: 'instantiation' };
  const prepared = planned(source);
  if ('error' in prepared) return { ok: false, message: prepared.error, stage: 'instantiation' };
  const { program, baseCost } = prepared;
  return {
    ok: true,
    compiled: {
      source,
      usesOldSelf: checked.usesOldSelf,
      evaluate(bindings, meter) {
        return metered(meter, () => {
          try {
            charge(baseCost);
            return program(bindings);
          } catch (err) {
            return celError(err);
          }
        });
      },
    },
  };
}
