/**
 * The x-kubernetes-validations of a schema node, compiled once per node (cached on the schema object, which
 * the registry keeps for as long as the CRD is served): the rule's program, its messageExpression, its
 * normalized fieldPath, or the compile error the API server would have refused the CRD with.
 */
import type { Schema } from '../semantics/schema-validation';
import { type CompiledExpression, type CompileOutcome, compileExpression } from './cel-compile';
import { celTypeOf } from './cel-types';
import { validFieldPath } from './field-path';
import { rulesOf, type ValidationRule } from './rule-presence';

export type { ValidationRule };

export interface CompiledRule {
  rule: ValidationRule;
  /** Undefined for an empty rule (never evaluated). */
  program?: CompiledExpression;
  message?: CompiledExpression;
  /** The compile error (the CRD would have been refused). */
  error?: string;
  /** `fieldPath` normalized (`spec.x`), to report failures at. */
  fieldPath?: string;
}

/** Compiles the rule and its messageExpression against `nodeSchema`'s type. */
export function compileRule(
  rule: ValidationRule,
  nodeSchema: Schema,
  resourceRoot: boolean,
): {
  rule: CompileOutcome | undefined;
  message: CompileOutcome | undefined;
} {
  const self = celTypeOf(nodeSchema, resourceRoot);
  const optionalOldSelf = rule.optionalOldSelf === true;
  return {
    rule:
      rule.rule.trim() === ''
        ? undefined
        : compileExpression(rule.rule, { self, optionalOldSelf, expect: 'bool' }),
    message: rule.messageExpression?.trim()
      ? compileExpression(rule.messageExpression, { self, optionalOldSelf: false, expect: 'string' })
      : undefined,
  };
}

/** The detail of a compile failure, as the API server's compiler words it. */
export function compileErrorDetail(
  outcome: CompileOutcome & { ok: false },
  what: 'rule' | 'messageExpression',
): string {
  const prefix = what === 'rule' ? '' : 'messageExpression ';
  switch (outcome.stage) {
    case 'compilation':
      return `${prefix}compilation failed: ${outcome.message}`;
    case 'instantiation':
      return `${prefix === '' ? 'program' : 'messageExpression'} instantiation failed: ${outcome.message}`;
    case 'type':
      return what === 'rule'
        ? 'cel expression must evaluate to a bool'
        : 'messageExpression must evaluate to a string';
  }
}

const cache = new WeakMap<Schema, WeakMap<Schema, CompiledRule[][]>>();

/** The compiled rules of `validationSchema` at a node typed by `nodeSchema` (cached). */
export function compiledRules(
  validationSchema: Schema,
  nodeSchema: Schema,
  resourceRoot: boolean,
): CompiledRule[] {
  let byNode = cache.get(validationSchema);
  if (!byNode) {
    byNode = new WeakMap();
    cache.set(validationSchema, byNode);
  }
  const slots = byNode.get(nodeSchema) ?? [];
  byNode.set(nodeSchema, slots);
  const slot = resourceRoot ? 1 : 0;
  const cached = slots[slot];
  if (cached) return cached;
  const compiled = rulesOf(validationSchema).map((rule): CompiledRule => {
    const out: CompiledRule = { rule };
    const { rule: program, message } = compileRule(rule, nodeSchema, resourceRoot);
    if (program && !program.ok) out.error = compileErrorDetail(program, 'rule');
    else if (program) out.program = program.compiled;
    if (message?.ok) out.message = message.compiled;
    if (rule.fieldPath) {
      const normalized = validFieldPath(rule.fieldPath, nodeSchema);
      if ('path' in normalized) out.fieldPath = normalized.path;
    }
    return out;
  });
  slots[slot] = compiled;
  return compiled;
}
