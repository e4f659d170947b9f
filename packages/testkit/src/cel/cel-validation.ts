/**
 * x-kubernetes-validations on every write of a custom resource, where the API server runs them: after
 * pruning, defaulting and the structural schema, over every node that has rules, with `self` the value at the
 * node and, on update, `oldSelf` the old value at the same place (see correlation.ts). A transition rule (one
 * that uses oldSelf) is skipped where there is no old value, unless `optionalOldSelf`. On update an unchanged
 * value that fails a rule not using oldSelf only gives a warning (ratcheting). A failed rule reports its
 * `message`, `messageExpression` or `failed rule: <rule>` at its node (or its `fieldPath`) with its `reason`.
 * Runtime errors, cost and budget overruns are reported as the API server reports them; nothing throws.
 */
import { type CelValue, isCelError } from '@bufbuild/cel';
import type { Schema } from '../semantics/schema-validation';
import type { StatusCause } from '../semantics/status';
import { isObject } from '../types';
import { COST_EXCEEDED, CostMeter, PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from './cel-cost';
import { optionalNone, optionalOf } from './cel-optional';
import { type CompiledRule, compiledRules } from './cel-rules';
import { type CelTypeInfo, celTypeOf } from './cel-types';
import { CelConverter } from './cel-values';
import {
  Correlation,
  MapListIndex,
  type Ratchet,
  ratchetIndex,
  ratchetKey,
  shouldRatchet,
} from './correlation';
import { errorText, fieldInvalid, ROOT_FIELD, ruleFailure } from './field-errors';
import { hasRules } from './rule-presence';

export interface CelValidationResult {
  causes: StatusCause[];
  /** Ratcheted failures: the API server's warnings (`field: Invalid value: ...`). */
  warnings: string[];
}

/** celconfig.MaxEvaluatedMessageExpressionSizeBytes */
const MAX_MESSAGE_BYTES = 5 * 1024;

const OUT_OF_BUDGET =
  'validation failed due to running out of cost budget, no further validation rules will be run';

class BudgetExhausted extends Error {}

interface Node {
  /** The schema whose rules apply (an allOf branch, or the node's own). */
  rules: Schema;
  /** The structural schema of the value (its type). */
  schema: Schema;
  value: unknown;
  old: unknown;
  /** The field path; '' is the root (reported as `<nil>`). */
  path: string;
  resourceRoot: boolean;
  ratchet: Ratchet;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function ruleText(compiled: CompiledRule): string {
  return compiled.rule.message?.trim() || compiled.rule.rule.trim();
}

function runtimeMessage(error: Error): string {
  const m = error.message;
  if (m.startsWith('field not found: ')) return `no such key: ${m.slice('field not found: '.length)}`;
  const index = /^index (-?\d+) out of bounds/.exec(m);
  if (index) return `index out of bounds: ${index[1]}`;
  if (m.startsWith('found no matching overload')) return `no such overload`;
  if (m === 'int divide by zero') return 'division by zero';
  if (m === 'int modulus by zero') return 'modulus by zero';
  return m;
}

class Validation {
  readonly causes: StatusCause[] = [];
  readonly warnings: string[] = [];
  private remaining = RUNTIME_COST_BUDGET;
  private readonly converter = new CelConverter();

  walk(node: Node): void {
    if (node.value === null || node.value === undefined) return;
    const self = celTypeOf(node.schema, node.resourceRoot);
    if (!self) return;
    this.evaluateRules(node);
    for (const branch of node.rules.allOf ?? []) {
      this.walk({ ...node, rules: branch, ratchet: { nearest: node.ratchet.nearest } });
    }
    if (Array.isArray(node.value)) this.walkItems(node, node.value);
    else if (isObject(node.value)) this.walkFields(node, node.value);
  }

  private walkItems(node: Node, list: unknown[]): void {
    const rules = node.rules.items;
    const schema = node.schema.items;
    if (!rules || !schema) return;
    const oldItems = new MapListIndex(node.schema, node.old);
    list.forEach((item, i) => {
      this.walk({
        rules,
        schema,
        value: item,
        old: oldItems.get(item),
        path: `${node.path}[${i}]`,
        resourceRoot: schema['x-kubernetes-embedded-resource'] === true,
        ratchet: ratchetIndex(node.ratchet, i),
      });
    });
  }

  private walkFields(node: Node, obj: Record<string, unknown>): void {
    const correlatable = ['granular', 'atomic', undefined].includes(
      node.schema['x-kubernetes-map-type'] as string,
    );
    const old = correlatable && isObject(node.old) ? node.old : undefined;
    const extra = node.rules.additionalProperties;
    const extraSchema = node.schema.additionalProperties;
    for (const [key, value] of Object.entries(obj)) {
      const next = (rules: Schema, schema: Schema, path: string) =>
        this.walk({
          rules,
          schema,
          value,
          old: old?.[key],
          path,
          resourceRoot: schema['x-kubernetes-embedded-resource'] === true,
          ratchet: ratchetKey(node.ratchet, key, node.path === ''),
        });
      if (typeof extra === 'object' && typeof extraSchema === 'object' && hasRules(extra as Schema)) {
        next(extra as Schema, extraSchema as Schema, `${node.path}[${key}]`);
      }
      const rules = node.rules.properties?.[key];
      const schema = node.schema.properties?.[key];
      if (rules && schema && hasRules(rules)) next(rules, schema, child(node.path, key));
    }
  }

  /** Reports why no further rule runs at `field`, and ends the walk. */
  private halt(field: string, typeName: string, detail: string): never {
    this.causes.push(fieldInvalid(field, typeName, detail));
    throw new BudgetExhausted();
  }

  private report(cause: StatusCause, compiled: CompiledRule, ratchet: Ratchet): void {
    if (compiled.program?.usesOldSelf !== true && shouldRatchet(ratchet))
      this.warnings.push(errorText(cause));
    else this.causes.push(cause);
  }

  private evaluateRules(node: Node): void {
    const rules = compiledRules(node.rules, node.schema, node.resourceRoot);
    if (rules.length === 0) return;
    const field = node.path || ROOT_FIELD;
    const typeName = typeof node.schema.type === 'string' ? node.schema.type : '';
    if (this.remaining <= 0) this.halt(field, typeName, OUT_OF_BUDGET);
    const type: CelTypeInfo = celTypeOf(node.schema, node.resourceRoot) ?? { kind: 'dyn' };
    const self = this.converter.toCel(node.value, type);
    const hasOld = node.old !== null && node.old !== undefined;
    const old = hasOld ? this.converter.toCel(node.old, type) : undefined;
    for (const compiled of rules) {
      if (compiled.error !== undefined) {
        this.causes.push(fieldInvalid(field, typeName, `rule compile error: ${compiled.error}`));
        continue;
      }
      const program = compiled.program;
      if (!program) continue;
      const optional = compiled.rule.optionalOldSelf === true;
      if (program.usesOldSelf && !hasOld && !optional) continue;
      const bindings: Record<string, CelValue> = { self };
      if (optional) bindings.oldSelf = old === undefined ? optionalNone() : optionalOf(old);
      else if (old !== undefined) bindings.oldSelf = old;
      const meter = new CostMeter(PER_CALL_LIMIT);
      const result = program.evaluate(bindings, meter);
      if (meter.exceeded)
        this.halt(
          field,
          typeName,
          `'${COST_EXCEEDED}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText(compiled)}`,
        );
      if (meter.used > this.remaining) this.halt(field, typeName, OUT_OF_BUDGET);
      this.remaining -= meter.used;
      if (isCelError(result)) {
        const message = runtimeMessage(result);
        const detail = message.startsWith('no such overload')
          ? `'${message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(compiled)}`
          : `${message} evaluating rule: ${ruleText(compiled)}`;
        this.causes.push(fieldInvalid(field, typeName, detail));
        continue;
      }
      if (result === true) continue;
      const at = compiled.fieldPath
        ? node.path
          ? `${node.path}.${compiled.fieldPath}`
          : compiled.fieldPath
        : field;
      const detail = this.message(
        compiled,
        { self, ...(old === undefined ? {} : { oldSelf: old }) },
        at,
        typeName,
      );
      this.report(ruleFailure(compiled.rule.reason, at, typeName, detail), compiled, node.ratchet);
    }
  }

  /** The detail of a failed rule: its messageExpression when that evaluates well, else message or rule. */
  private message(
    compiled: CompiledRule,
    bindings: Record<string, CelValue>,
    field: string,
    typeName: string,
  ): string {
    const fallback = compiled.rule.message?.trim()
      ? compiled.rule.message.trim()
      : `failed rule: ${compiled.rule.rule.trim()}`;
    if (!compiled.message) return fallback;
    const meter = new CostMeter(Math.min(PER_CALL_LIMIT, this.remaining));
    const result = compiled.message.evaluate(bindings, meter);
    if (meter.exceeded)
      this.halt(
        field,
        typeName,
        'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run',
      );
    this.remaining -= meter.used;
    if (typeof result !== 'string') return fallback;
    const text = result.trim();
    if (text === '' || text.includes('\n') || Buffer.byteLength(text) > MAX_MESSAGE_BYTES) return fallback;
    return text;
  }
}

/**
 * Evaluates the rules of a custom resource's schema over `obj` (and `old` on update). Returns the field
 * causes of a 422 and the warnings of ratcheted failures.
 */
export function validateCel(schema: Schema | undefined, obj: unknown, old?: unknown): CelValidationResult {
  const validation = new Validation();
  const result = () => ({ causes: validation.causes, warnings: validation.warnings });
  if (!schema || !hasRules(schema)) return result();
  const ratchet: Ratchet = old === undefined ? {} : { current: new Correlation(obj, old, schema) };
  try {
    validation.walk({ rules: schema, schema, value: obj, old, path: '', resourceRoot: true, ratchet });
  } catch (err) {
    if (!(err instanceof BudgetExhausted)) {
      validation.causes.push({
        reason: 'InternalError',
        message: `Internal error: ${(err as Error).message}`,
        field: ROOT_FIELD,
      });
    }
  }
  return result();
}

/** Schema errors after which the API server does not run the rules (its `hasBlockingErr`). */
const BLOCKING = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/**
 * The rules' part of admitting a custom resource, given the structural schema's causes: the rules' causes
 * and warnings, or, when a schema error blocks them, the API server's note that they were not checked.
 */
export function celAdmission(
  schema: Schema,
  schemaCauses: StatusCause[],
  obj: unknown,
  old: unknown,
): CelValidationResult {
  if (!hasRules(schema)) return { causes: [], warnings: [] };
  if (schemaCauses.some((c) => c.reason !== undefined && BLOCKING.has(c.reason))) {
    const note =
      'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
    return { causes: [fieldInvalid(ROOT_FIELD, 'null', note)], warnings: [] };
  }
  return validateCel(schema, obj, old);
}
