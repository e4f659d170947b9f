/**
 * The static checks the API server makes when a CRD is written, by the schema's CEL types (cel-types.ts):
 * undeclared identifiers and functions, calls no overload accepts, undefined fields, ranges that are not
 * lists or maps, and a result of the wrong type. A light checker: where a type is not known it is dyn and
 * anything goes, as cel-go does for dyn.
 */
import type { CelFunc, CelType } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { type CelKind, type CelTypeInfo, celElementType, celFields, celTypeOf } from './cel-types';

export type StaticKind = CelKind | 'uint' | 'null_type' | 'type' | 'optional';

export interface StaticType {
  kind: StaticKind;
  schema?: CelTypeInfo['schema'];
  resourceRoot?: boolean;
  /** Element of a list, value of a map, content of an optional (when not from a schema). */
  elem?: StaticType;
}

export interface CheckIssue {
  message: string;
  exprId: bigint;
  /** An issue of a function call: cel-go places it at the call's opening parenthesis. */
  call?: boolean;
}

export interface CheckResult {
  issues: CheckIssue[];
  type: StaticType;
  usesOldSelf: boolean;
}

export interface CheckOptions {
  self: CelTypeInfo | undefined;
  optionalOldSelf: boolean;
}

const DYN: StaticType = { kind: 'dyn' };
const BOOL: StaticType = { kind: 'bool' };
const TYPE_NAMES = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
]);
const NAMESPACES = new Set(['sets', 'strings', 'ip', 'optional', 'math']);
const BOTH_STYLES = new Set(['size', 'matches']);

function fromInfo(info: CelTypeInfo | undefined): StaticType {
  return info ? { kind: info.kind, schema: info.schema, resourceRoot: info.resourceRoot } : DYN;
}

function elemOf(t: StaticType): StaticType {
  if (t.elem) return t.elem;
  if (t.kind === 'list' || t.kind === 'map')
    return fromInfo(celElementType({ kind: t.kind, schema: t.schema }));
  return DYN;
}

/** The type's name as cel-go prints it. */
export function staticTypeName(t: StaticType): string {
  switch (t.kind) {
    case 'list':
      return `list(${staticTypeName(elemOf(t))})`;
    case 'map':
      return `map(string, ${staticTypeName(elemOf(t))})`;
    case 'duration':
      return 'google.protobuf.Duration';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'optional':
      return `optional_type(${staticTypeName(elemOf(t))})`;
    default:
      return t.kind;
  }
}

function baseName(t: StaticType): string {
  return staticTypeName(t).replace(/\(.*$/, '');
}

function accepts(param: CelType, t: StaticType): boolean {
  if (param.name === 'dyn' || t.kind === 'dyn') return true;
  return param.name.replace(/\(.*$/, '') === baseName(t);
}

function resultType(fn: CelFunc): StaticType {
  const name = fn.result.name;
  switch (name) {
    case 'google.protobuf.Duration':
      return { kind: 'duration' };
    case 'google.protobuf.Timestamp':
      return { kind: 'timestamp' };
    case 'list':
      return fn.name === 'split' || fn.name === 'findAll'
        ? { kind: 'list', elem: { kind: 'string' } }
        : { kind: 'list' };
    case 'int':
    case 'uint':
    case 'double':
    case 'bool':
    case 'string':
    case 'bytes':
    case 'map':
    case 'type':
      return { kind: name };
    default:
      return DYN;
  }
}

function sameType(a: StaticType, b: StaticType): boolean {
  return staticTypeName(a) === staticTypeName(b);
}

export class Checker {
  private readonly issues: CheckIssue[] = [];
  private readonly scopes: Map<string, StaticType>[] = [];
  private readonly types = new Map<bigint, StaticType>();
  private readonly overloads = new Map<string, CelFunc[]>();
  usesOldSelf = false;

  constructor(
    functions: CelFunc[],
    private readonly options: CheckOptions,
  ) {
    for (const fn of functions) {
      const list = this.overloads.get(fn.name) ?? [];
      list.push(fn);
      this.overloads.set(fn.name, list);
    }
  }

  check(expr: Expr): CheckResult {
    const type = this.type(expr);
    return { issues: this.issues, type, usesOldSelf: this.usesOldSelf };
  }

  private issue(expr: Expr, message: string, call = false): StaticType {
    this.issues.push({ message, exprId: expr.id, ...(call ? { call } : {}) });
    return DYN;
  }

  private type(expr: Expr): StaticType {
    const t = this.infer(expr);
    this.types.set(expr.id, t);
    return t;
  }

  private lookup(name: string): StaticType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const found = this.scopes[i]?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private infer(expr: Expr): StaticType {
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'constExpr':
        return this.constant(kind.value.constantKind.case);
      case 'identExpr':
        return this.ident(expr, kind.value.name);
      case 'selectExpr': {
        const operand = kind.value.operand;
        if (!operand) return DYN;
        const on = this.type(operand);
        const field = this.select(expr, on, kind.value.field);
        return kind.value.testOnly ? BOOL : field;
      }
      case 'callExpr':
        return this.call(expr, kind.value.function, kind.value.target, kind.value.args);
      case 'listExpr': {
        const elems = kind.value.elements.map((e) => this.type(e));
        const first = elems[0];
        const elem = first && elems.every((e) => sameType(e, first)) ? first : DYN;
        return { kind: 'list', elem };
      }
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') this.type(entry.keyKind.value);
          if (entry.value) this.type(entry.value);
        }
        return kind.value.messageName === '' ? { kind: 'map', elem: DYN } : DYN;
      case 'comprehensionExpr':
        return this.comprehension(expr, kind.value);
      default:
        return DYN;
    }
  }

  private constant(kind: string | undefined): StaticType {
    switch (kind) {
      case 'int64Value':
        return { kind: 'int' };
      case 'uint64Value':
        return { kind: 'uint' };
      case 'doubleValue':
        return { kind: 'double' };
      case 'stringValue':
        return { kind: 'string' };
      case 'boolValue':
        return BOOL;
      case 'bytesValue':
        return { kind: 'bytes' };
      case 'nullValue':
        return { kind: 'null_type' };
      default:
        return DYN;
    }
  }

  private ident(expr: Expr, name: string): StaticType {
    const scoped = this.lookup(name);
    if (scoped) return scoped;
    if (name === 'self') return fromInfo(this.options.self);
    if (name === 'oldSelf') {
      this.usesOldSelf = true;
      const t = fromInfo(this.options.self);
      return this.options.optionalOldSelf ? { kind: 'optional', elem: t } : t;
    }
    if (TYPE_NAMES.has(name)) return { kind: 'type' };
    return this.issue(expr, `undeclared reference to '${name}' (in container '')`);
  }

  private select(expr: Expr, on: StaticType, field: string): StaticType {
    switch (on.kind) {
      case 'object': {
        const found = celFields({ kind: 'object', schema: on.schema, resourceRoot: on.resourceRoot }).get(
          field,
        );
        if (!found) return this.issue(expr, `undefined field '${field}'`);
        return fromInfo(celTypeOf(found.schema, found.resourceRoot));
      }
      case 'map':
        return elemOf(on);
      case 'dyn':
      case 'optional':
        return DYN;
      default:
        return this.issue(expr, `type '${staticTypeName(on)}' does not support field selection`);
    }
  }

  private qualifiedName(target: Expr | undefined, fn: string): string | undefined {
    if (target?.exprKind.case !== 'identExpr') return undefined;
    const ns = target.exprKind.value.name;
    if (this.lookup(ns) || !NAMESPACES.has(ns)) return undefined;
    return `${ns}.${fn}`;
  }

  private call(expr: Expr, fn: string, target: Expr | undefined, args: Expr[]): StaticType {
    const qualified = this.qualifiedName(target, fn);
    if (qualified)
      return this.overloaded(
        expr,
        qualified,
        undefined,
        args.map((a) => this.type(a)),
      );
    const targetType = target ? this.type(target) : undefined;
    const argTypes = args.map((a) => this.type(a));
    switch (fn) {
      case '_&&_':
      case '_||_':
        return this.logical(expr, fn, argTypes);
      case '@not_strictly_false':
      case '__not_strictly_false__':
        return BOOL;
      case '_?_:_': {
        const [, a, b] = argTypes;
        return a && b && sameType(a, b) ? a : DYN;
      }
      case '_[_]':
        return this.index(expr, argTypes[0] ?? DYN, argTypes[1] ?? DYN);
      case '_==_':
      case '_!=_':
        return this.equality(expr, fn, argTypes[0] ?? DYN, argTypes[1] ?? DYN);
      default:
        return this.overloaded(expr, fn, targetType, argTypes);
    }
  }

  private logical(expr: Expr, fn: string, args: StaticType[]): StaticType {
    if (args.some((a) => a.kind !== 'bool' && a.kind !== 'dyn')) {
      this.noOverload(expr, fn, undefined, args);
    }
    return BOOL;
  }

  private index(expr: Expr, on: StaticType, key: StaticType): StaticType {
    if (on.kind === 'list' || on.kind === 'map') return elemOf(on);
    if (on.kind === 'dyn') return DYN;
    return this.noOverload(expr, '_[_]', undefined, [on, key]);
  }

  private equality(expr: Expr, fn: string, a: StaticType, b: StaticType): StaticType {
    const loose = (t: StaticType) => t.kind === 'dyn' || t.kind === 'null_type';
    if (!loose(a) && !loose(b) && baseName(a) !== baseName(b)) this.noOverload(expr, fn, undefined, [a, b]);
    return BOOL;
  }

  private noOverload(expr: Expr, fn: string, target: StaticType | undefined, args: StaticType[]): StaticType {
    const on = target ? `${staticTypeName(target)}.` : '';
    return this.issue(
      expr,
      `found no matching overload for '${fn}' applied to '${on}(${args.map(staticTypeName).join(', ')})'`,
      /^[a-zA-Z]/.test(fn),
    );
  }

  private overloaded(expr: Expr, fn: string, target: StaticType | undefined, args: StaticType[]): StaticType {
    if (target?.kind === 'optional') return this.optionalMethod(fn, target, args);
    const candidates = this.overloads.get(fn);
    if (!candidates) return this.issue(expr, `undeclared reference to '${fn}' (in container '')`, true);
    const fits = (f: CelFunc, on: StaticType | undefined, params: StaticType[]) =>
      (f.target === undefined) === (on === undefined) &&
      (on === undefined || (f.target !== undefined && accepts(f.target, on))) &&
      f.arguments.length === params.length &&
      f.arguments.every((p, i) => accepts(p, params[i] ?? DYN));
    let matched = candidates.filter((f) => fits(f, target, args));
    if (matched.length === 0 && target && BOTH_STYLES.has(fn)) {
      matched = candidates.filter((f) => fits(f, undefined, [target, ...args]));
    }
    if (matched.length === 0) return this.noOverload(expr, fn, target, args);
    const results = matched.map(resultType);
    const first = results[0] ?? DYN;
    return results.every((r) => sameType(r, first)) ? first : DYN;
  }

  private optionalMethod(fn: string, target: StaticType, args: StaticType[]): StaticType {
    switch (fn) {
      case 'hasValue':
        return BOOL;
      case 'value':
        return elemOf(target);
      case 'orValue':
        return args[0] && sameType(args[0], elemOf(target)) ? args[0] : DYN;
      default:
        return target;
    }
  }

  private comprehension(
    expr: Expr,
    c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value'],
  ): StaticType {
    const range = c.iterRange ? this.type(c.iterRange) : DYN;
    let iter: StaticType = DYN;
    if (range.kind === 'list') iter = elemOf(range);
    else if (range.kind === 'map') iter = { kind: 'string' };
    else if (range.kind !== 'dyn') {
      this.issue(
        expr,
        `expression of type '${staticTypeName(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
      );
    }
    let accu = c.accuInit ? this.type(c.accuInit) : DYN;
    this.scopes.push(new Map([[c.accuVar, accu]]));
    this.scopes.push(new Map([[c.iterVar, iter]]));
    if (c.loopCondition) this.type(c.loopCondition);
    if (c.loopStep) this.type(c.loopStep);
    this.scopes.pop();
    if (accu.kind === 'list' && c.loopStep) accu = { kind: 'list', elem: this.appended(c.loopStep) };
    this.scopes[this.scopes.length - 1]?.set(c.accuVar, accu);
    const result = c.result ? this.type(c.result) : DYN;
    this.scopes.pop();
    return result;
  }

  /** The type of what a map/filter step appends (`@result + [x]`). */
  private appended(step: Expr): StaticType {
    const k = step.exprKind;
    if (k.case === 'listExpr' && k.value.elements.length === 1 && k.value.elements[0]) {
      return this.types.get(k.value.elements[0].id) ?? DYN;
    }
    if (k.case === 'callExpr') {
      for (const arg of k.value.args) {
        const t = this.appended(arg);
        if (t.kind !== 'dyn') return t;
      }
    }
    return DYN;
  }
}
