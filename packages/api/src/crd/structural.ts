// Checks the rules that make an openAPIV3Schema "structural", as the API server requires of
// apiextensions.k8s.io/v1 CRDs. Returns one message per violation, each with its schema path.
import type { JsonSchema } from './openapi';

const isRecord = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'] as const;
const FORBIDDEN_IN_JUNCTORS = ['description', 'type', 'default', 'additionalProperties', 'nullable'];
const UNSUPPORTED_KEYS = ['$ref', '$schema', 'definitions', 'const', 'additionalItems', 'patternProperties'];

function isIntOrStringPattern(anyOf: unknown): boolean {
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    isRecord(anyOf[0]) &&
    anyOf[0].type === 'integer' &&
    isRecord(anyOf[1]) &&
    anyOf[1].type === 'string'
  );
}

function checkJunctorBranch(branch: unknown, path: string, problems: string[]): void {
  if (!isRecord(branch)) return;
  for (const key of FORBIDDEN_IN_JUNCTORS) {
    if (key in branch) problems.push(`${path}: "${key}" is not allowed inside allOf/anyOf/oneOf/not`);
  }
}

export function structuralProblems(
  schema: JsonSchema,
  path = 'openAPIV3Schema',
  problems: string[] = [],
): string[] {
  for (const key of UNSUPPORTED_KEYS) {
    if (key in schema) problems.push(`${path}: "${key}" is not supported in a CRD schema`);
  }
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof schema.type !== 'string' || schema.type === '') {
    if (!intOrString && !preserve) problems.push(`${path}: must specify a type`);
  }
  if (intOrString) {
    if ('type' in schema) problems.push(`${path}: x-kubernetes-int-or-string must not also set type`);
    if ('anyOf' in schema && !isIntOrStringPattern(schema.anyOf)) {
      problems.push(
        `${path}: x-kubernetes-int-or-string allows only anyOf [{type: integer}, {type: string}]`,
      );
    }
  }
  if ('properties' in schema && 'additionalProperties' in schema) {
    problems.push(`${path}: properties and additionalProperties are mutually exclusive`);
  }
  for (const junctor of JUNCTORS) {
    const value = schema[junctor];
    if (value === undefined) continue;
    if (intOrString && junctor === 'anyOf') continue;
    const branches = Array.isArray(value) ? value : [value];
    branches.forEach((b, i) => {
      checkJunctorBranch(b, `${path}.${junctor}[${i}]`, problems);
    });
  }
  if (isRecord(schema.properties)) {
    if (schema.type !== 'object')
      problems.push(`${path}: properties given on a node that is not type object`);
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isRecord(child)) structuralProblems(child, `${path}.properties.${name}`, problems);
    }
  }
  if (isRecord(schema.additionalProperties)) {
    structuralProblems(schema.additionalProperties, `${path}.additionalProperties`, problems);
  }
  if (schema.type === 'array') {
    if (!isRecord(schema.items)) problems.push(`${path}: an array must specify items`);
    else structuralProblems(schema.items, `${path}.items`, problems);
  }
  if (path === 'openAPIV3Schema' && isRecord(schema.properties) && isRecord(schema.properties.metadata)) {
    const meta = schema.properties.metadata;
    const allowed = new Set(['type', 'properties', 'description']);
    for (const key of Object.keys(meta)) {
      if (!allowed.has(key))
        problems.push(`${path}.properties.metadata: only name and generateName may be restricted`);
    }
    if (isRecord(meta.properties)) {
      for (const name of Object.keys(meta.properties)) {
        if (name !== 'name' && name !== 'generateName') {
          problems.push(
            `${path}.properties.metadata.properties.${name}: only name and generateName may be restricted`,
          );
        }
      }
    }
  }
  return problems;
}
