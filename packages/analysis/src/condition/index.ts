/**
 * The analysis condition language: the subset of expr-lang (github.com/expr-lang/expr) that Argo
 * Rollouts' `successCondition` / `failureCondition` use, evaluated safely. See docs/analysis.md (the condition language).
 *
 *   const condition = compileCondition('len(result) == 0 || result[0] < 0.05'); // parse once
 *   condition.evaluate({ result: [0.01] }); // true; evaluate many times
 */
import type { Node } from './ast';
import { EvalFailure, evaluateError, parseError } from './errors';
import { evaluateTree } from './evaluator';
import { parseTree } from './grammar';
import { LIMITS } from './limits';
import { normalize } from './normalize';
import { checkResult, describe } from './values';

export { ConditionError, type ConditionErrorKind } from './errors';
export { LIMITS as CONDITION_LIMITS } from './limits';

export interface CompiledCondition {
  readonly source: string;
  /**
   * Evaluates the condition with the given variables (normally `{ result }`); only own properties of
   * `env` are visible. Returns the boolean outcome; throws ConditionError (kind 'evaluate').
   */
  evaluate(env: Record<string, unknown>): boolean;
}

/** Parses and checks a condition; throws ConditionError (kind 'parse'). */
export function compileCondition(source: string): CompiledCondition {
  const tree = compileTree(source);
  return Object.freeze({
    source,
    evaluate(env: Record<string, unknown>): boolean {
      const value = evaluateTree(tree, source, env);
      if (typeof value !== 'boolean') {
        throw evaluateError(source, `condition must evaluate to true or false, got ${describe(value)}`);
      }
      return value;
    },
  });
}

/**
 * Parses and evaluates any expression, returning its value (plain data: nil is `null`). For tests and
 * tools; throws ConditionError of kind 'parse' or 'evaluate'.
 */
export function evaluateExpression(source: string, env: Record<string, unknown>): unknown {
  const value = evaluateTree(compileTree(source), source, env);
  try {
    checkResult(value);
  } catch (error) {
    if (error instanceof EvalFailure) throw evaluateError(source, error.reason);
    throw error;
  }
  return value ?? null;
}

function compileTree(source: unknown): Node {
  if (typeof source !== 'string') throw parseError('', `a condition must be a string, got ${typeof source}`);
  if (source.length > LIMITS.maxSourceLength) {
    throw parseError(
      source,
      `the expression is ${source.length} characters long; the limit is ${LIMITS.maxSourceLength}`,
    );
  }
  if (source.trim() === '') throw parseError(source, 'the expression is empty');
  checkNesting(source);
  return normalize(parseTree(source), source);
}

/** Refuses deeply nested brackets before the (recursive) parser sees them. */
function checkNesting(source: string): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source.charAt(i);
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || ch === '\n') quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      if (++depth > LIMITS.maxNesting) {
        throw parseError(source, `expression is nested more than ${LIMITS.maxNesting} levels deep`, i);
      }
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
}
