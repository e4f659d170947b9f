/**
 * Turns jsep's tree (with our grammar's extra node types) into the checked `Node` tree: only known
 * syntax, only built-in functions with the right number of arguments, `#` only inside predicates,
 * no reserved property names, bounded depth, and `matches` patterns compiled once up front.
 */
import type jsep from 'jsep';
import type { BinaryOperator, ChainLink, ComparisonOperator, Literal, Node, UnaryOperator } from './ast';
import { parseError } from './errors';
import { BUILTINS, builtinNames, PREDICATE_FUNCTIONS } from './functions';
import { LIMITS } from './limits';
import { compileRegex, RegexError } from './regex';
import { FORBIDDEN_KEYS } from './values';

type Tree = jsep.Expression;

interface Context {
  readonly source: string;
  readonly depth: number;
  readonly closures: number;
  readonly pos: number | undefined;
}

const BINARY_OPERATORS: ReadonlySet<string> = new Set<BinaryOperator>([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  '||',
  '&&',
  '??',
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
]);
const UNARY_OPERATORS: ReadonlyMap<string, UnaryOperator> = new Map([
  ['-', '-'],
  ['+', '+'],
  ['!', 'not'],
  ['not', 'not'],
]);

export function normalize(tree: Tree, source: string): Node {
  return visit(tree, { source, depth: 0, closures: 0, pos: undefined });
}

function fail(ctx: Context, reason: string, pos?: number): never {
  throw parseError(ctx.source, reason, pos ?? ctx.pos);
}

function child(ctx: Context, tree: Tree, key: string): Tree {
  const value = tree[key];
  if (!isTree(value)) fail(ctx, `malformed syntax tree: ${tree.type}.${key}`);
  return value;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string';
}

function text(ctx: Context, tree: Tree, key: string): string {
  const value = tree[key];
  if (typeof value !== 'string') fail(ctx, `malformed syntax tree: ${tree.type}.${key}`);
  return value;
}

function list(ctx: Context, tree: Tree, key: string): readonly unknown[] {
  const value = tree[key];
  if (!Array.isArray(value)) fail(ctx, `malformed syntax tree: ${tree.type}.${key}`);
  return value;
}

function positionOf(tree: unknown): number | undefined {
  const start = isTree(tree) ? tree.start : undefined;
  return typeof start === 'number' ? start : undefined;
}

function checkKey(ctx: Context, key: string, pos: number | undefined): void {
  if (FORBIDDEN_KEYS.has(key)) fail(ctx, `"${key}" is a reserved name and cannot be used`, pos);
}

function visit(tree: Tree, parent: Context): Node {
  const pos = positionOf(tree) ?? parent.pos;
  const ctx: Context = { ...parent, depth: parent.depth + 1, pos };
  if (ctx.depth > LIMITS.maxTreeDepth) {
    fail(ctx, `expression is too deeply nested (more than ${LIMITS.maxTreeDepth} levels)`);
  }
  switch (tree.type) {
    case 'Literal':
      return { kind: 'literal', value: literal(ctx, tree.value), pos };
    case 'Identifier': {
      const name = text(ctx, tree, 'name');
      checkKey(ctx, name, pos);
      return { kind: 'name', name, pos };
    }
    case 'Pointer':
      return pointer(ctx, text(ctx, tree, 'name'));
    case 'MemberExpression':
      return member(ctx, tree);
    case 'CallExpression':
      return call(ctx, tree);
    case 'UnaryExpression': {
      const op = UNARY_OPERATORS.get(text(ctx, tree, 'operator'));
      if (!op) fail(ctx, `unsupported operator ${String(tree.operator)}`);
      return { kind: 'unary', op, operand: visit(child(ctx, tree, 'argument'), ctx), pos };
    }
    case 'BinaryExpression':
      return binary(ctx, tree);
    case 'CompareChain':
      return chain(ctx, tree);
    case 'ConditionalExpression':
      return {
        kind: 'conditional',
        test: visit(child(ctx, tree, 'test'), ctx),
        consequent: visit(child(ctx, tree, 'consequent'), ctx),
        alternate: visit(child(ctx, tree, 'alternate'), ctx),
        pos,
      };
    case 'ArrayExpression': {
      const elements = list(ctx, tree, 'elements').map((element) => {
        if (!isTree(element)) fail(ctx, 'empty element in array literal');
        return visit(element, ctx);
      });
      return { kind: 'array', elements, pos };
    }
    case 'MapLiteral':
      return map(ctx, tree);
    case 'Closure':
      return fail(ctx, `a predicate { ... } is only allowed as the second argument of ${predicateList()}`);
    case 'Compound':
    case 'SequenceExpression': {
      const parts = list(ctx, tree, tree.type === 'Compound' ? 'body' : 'expressions');
      if (parts.length === 0) fail(ctx, 'the expression is empty');
      return fail(
        ctx,
        'unexpected second expression: a condition is a single expression',
        positionOf(parts[1]),
      );
    }
    default:
      return fail(ctx, `unsupported syntax (${tree.type})`);
  }
}

function literal(ctx: Context, value: unknown): Literal {
  if (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'string'
  ) {
    return value;
  }
  return fail(ctx, 'unsupported literal');
}

function pointer(ctx: Context, name: string): Node {
  if (ctx.closures === 0) {
    fail(ctx, `#${name} and .field can only be used inside a predicate, e.g. all(result, {# > 0.9})`);
  }
  if (name !== '' && name !== 'index') fail(ctx, `unknown pointer #${name}; use # (the element) or #index`);
  return { kind: 'pointer', name, pos: ctx.pos };
}

function member(ctx: Context, tree: Tree): Node {
  const object = visit(child(ctx, tree, 'object'), ctx);
  const rawProperty = child(ctx, tree, 'property');
  let property: Node;
  if (tree.computed === true) {
    property = visit(rawProperty, ctx);
    if (property.kind === 'literal' && typeof property.value === 'string')
      checkKey(ctx, property.value, property.pos);
  } else {
    if (rawProperty.type !== 'Identifier') fail(ctx, 'expected a field name after "."');
    const name = text(ctx, rawProperty, 'name');
    checkKey(ctx, name, ctx.pos);
    property = { kind: 'literal', value: name, pos: ctx.pos };
  }
  return { kind: 'member', object, property, optional: tree.optional === true, pos: ctx.pos };
}

function predicateList(): string {
  return [...PREDICATE_FUNCTIONS].join(', ');
}

function call(ctx: Context, tree: Tree): Node {
  const callee = child(ctx, tree, 'callee');
  const args = list(ctx, tree, 'arguments').filter(isTree);
  if (callee.type !== 'Identifier') {
    const what = callee.type === 'MemberExpression' ? 'methods cannot be called' : 'this is not a function';
    fail(ctx, `${what}: only the built-in functions can be called (${builtinNames().join(', ')})`);
  }
  const name = text(ctx, callee, 'name');
  const spec = BUILTINS.get(name);
  if (!spec)
    fail(ctx, `unknown function ${name}(); the supported functions are ${builtinNames().join(', ')}`);
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    const expected =
      spec.minArgs === spec.maxArgs
        ? `${spec.minArgs}`
        : spec.maxArgs === Number.POSITIVE_INFINITY
          ? `at least ${spec.minArgs}`
          : `${spec.minArgs} or ${spec.maxArgs}`;
    const plural = (spec.maxArgs === Number.POSITIVE_INFINITY ? spec.minArgs : spec.maxArgs) === 1 ? '' : 's';
    fail(ctx, `${name}() takes ${expected} argument${plural}, got ${args.length}: ${spec.usage}`);
  }
  if (!spec.predicate) {
    const closure = args.find((arg) => arg.type === 'Closure');
    if (closure) fail(ctx, `${name}() does not take a predicate { ... }: ${spec.usage}`, positionOf(closure));
    return { kind: 'call', name, args: args.map((arg) => visit(arg, ctx)), pos: ctx.pos };
  }
  const [collection, predicateTree] = args;
  if (!collection) return fail(ctx, `${name}() needs an array: ${spec.usage}`);
  if (collection.type === 'Closure') fail(ctx, `${name}() takes the array first: ${spec.usage}`);
  let predicate: Node | undefined;
  if (predicateTree) {
    if (ctx.closures >= LIMITS.maxClosureDepth) {
      fail(
        ctx,
        `predicates are nested more than ${LIMITS.maxClosureDepth} levels deep`,
        positionOf(predicateTree),
      );
    }
    const body = predicateTree.type === 'Closure' ? child(ctx, predicateTree, 'body') : predicateTree;
    predicate = visit(body, { ...ctx, closures: ctx.closures + 1 });
  }
  return { kind: 'call', name, args: [visit(collection, ctx)], predicate, pos: ctx.pos };
}

function binaryOperator(ctx: Context, tree: Tree): BinaryOperator {
  const op = text(ctx, tree, 'operator');
  if (!BINARY_OPERATORS.has(op)) fail(ctx, `unsupported operator ${op}`);
  return op as BinaryOperator;
}

/** Compiles a literal `matches` pattern now, so a bad pattern is reported when the condition is compiled. */
function literalRegex(ctx: Context, op: string, right: Node) {
  if (op !== 'matches' || right.kind !== 'literal') return undefined;
  if (typeof right.value !== 'string')
    fail(ctx, 'the right side of matches must be a string (a regular expression)', right.pos);
  try {
    return compileRegex(right.value);
  } catch (error) {
    if (error instanceof RegexError) fail(ctx, error.message, right.pos);
    throw error;
  }
}

function binary(ctx: Context, tree: Tree): Node {
  const op = binaryOperator(ctx, tree);
  const left = visit(child(ctx, tree, 'left'), ctx);
  const right = visit(child(ctx, tree, 'right'), ctx);
  const at = typeof tree.at === 'number' ? tree.at : ctx.pos;
  return {
    kind: 'binary',
    op,
    negate: tree.negate === true,
    left,
    right,
    regex: literalRegex(ctx, op, right),
    pos: at,
  };
}

function chain(ctx: Context, tree: Tree): Node {
  const first = visit(child(ctx, tree, 'first'), ctx);
  const links = list(ctx, tree, 'links').map((raw): ChainLink => {
    if (!isTree(raw)) fail(ctx, 'malformed syntax tree: CompareChain.links');
    const op = binaryOperator(ctx, raw) as ComparisonOperator;
    const operand = visit(child(ctx, raw, 'operand'), ctx);
    return {
      op,
      negate: raw.negate === true,
      operand,
      regex: literalRegex(ctx, op, operand),
      pos: positionOf(raw),
    };
  });
  return { kind: 'chain', first, links, pos: ctx.pos };
}

function map(ctx: Context, tree: Tree): Node {
  const entries = list(ctx, tree, 'entries').map((raw) => {
    if (!isTree(raw)) fail(ctx, 'malformed syntax tree: MapLiteral.entries');
    const key = text(ctx, raw, 'key');
    checkKey(ctx, key, positionOf(raw));
    return { key, value: visit(child(ctx, raw, 'value'), ctx) };
  });
  return { kind: 'map', entries, pos: ctx.pos };
}
