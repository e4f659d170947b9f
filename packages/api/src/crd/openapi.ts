// Turns our TypeBox schemas into the openAPIV3Schema of a CustomResourceDefinition
// (apiextensions.k8s.io/v1, structural), so the CRDs and the TypeScript types share one source.
import { EMBEDDED } from '../schema/dsl';

export type JsonSchema = Record<string, unknown>;

const isRecord = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A union of string literals: `{ anyOf: [{ const: 'a' }, ...] }`. */
function literalUnion(schema: JsonSchema): string[] | undefined {
  const anyOf = schema.anyOf;
  if (!Array.isArray(anyOf) || anyOf.length === 0) return undefined;
  const values = anyOf.map((s) => (isRecord(s) && typeof s.const === 'string' ? s.const : undefined));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

export function toOpenApi(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (typeof schema.description === 'string') out.description = schema.description;

  if (schema[EMBEDDED] === true) {
    return { ...out, type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    return { ...out, anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }
  if (typeof schema.const === 'string') return { ...out, type: 'string' };
  const literals = literalUnion(schema);
  if (literals) return { ...out, type: 'string', enum: literals };

  switch (schema.type) {
    case 'object': {
      out.type = 'object';
      const patterns = schema.patternProperties;
      if (isRecord(patterns)) {
        const [valueSchema] = Object.values(patterns);
        if (isRecord(valueSchema)) out.additionalProperties = toOpenApi(valueSchema);
        return out;
      }
      if (isRecord(schema.properties)) {
        const props: JsonSchema = {};
        for (const [name, child] of Object.entries(schema.properties)) {
          if (isRecord(child)) props[name] = toOpenApi(child);
        }
        out.properties = props;
      }
      const required = Array.isArray(schema.required)
        ? schema.required.filter((r) => typeof r === 'string')
        : [];
      if (required.length > 0) out.required = [...required].sort();
      return out;
    }
    case 'array':
      out.type = 'array';
      if (isRecord(schema.items)) out.items = toOpenApi(schema.items);
      return out;
    case 'integer':
      out.type = 'integer';
      if (typeof schema.format === 'string') out.format = schema.format;
      return out;
    case 'string':
      out.type = 'string';
      if (schema.format === 'date-time') out.format = 'date-time';
      return out;
    case 'boolean':
    case 'number':
      out.type = schema.type;
      return out;
    default:
      throw new Error(
        `schema node has no type the CRD emitter knows: ${JSON.stringify(schema).slice(0, 200)}`,
      );
  }
}

/** The root schema of a kind: apiVersion, kind and metadata are the API server's, so not required. */
export function rootOpenApi(schema: JsonSchema): JsonSchema {
  const root = toOpenApi(schema);
  const required = Array.isArray(root.required)
    ? root.required.filter((r) => r !== 'apiVersion' && r !== 'kind' && r !== 'metadata')
    : [];
  if (required.length > 0) root.required = required;
  else delete root.required;
  return root;
}
