/**
 * What the API server checks of a CRD's x-kubernetes-validations when the CRD is written: each rule is
 * given and its message well formed, reason and fieldPath are valid, the rule and its messageExpression
 * compile against the node's type, and transition rules (oldSelf) sit where old values can be found. Paths
 * are the API server's: `spec.validation.openAPIV3Schema...` when every version has the same schema (its
 * internal form keeps one schema then), else `spec.versions[i].schema.openAPIV3Schema...`.
 */
import type { Schema } from '../semantics/schema-validation';
import type { StatusCause } from '../semantics/status';
import { isObject, jsonEqual } from '../types';
import { compileErrorDetail, compileRule } from './cel-rules';
import { validFieldPath } from './field-path';
import { rulesOf, type ValidationRule } from './rule-presence';

const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

/** Go's %#v of the internal ValidationRule, the value the API server shows for a rule that fails to compile. */
function goRule(rule: ValidationRule): string {
  const q = (s: string | undefined) => JSON.stringify(s ?? '');
  const reason = rule.reason === undefined ? '(nil)' : '(0xc000a1b2c0)';
  const optional = rule.optionalOldSelf === undefined ? '(nil)' : '(0xc000a1b2c8)';
  return (
    `apiextensions.ValidationRule{Rule:${q(rule.rule)}, Message:${q(rule.message)}, ` +
    `MessageExpression:${q(rule.messageExpression)}, Reason:(*apiextensions.FieldValueErrorReason)${reason}, ` +
    `FieldPath:${q(rule.fieldPath)}, OptionalOldSelf:(*bool)${optional}}`
  );
}

function invalid(field: string, value: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${detail}`, field };
}

function required(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueRequired', message: `Required value: ${detail}`, field };
}

function ruleShape(rule: ValidationRule, schema: Schema, at: string): StatusCause[] {
  const out: StatusCause[] = [];
  const trimmedRule = rule.rule.trim();
  const message = rule.message ?? '';
  const trimmedMessage = message.trim();
  if (trimmedRule === '') out.push(required(`${at}.rule`, 'rule is not specified'));
  else if (message.length > 0 && trimmedMessage === '') {
    out.push(invalid(`${at}.message`, JSON.stringify(message), 'message must be non-empty if specified'));
  } else if (message.length > 2048) {
    out.push(
      invalid(
        `${at}.message`,
        JSON.stringify(`${message.slice(0, 10)}...`),
        'message must have a maximum length of 2048 characters',
      ),
    );
  } else if (/[\n\r]/.test(trimmedMessage)) {
    out.push(invalid(`${at}.message`, JSON.stringify(message), 'message must not contain line breaks'));
  } else if (/[\n\r]/.test(trimmedRule) && trimmedMessage === '') {
    out.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'));
  }
  const messageExpression = rule.messageExpression ?? '';
  if (messageExpression.length > 0 && messageExpression.trim() === '') {
    out.push(required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'));
  }
  if (rule.reason !== undefined && !REASONS.includes(rule.reason)) {
    out.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(rule.reason)}: supported values: ${REASONS.map((r) => JSON.stringify(r)).join(', ')}`,
      field: `${at}.reason`,
    });
  }
  const fieldPath = rule.fieldPath ?? '';
  if (fieldPath.length > 0 && fieldPath.trim() === '') {
    out.push(
      invalid(`${at}.fieldPath`, JSON.stringify(fieldPath), 'fieldPath must be non-empty if specified'),
    );
  }
  if (/[\n\r]/.test(fieldPath)) {
    out.push(invalid(`${at}.fieldPath`, JSON.stringify(fieldPath), 'fieldPath must not contain line breaks'));
  }
  if (fieldPath.length > 0) {
    const valid = validFieldPath(fieldPath, schema);
    if ('error' in valid) {
      out.push(
        invalid(
          `${at}.fieldPath`,
          JSON.stringify(fieldPath),
          `fieldPath must be a valid path: ${valid.error}`,
        ),
      );
    }
  }
  return out;
}

function rulesAt(
  schema: Schema,
  path: string,
  resourceRoot: boolean,
  uncorrelatable: string | undefined,
): StatusCause[] {
  const out: StatusCause[] = [];
  rulesOf(schema).forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const shape = ruleShape(rule, schema, at);
    out.push(...shape);
    if (shape.length > 0) return;
    const compiled = compileRule(rule, schema, resourceRoot);
    if (compiled.rule && !compiled.rule.ok) {
      out.push(invalid(`${at}.rule`, goRule(rule), compileErrorDetail(compiled.rule, 'rule')));
    }
    if (compiled.message && !compiled.message.ok) {
      out.push(
        invalid(
          `${at}.messageExpression`,
          goRule(rule),
          compileErrorDetail(compiled.message, 'messageExpression'),
        ),
      );
    }
    if (compiled.rule?.ok && compiled.rule.compiled.usesOldSelf && uncorrelatable !== undefined) {
      out.push(
        invalid(
          `${at}.rule`,
          JSON.stringify(rule.rule),
          `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        ),
      );
    }
  });
  return out;
}

function walk(
  schema: unknown,
  path: string,
  resourceRoot: boolean,
  uncorrelatable: string | undefined,
): StatusCause[] {
  if (!isObject(schema)) return [];
  const s = schema as Schema;
  const out = rulesAt(s, path, resourceRoot, uncorrelatable);
  for (const [name, child] of Object.entries(isObject(s.properties) ? s.properties : {})) {
    out.push(
      ...walk(
        child,
        `${path}.properties[${name}]`,
        isObject(child) && child['x-kubernetes-embedded-resource'] === true,
        uncorrelatable,
      ),
    );
  }
  if (isObject(s.items)) {
    const items = `${path}.items`;
    const correlated = s['x-kubernetes-list-type'] === 'map';
    out.push(
      ...walk(
        s.items,
        items,
        s.items['x-kubernetes-embedded-resource'] === true,
        uncorrelatable ?? (correlated ? undefined : items),
      ),
    );
  }
  if (isObject(s.additionalProperties)) {
    const extra = `${path}.additionalProperties`;
    const mapType = s['x-kubernetes-map-type'];
    const correlated = mapType === undefined || mapType === 'granular' || mapType === 'atomic';
    out.push(
      ...walk(s.additionalProperties, extra, false, uncorrelatable ?? (correlated ? undefined : extra)),
    );
  }
  (Array.isArray(s.allOf) ? s.allOf : []).forEach((branch, i) => {
    out.push(...walk(branch, `${path}.allOf[${i}]`, resourceRoot, uncorrelatable));
  });
  return out;
}

/** The causes for a CRD whose x-kubernetes-validations the API server would refuse. */
export function validateCrdRules(crd: { [key: string]: unknown }): StatusCause[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(isObject);
  const schemas = versions.map((v) => (isObject(v.schema) ? v.schema.openAPIV3Schema : undefined));
  const first = schemas[0];
  if (schemas.length > 0 && schemas.every((s) => jsonEqual(s, first))) {
    return walk(first, 'spec.validation.openAPIV3Schema', true, undefined);
  }
  return schemas.flatMap((s, i) => walk(s, `spec.versions[${i}].schema.openAPIV3Schema`, true, undefined));
}
