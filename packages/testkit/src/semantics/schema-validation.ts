/**
 * Structural OpenAPI v3 schemas of CRDs, as the real server applies them to custom resources:
 * unknown fields are pruned (unless `x-kubernetes-preserve-unknown-fields`), nulls of non-nullable
 * fields dropped, `default`s filled in, then the value validated; failures are field errors.
 */
import { clone, isObject, type JsonObject } from '../types';
import type { StatusCause } from './status';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  default?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

export interface SchemaResult {
  causes: StatusCause[];
  /** Paths of the unknown fields that were dropped (for the `Warning` header or `fieldValidation=Strict`). */
  pruned: string[];
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function show(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value)
    : isObject(value) || Array.isArray(value)
      ? `"${typeName(value)}"`
      : String(value);
}

/** Prunes unknown fields, drops non-nullable nulls and applies defaults, in place. */
function pruneAndDefault(
  value: unknown,
  schema: Schema,
  path: string,
  pruned: string[],
  keep: string[],
): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      value.forEach((item, i) => {
        pruneAndDefault(item, items, `${path}[${i}]`, pruned, []);
      });
    }
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const alwaysKeep = embedded ? ['apiVersion', 'kind', 'metadata', ...keep] : keep;
  for (const key of Object.keys(value)) {
    if (key === 'metadata' && alwaysKeep.includes(key)) continue;
    const child = props[key] ?? (isObject(additional) ? (additional as Schema) : undefined);
    if (child) {
      if (value[key] === null && child.nullable !== true) {
        delete value[key];
        continue;
      }
      pruneAndDefault(value[key], child, join(path, key), pruned, []);
    } else if (!alwaysKeep.includes(key) && !preserve && additional !== true) {
      pruned.push(join(path, key));
      delete value[key];
    }
  }
  for (const [key, child] of Object.entries(props)) {
    if (value[key] === undefined && child.default !== undefined) {
      value[key] = clone(child.default);
      pruneAndDefault(value[key], child, join(path, key), pruned, []);
    }
  }
}

function typeMatches(value: unknown, schema: Schema): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function validate(value: unknown, schema: Schema, path: string, out: StatusCause[]): void {
  const field = path;
  const invalid = (message: string) =>
    out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(value)}: ${message}`, field });
  const at = path || 'body';
  if (value === null) {
    if (schema.nullable) return;
    if (schema.type || schema['x-kubernetes-int-or-string']) {
      const wanted = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type;
      out.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "null": ${at} in body must be of type ${wanted}: "null"`,
        field,
      });
    }
    return;
  }
  if (!typeMatches(value, schema)) {
    const wanted = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type;
    const actual = typeName(value);
    out.push({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "${actual}": ${at} in body must be of type ${wanted}: "${actual}"`,
      field,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    const supported = schema.enum.map((e) => JSON.stringify(e)).join(', ');
    out.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${show(value)}: supported values: ${supported}`,
      field,
    });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined) {
      if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
        invalid(
          `${at} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`,
        );
      }
    }
    if (schema.maximum !== undefined) {
      if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
        invalid(
          `${at} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`,
        );
      }
    }
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
      invalid(`${at} in body should be a multiple of ${schema.multipleOf}`);
    }
  }
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      invalid(`${at} in body should match '${schema.pattern}'`);
    }
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      invalid(`${at} in body should be at least ${schema.minLength} chars long`);
    }
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      out.push({
        reason: 'FieldValueTooLong',
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
        field,
      });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      invalid(`${at} in body should have at least ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      out.push({
        reason: 'FieldValueTooMany',
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
        field,
      });
    }
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      out.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${show(value)}`, field });
    }
    const items = schema.items;
    if (items) {
      value.forEach((item, i) => {
        validate(item, items, `${path}[${i}]`, out);
      });
    }
  }
  if (isObject(value)) validateObject(value, schema, path, out);
  validateCombinators(value, schema, path, out);
}

function validateObject(value: JsonObject, schema: Schema, path: string, out: StatusCause[]): void {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined)
      out.push({ reason: 'FieldValueRequired', message: 'Required value', field: join(path, name) });
  }
  const count = Object.keys(value).length;
  const at = path || 'body';
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${count}: ${at} in body should have at least ${schema.minProperties} properties`,
      field: path,
    });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push({
      reason: 'FieldValueTooMany',
      message: `Too many: ${count}: must have at most ${schema.maxProperties} items`,
      field: path,
    });
  }
  for (const [key, child] of Object.entries(value)) {
    if (path === '' && key === 'metadata') continue;
    const childSchema =
      schema.properties?.[key] ??
      (isObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined);
    if (childSchema && child !== undefined) validate(child, childSchema, join(path, key), out);
  }
}

function validateCombinators(value: unknown, schema: Schema, path: string, out: StatusCause[]): void {
  const passes = (s: Schema) => {
    const errs: StatusCause[] = [];
    validate(value, s, path, errs);
    return errs;
  };
  for (const s of schema.allOf ?? []) out.push(...passes(s));
  if (schema.anyOf && !schema.anyOf.some((s) => passes(s).length === 0)) {
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: must validate at least one schema (anyOf)`,
      field: path,
    });
  }
  if (schema.oneOf && schema.oneOf.filter((s) => passes(s).length === 0).length !== 1) {
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: must validate one and only one schema (oneOf)`,
      field: path,
    });
  }
  if (schema.not && passes(schema.not).length === 0) {
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: must not validate the schema (not)`,
      field: path,
    });
  }
}

/** Prunes, defaults and validates a custom resource in place, against its version's `openAPIV3Schema`. */
export function applySchema(obj: JsonObject, schema: Schema | undefined): SchemaResult {
  const result: SchemaResult = { causes: [], pruned: [] };
  if (!schema) return result;
  pruneAndDefault(obj, schema, '', result.pruned, ['apiVersion', 'kind', 'metadata']);
  validate(obj, schema, '', result.causes);
  return result;
}
