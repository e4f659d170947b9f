/**
 * Where a schema has x-kubernetes-validations, read without loading the CEL evaluator: most schemas have
 * none, and testkit loads @bufbuild/cel (cel-admission.ts) only for those that do.
 */
import type { Schema } from '../semantics/schema-validation';
import { isObject } from '../types';

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The rules of a node, read defensively (a CRD is user input). */
export function rulesOf(schema: Schema): ValidationRule[] {
  const raw = schema['x-kubernetes-validations'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((r) => {
    const rule: ValidationRule = { rule: str(r.rule) ?? '' };
    for (const key of ['message', 'messageExpression', 'reason', 'fieldPath'] as const) {
      const v = str(r[key]);
      if (v !== undefined) rule[key] = v;
    }
    if (typeof r.optionalOldSelf === 'boolean') rule.optionalOldSelf = r.optionalOldSelf;
    return rule;
  });
}

/** Whether any node of the schema has rules (cached). */
const hasRulesCache = new WeakMap<Schema, boolean>();
export function hasRules(schema: Schema | undefined): boolean {
  if (!schema || !isObject(schema)) return false;
  const cached = hasRulesCache.get(schema);
  if (cached !== undefined) return cached;
  const children: Schema[] = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties as Schema] : []),
    ...(schema.allOf ?? []),
  ];
  const result = rulesOf(schema).length > 0 || children.some(hasRules);
  hasRulesCache.set(schema, result);
  return result;
}

/** Whether any version schema of a CRD has rules. */
export function crdHasRules(crd: { [key: string]: unknown }): boolean {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions.some(
    (v) =>
      isObject(v.schema) &&
      isObject(v.schema.openAPIV3Schema) &&
      hasRules(v.schema.openAPIV3Schema as Schema),
  );
}
