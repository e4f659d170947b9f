/**
 * The entry points of x-kubernetes-validations for the store (store/operations.ts). The CEL evaluator is
 * loaded on first use, by the first schema that has rules, so that testkit starts as fast without it.
 */
import type { Schema } from '../semantics/schema-validation';
import type { StatusCause } from '../semantics/status';
import type * as Validation from './cel-validation';
import type * as CrdRules from './crd-rules-validation';
import { crdHasRules, hasRules } from './rule-presence';

let validation: typeof Validation | undefined;
let crdRules: typeof CrdRules | undefined;

/** See cel-validation.ts `celAdmission`. */
export function celAdmission(
  schema: Schema,
  schemaCauses: StatusCause[],
  obj: unknown,
  old: unknown,
): Validation.CelValidationResult {
  if (!hasRules(schema)) return { causes: [], warnings: [] };
  validation ??= require('./cel-validation') as typeof Validation;
  return validation.celAdmission(schema, schemaCauses, obj, old);
}

/** See crd-rules-validation.ts `validateCrdRules`. */
export function validateCrdRules(crd: { [key: string]: unknown }): StatusCause[] {
  if (!crdHasRules(crd)) return [];
  crdRules ??= require('./crd-rules-validation') as typeof CrdRules;
  return crdRules.validateCrdRules(crd);
}
