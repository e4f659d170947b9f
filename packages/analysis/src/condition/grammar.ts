/**
 * expr-lang's grammar on top of jsep.
 *
 * jsep keeps its configuration (operators, literals, hooks) in static fields of one global class, shared
 * by everything in the process that imports jsep. Rather than registering operators and plugins on
 * it, this module owns a complete private configuration and installs it only for the duration of one
 * synchronous `parseTree` call, restoring whatever was there before. Nothing leaks in either
 * direction: our parse sees none of another module's plugins, and theirs see none of our operators.
 *
 * Division of labour: jsep reads identifiers, member access (`a.b`, `a[i]`, `a?.b`), calls, array
 * literals and parentheses. Our hooks (grammar-operators.ts, grammar-tokens.ts) replace the rest:
 * - `gobble-expression`: the whole operator grammar, by precedence climbing with expr-lang's table
 *   (word operators, `not in`, chained comparisons, `??`, right-associative `**`), then `a ? b : c`.
 *   At the top level it also insists the expression ends there, so `a; b` or `result = 1` fail.
 * - `gobble-token`: number and string literals (Go syntax), unary operators with expr-lang precedence,
 *   `#`/`#index` and `.field` (closure pointers), `{...}` (a predicate closure, or a map literal when it
 *   starts with `key:`), and clear refusals of backticks and regex literals.
 * - `after-token`: records where each token started, for error messages; bounds nesting depth.
 * - `gobble-spaces`: Unicode white space and comments.
 * jsep's own operator tables stay empty, so it cannot produce anything else (no `this`, no `null`).
 */
import jsep from 'jsep';
import { ConditionError, parseError } from './errors';
import { gobbleExpression } from './grammar-operators';
import { afterToken, gobbleSpaces, gobbleToken } from './grammar-tokens';
import { isIdentifierPart, isIdentifierStart } from './lexer';
import { beginParse, endParse, type HookEnv, type Scope, type Tree } from './parse-state';

type Hook = (this: Scope, env: HookEnv) => void;
const HOOK_LISTS: ReadonlyMap<string, readonly Hook[]> = new Map([
  ['gobble-expression', [gobbleExpression]],
  ['gobble-token', [gobbleToken]],
  ['after-token', [afterToken]],
  ['gobble-spaces', [gobbleSpaces]],
]);

/** Stands in for jsep's `Hooks` instance: jsep reads `hooks[name]` (a list) and calls `hooks.run`. */
const HOOKS = Object.freeze({
  ...Object.fromEntries(HOOK_LISTS),
  add(): void {
    throw new Error('the condition grammar cannot be extended');
  },
  run(name: string, env: { context?: Scope } & HookEnv): void {
    for (const hook of HOOK_LISTS.get(name) ?? []) hook.call(env.context as Scope, env);
  },
});

const GRAMMAR: Readonly<Record<string, unknown>> = Object.freeze({
  hooks: HOOKS,
  unary_ops: Object.freeze({}),
  binary_ops: Object.freeze({}),
  max_unop_len: 0,
  max_binop_len: 0,
  right_associative: new Set<string>(),
  additional_identifier_chars: new Set(['$', '_']),
  literals: Object.freeze({ true: true, false: false, nil: null }),
  this_str: '', // no identifier is empty, so jsep never produces a ThisExpression
  // jsep takes every non-ASCII character for part of a name; expr-lang only letters and digits.
  isIdentifierStart,
  isIdentifierPart,
});

function jsepClass(): object {
  const cls: unknown = Reflect.get(jsep, 'Jsep');
  const ok = typeof cls === 'function' && Object.keys(GRAMMAR).every((key) => Reflect.has(cls, key));
  if (!ok)
    throw new Error('unsupported jsep version: expected jsep 1.x with static configuration on jsep.Jsep');
  return cls;
}

const JSEP = jsepClass();

/** Parses `source` with the expr-lang grammar; throws ConditionError (parse). */
export function parseTree(source: string): Tree {
  beginParse();
  const saved = Object.keys(GRAMMAR).map((key) => [key, Reflect.get(JSEP, key)] as const);
  try {
    for (const [key, value] of Object.entries(GRAMMAR)) Reflect.set(JSEP, key, value);
    return jsep(source);
  } catch (error) {
    throw asParseError(source, error);
  } finally {
    for (const [key, value] of saved) Reflect.set(JSEP, key, value);
    endParse();
  }
}

function asParseError(source: string, error: unknown): ConditionError {
  if (error instanceof ConditionError) return error;
  if (error instanceof RangeError) return parseError(source, 'expression is nested too deeply');
  if (error instanceof Error) {
    const index: unknown = Reflect.get(error, 'index');
    const description: unknown = Reflect.get(error, 'description');
    if (typeof index === 'number' && typeof description === 'string') {
      const reason =
        index >= source.length && description.startsWith('Unexpected')
          ? 'unexpected end of expression'
          : description.charAt(0).toLowerCase() + description.slice(1);
      return parseError(source, reason, index);
    }
  }
  return parseError(source, `could not parse the expression (${String(error)})`);
}
