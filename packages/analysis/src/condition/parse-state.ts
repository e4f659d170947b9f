/**
 * Per-parse state shared by the grammar hooks (jsep calls hooks with its own `this`, so the state of the
 * one parse in progress lives here), plus small helpers for building jsep nodes.
 */
import type jsep from 'jsep';
import { parseError } from './errors';
import { LIMITS } from './limits';

export type Scope = jsep.HookScope;
export type Tree = jsep.Expression;
export type HookEnv = { node?: Tree };

export interface ParseState {
  /** Start offsets of the tokens being read, innermost last. */
  readonly starts: number[];
  /** Nested `gobble-expression` calls (groups, arguments, ternary branches, closures). */
  exprDepth: number;
  /** Nested precedence-climbing calls (right operands of `**`, operands of unary operators). */
  climbDepth: number;
}

let state: ParseState | undefined;

export function beginParse(): void {
  if (state) throw new Error('parseTree is not re-entrant');
  state = { starts: [], exprDepth: 0, climbDepth: 0 };
}

export function endParse(): void {
  state = undefined;
}

export function current(): ParseState {
  if (!state) throw new Error('condition grammar hook called outside parseTree');
  return state;
}

export function tooDeep(scope: Scope, at: number): never {
  throw parseError(scope.expr, `expression is nested more than ${LIMITS.maxNesting} levels deep`, at);
}

export function make(type: string, start: number, fields: Record<string, jsep.Expression[string]>): Tree {
  return { type, start, ...fields };
}

export function startOf(tree: Tree, fallback: number): number {
  return typeof tree.start === 'number' ? tree.start : fallback;
}
