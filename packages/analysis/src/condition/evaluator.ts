/**
 * Evaluates a checked syntax tree against an environment of plain data. A tree walk over our own node
 * types: no JavaScript is generated or run, names resolve only to own data properties of the
 * environment, member access only reads own data properties of arrays and plain objects, and calls
 * only reach the built-ins. Work is bounded by a step budget.
 */
import type { CallNode, MemberNode, Node } from './ast';
import { ConditionError, EvalFailure, evaluateError } from './errors';
import { BUILTINS, callBuiltin, type Predicate } from './functions';
import { LIMITS } from './limits';
import { arithmetic, compare, unary } from './operators';
import {
  accept,
  createMap,
  describe,
  elementAt,
  FORBIDDEN_KEYS,
  formatNumber,
  isArray,
  isMap,
  isNil,
  ownData,
  tick,
  typeName,
} from './values';

interface Frame {
  readonly element: unknown;
  readonly index: number;
}

interface Context {
  readonly env: Readonly<Record<string, unknown>>;
  readonly frames: Frame[];
  steps: number;
  /** Characters produced by string concatenation so far. */
  built: number;
}

/** Marks a `?.` chain that met nil: the whole chain is nil. */
const SHORT_CIRCUIT = Symbol('short-circuit');

/** Evaluates `root`; every failure becomes a ConditionError of kind 'evaluate'. */
export function evaluateTree(root: Node, source: string, env: Readonly<Record<string, unknown>>): unknown {
  if (!isMap(env)) {
    throw evaluateError(source, `the environment must be a plain object of variables, got ${describe(env)}`);
  }
  try {
    return evaluate(root, { env, frames: [], steps: 0, built: 0 });
  } catch (error) {
    if (error instanceof ConditionError) throw error;
    if (error instanceof EvalFailure) throw evaluateError(source, error.reason, error.pos);
    if (error instanceof RangeError) throw evaluateError(source, 'the expression is too complex to evaluate');
    throw evaluateError(
      source,
      `evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function failAt(node: Node, reason: string): never {
  throw new EvalFailure(reason, node.pos);
}

function evaluate(node: Node, ctx: Context): unknown {
  try {
    tick(ctx);
    return evaluateNode(node, ctx);
  } catch (error) {
    if (error instanceof EvalFailure && error.pos === undefined) error.pos = node.pos;
    throw error;
  }
}

function evaluateNode(node: Node, ctx: Context): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name':
      return lookup(node.name, ctx);
    case 'pointer': {
      const frame = ctx.frames[ctx.frames.length - 1];
      if (!frame) return failAt(node, '# used outside a predicate');
      return node.name === 'index' ? frame.index : frame.element;
    }
    case 'member': {
      const value = chain(node, ctx);
      return value === SHORT_CIRCUIT ? null : value;
    }
    case 'unary':
      return unary(node.op, evaluate(node.operand, ctx));
    case 'binary':
      switch (node.op) {
        case '&&':
        case '||': {
          const left = bool(node.op, 'left', evaluate(node.left, ctx));
          if (left === (node.op === '||')) return left;
          return bool(node.op, 'right', evaluate(node.right, ctx));
        }
        case '??': {
          const left = evaluate(node.left, ctx);
          return isNil(left) ? evaluate(node.right, ctx) : left;
        }
        case '+': {
          const value = arithmetic('+', evaluate(node.left, ctx), evaluate(node.right, ctx));
          if (typeof value === 'string') {
            ctx.built += value.length;
            if (ctx.built > LIMITS.maxStringTotal) {
              failAt(node, `string concatenations produced more than ${LIMITS.maxStringTotal} characters`);
            }
          }
          return value;
        }
        case '-':
        case '*':
        case '/':
        case '%':
        case '**':
          return arithmetic(node.op, evaluate(node.left, ctx), evaluate(node.right, ctx));
        default: {
          const result = compare(
            node.op,
            evaluate(node.left, ctx),
            evaluate(node.right, ctx),
            ctx,
            node.regex,
          );
          return result !== node.negate;
        }
      }
    case 'chain': {
      let left = evaluate(node.first, ctx);
      for (const link of node.links) {
        const right = evaluate(link.operand, ctx);
        if (compare(link.op, left, right, ctx, link.regex) === link.negate) return false;
        left = right;
      }
      return true;
    }
    case 'conditional': {
      const test = evaluate(node.test, ctx);
      if (typeof test !== 'boolean')
        failAt(node, `the condition of ?: must be true or false, got ${describe(test)}`);
      return evaluate(test ? node.consequent : node.alternate, ctx);
    }
    case 'array':
      return node.elements.map((element) => evaluate(element, ctx));
    case 'map':
      return createMap(node.entries.map(({ key, value }) => [key, evaluate(value, ctx)] as const));
    case 'call':
      return call(node, ctx);
  }
}

function bool(op: string, side: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new EvalFailure(`the ${side} side of ${op} must be true or false, got ${describe(value)}`);
  }
  return value;
}

function lookup(name: string, ctx: Context): unknown {
  const found = ownData(ctx.env, name, `variable ${name}`);
  if (found) return found.value;
  if (BUILTINS.has(name))
    throw new EvalFailure(`${name} is a function; call it: ${BUILTINS.get(name)!.usage}`);
  const names = Object.keys(ctx.env).filter((key) => !FORBIDDEN_KEYS.has(key));
  const available =
    names.length === 0 ? 'no variables are defined' : `available: ${names.slice(0, 20).join(', ')}`;
  const hint = name === 'null' || name === 'undefined' ? ' (nil is written nil)' : '';
  throw new EvalFailure(`unknown name ${name}${hint}; ${available}`);
}

function keyText(key: unknown): string {
  return typeof key === 'string'
    ? JSON.stringify(key)
    : typeof key === 'number'
      ? formatNumber(key)
      : describe(key);
}

/** Evaluates a member chain; `a?.b.c` stops at the first nil met by `?.`. */
function chain(node: MemberNode, ctx: Context): unknown {
  const object = node.object.kind === 'member' ? chain(node.object, ctx) : evaluate(node.object, ctx);
  if (object === SHORT_CIRCUIT || (node.optional && isNil(object))) return SHORT_CIRCUIT;
  return fetch(object, evaluate(node.property, ctx), node);
}

/** expr-lang's Fetch: array index (negative counts from the end), map key (missing is nil). */
function fetch(object: unknown, key: unknown, node: MemberNode): unknown {
  if (isNil(object)) failAt(node, `cannot fetch ${keyText(key)} from nil (use ?. to allow nil)`);
  if (isArray(object)) {
    if (typeof key !== 'number' || Number.isNaN(key)) {
      failAt(node, `cannot fetch ${keyText(key)} from an array: array indexes are numbers`);
    }
    const wanted = Math.trunc(key);
    const index = wanted < 0 ? object.length + wanted : wanted;
    if (index < 0 || index >= object.length) {
      failAt(node, `index out of range: ${formatNumber(wanted)} (array length is ${object.length})`);
    }
    return elementAt(object, index);
  }
  if (isMap(object)) {
    if (typeof key !== 'string')
      failAt(node, `cannot fetch ${keyText(key)} from a map: map keys are strings`);
    if (FORBIDDEN_KEYS.has(key)) failAt(node, `"${key}" is a reserved name and cannot be used`);
    return ownData(object, key, `key ${JSON.stringify(key)}`)?.value ?? null;
  }
  return failAt(node, `cannot fetch ${keyText(key)} from ${typeName(object)}`);
}

function call(node: CallNode, ctx: Context): unknown {
  const args = node.args.map((arg) => evaluate(arg, ctx));
  const body = node.predicate;
  let predicate: Predicate | undefined;
  if (body) {
    predicate = (element, index) => {
      ctx.frames.push({ element: accept(element, 'an array'), index });
      try {
        return evaluate(body, ctx);
      } finally {
        ctx.frames.pop();
      }
    };
  }
  return callBuiltin(node.name, args, ctx, predicate);
}
