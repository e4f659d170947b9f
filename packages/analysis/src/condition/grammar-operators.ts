/**
 * The operator grammar, as jsep's `gobble-expression` hook: precedence climbing with expr-lang's table
 * (word operators, `not in`, chained comparisons, `??` that cannot mix, right-associative `**`), then
 * `a ? b : c`. What may follow is checked: nothing at the top level (so `a; b` or `result = 1` fail),
 * a separator or a closing bracket elsewhere.
 */
import { parseError } from './errors';
import {
  BINARY_PRECEDENCE,
  COMPARISON_PRECEDENCE,
  isIdentifierStart,
  RIGHT_ASSOCIATIVE,
  type ScannedOperator,
  scanOperator,
  scanWord,
} from './lexer';
import { LIMITS } from './limits';
import { current, type HookEnv, make, type Scope, startOf, type Tree, tooDeep } from './parse-state';

/** Parses operands and binary operators of at least `minPrecedence` (expr-lang's parseExpression). */
export function climb(scope: Scope, minPrecedence: number): Tree | undefined {
  const s = current();
  if (++s.climbDepth > LIMITS.maxNesting) tooDeep(scope, scope.index);
  try {
    const left = scope.gobbleToken();
    return left ? climbFrom(scope, left, minPrecedence) : undefined;
  } finally {
    s.climbDepth--;
  }
}

function nextOperator(scope: Scope, minPrecedence: number): { op: ScannedOperator; at: number } | undefined {
  const before = scope.index;
  scope.gobbleSpaces();
  const at = scope.index;
  const op = scanOperator(scope.expr, at);
  if (!op || (BINARY_PRECEDENCE[op.op] ?? 0) < minPrecedence) {
    scope.index = before;
    return undefined;
  }
  scope.index = op.end;
  return { op, at };
}

function climbFrom(scope: Scope, first: Tree, minPrecedence: number): Tree {
  let left = first;
  let previous = '';
  for (;;) {
    const next = nextOperator(scope, minPrecedence);
    if (!next) return left;
    const { op, at } = next;
    if (previous === '??' && op.op !== '??') {
      throw parseError(scope.expr, `${op.text} and ?? cannot be mixed without parentheses`, at);
    }
    const precedence = BINARY_PRECEDENCE[op.op]!;
    if (precedence === COMPARISON_PRECEDENCE) {
      left = comparisons(scope, left, op, at);
    } else {
      const right = climb(scope, RIGHT_ASSOCIATIVE.has(op.op) ? precedence : precedence + 1);
      if (!right) throw parseError(scope.expr, `expected an expression after ${op.text}`, scope.index);
      left = make('BinaryExpression', startOf(left, at), { operator: op.op, negate: false, left, right, at });
    }
    previous = op.op;
  }
}

/** `a < b`, or a chain `a < b <= c` (meaning `a < b && b <= c`), as in expr-lang. */
function comparisons(scope: Scope, left: Tree, firstOp: ScannedOperator, firstAt: number): Tree {
  const links: Tree[] = [];
  let op: ScannedOperator = firstOp;
  let at = firstAt;
  for (;;) {
    const operand = climb(scope, COMPARISON_PRECEDENCE + 1);
    if (!operand) throw parseError(scope.expr, `expected an expression after ${op.text}`, scope.index);
    links.push(make('Link', at, { operator: op.op, negate: op.negate, operand }));
    // The operand took every tighter operator, so what follows (if anything of this precedence) is a comparison.
    const next = nextOperator(scope, COMPARISON_PRECEDENCE);
    if (!next) break;
    ({ op, at } = next);
  }
  const [only] = links;
  if (links.length === 1 && only) {
    return make('BinaryExpression', startOf(left, firstAt), {
      operator: only.operator as string,
      negate: only.negate as boolean,
      left,
      right: only.operand as Tree,
      at: firstAt,
    });
  }
  return make('CompareChain', startOf(left, firstAt), { first: left, links });
}

/** `test ? a : b` after a complete binary expression (expr-lang's parseConditional). */
function conditional(scope: Scope, test: Tree): Tree {
  const before = scope.index;
  scope.gobbleSpaces();
  if (scope.expr.charAt(scope.index) !== '?') {
    scope.index = before;
    return test;
  }
  const at = scope.index++;
  scope.gobbleSpaces();
  if (scope.expr.charAt(scope.index) === ':') {
    throw parseError(scope.expr, 'the ?: operator is not supported; use a ? b : c, or a ?? b for nil', at);
  }
  const consequent = scope.gobbleExpression();
  if (!consequent) throw parseError(scope.expr, 'expected an expression after ?', scope.index);
  scope.gobbleSpaces();
  if (scope.expr.charAt(scope.index) !== ':') {
    throw parseError(scope.expr, 'expected : (in a ? b : c)', scope.index);
  }
  scope.index++;
  const alternate = scope.gobbleExpression();
  if (!alternate) throw parseError(scope.expr, 'expected an expression after :', scope.index);
  return make('ConditionalExpression', startOf(test, at), { test, consequent, alternate });
}

function unexpected(scope: Scope): never {
  const src = scope.expr;
  const at = scope.index;
  const ch = src.charAt(at);
  if (ch === ';') throw parseError(src, 'unexpected ";": a condition is a single expression', at);
  if (isIdentifierStart(src.charCodeAt(at))) {
    throw parseError(src, `unexpected name "${scanWord(src, at)}"; is an operator missing?`, at);
  }
  if (/[0-9"'#[{(]/.test(ch))
    throw parseError(src, `unexpected "${ch}"; is an operator or a comma missing?`, at);
  if (')]}'.includes(ch)) throw parseError(src, `unexpected "${ch}": nothing to close`, at);
  throw parseError(src, `unexpected "${ch}"`, at);
}

export function gobbleExpression(this: Scope, env: HookEnv): void {
  const s = current();
  if (++s.exprDepth > LIMITS.maxNesting) tooDeep(this, this.index);
  try {
    const tree = climb(this, 0);
    if (!tree) return;
    env.node = conditional(this, tree);
    // Only a separator or a closing bracket may follow a nested expression, and nothing a whole one.
    // (jsep alone would also accept `f(a b)` or `(a; b)`.)
    this.gobbleSpaces();
    if (this.index < this.expr.length) {
      const topLevel = s.exprDepth === 1 && s.starts.length === 0;
      if (topLevel || !',)]}:'.includes(this.expr.charAt(this.index))) unexpected(this);
    }
  } finally {
    s.exprDepth--;
  }
}
