import type { Regex } from './regex';

/**
 * The checked syntax tree the evaluator walks. It is produced by `normalize.ts` from jsep's tree and
 * contains only plain data: every name has been checked, every call targets a known built-in.
 * `pos` is the 0-based source offset of the node when known, for error messages.
 */
export type Node =
  | LiteralNode
  | NameNode
  | PointerNode
  | MemberNode
  | UnaryNode
  | BinaryNode
  | ChainNode
  | ConditionalNode
  | ArrayNode
  | MapNode
  | CallNode;

export type Literal = null | boolean | number | string;

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: Literal;
  readonly pos?: number;
}

/** A variable from the environment, e.g. `result`. */
export interface NameNode {
  readonly kind: 'name';
  readonly name: string;
  readonly pos?: number;
}

/** `#` (the current element) or `#index` (its index), only inside a predicate closure. */
export interface PointerNode {
  readonly kind: 'pointer';
  readonly name: '' | 'index';
  readonly pos?: number;
}

/** `a.b`, `a["b"]`, `a[0]`; `optional` for `a?.b` / `a?.[0]`. */
export interface MemberNode {
  readonly kind: 'member';
  readonly object: Node;
  readonly property: Node;
  readonly optional: boolean;
  readonly pos?: number;
}

export type UnaryOperator = '-' | '+' | 'not';

export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Node;
  readonly pos?: number;
}

export type ComparisonOperator =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'matches';

export type BinaryOperator = ComparisonOperator | '||' | '&&' | '??' | '+' | '-' | '*' | '/' | '%' | '**';

/** One binary operation; `negate` for `not in`, `not contains`, ...; `regex` when `matches` has a literal pattern. */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly negate: boolean;
  readonly left: Node;
  readonly right: Node;
  readonly regex?: Regex;
  readonly pos?: number;
}

export interface ChainLink {
  readonly op: ComparisonOperator;
  readonly negate: boolean;
  readonly operand: Node;
  readonly regex?: Regex;
  readonly pos?: number;
}

/** A chained comparison `a < b < c`, meaning `a < b && b < c` with `b` evaluated once. */
export interface ChainNode {
  readonly kind: 'chain';
  readonly first: Node;
  readonly links: readonly ChainLink[];
  readonly pos?: number;
}

export interface ConditionalNode {
  readonly kind: 'conditional';
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
  readonly pos?: number;
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly elements: readonly Node[];
  readonly pos?: number;
}

export interface MapNode {
  readonly kind: 'map';
  readonly entries: readonly { readonly key: string; readonly value: Node }[];
  readonly pos?: number;
}

/** A call of a built-in; `predicate` is the closure of all/any/none/one/filter/map/count/sum. */
export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Node[];
  readonly predicate?: Node;
  readonly pos?: number;
}
