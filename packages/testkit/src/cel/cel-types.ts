/**
 * The CEL type of a structural schema node, as Kubernetes declares it for x-kubernetes-validations: objects with
 * properties are object types (fields escaped, see escaping.ts), objects with additionalProperties are maps,
 * arrays are lists, `integer` is int, `number` double, strings with format byte/duration/date/date-time are
 * bytes/duration/timestamp, int-or-string is dyn. A node without a type cannot be reached. The root of a
 * resource and embedded resources show apiVersion, kind and metadata.name/generateName only.
 */
import type { Schema } from '../semantics/schema-validation';
import { escapePropertyName } from './escaping';

export type CelKind =
  | 'object'
  | 'map'
  | 'list'
  | 'int'
  | 'double'
  | 'string'
  | 'bool'
  | 'bytes'
  | 'duration'
  | 'timestamp'
  | 'dyn';

export interface CelTypeInfo {
  kind: CelKind;
  /** The schema node this type comes from (object, map and list types). */
  schema?: Schema;
  /** Root of a resource or an embedded resource: apiVersion, kind and metadata are fields too. */
  resourceRoot?: boolean;
}

export interface CelField {
  /** The property name in JSON. */
  property: string;
  schema: Schema;
  /** Whether the field's own value is a resource root (an embedded resource). */
  resourceRoot: boolean;
}

const OBJECT_META: Schema = {
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
};

/** The type of a schema node, or undefined when CEL cannot see it (no type, preserve-unknown-fields only). */
export function celTypeOf(schema: Schema, resourceRoot = false): CelTypeInfo | undefined {
  if (schema['x-kubernetes-int-or-string'] === true) return { kind: 'dyn', schema };
  const root = resourceRoot || schema['x-kubernetes-embedded-resource'] === true;
  switch (schema.type) {
    case 'object':
      if (typeof schema.additionalProperties === 'object' && !root) return { kind: 'map', schema };
      return { kind: 'object', schema, resourceRoot: root };
    case 'array':
      return { kind: 'list', schema };
    case 'integer':
      return { kind: 'int' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'bool' };
    case 'string':
      if (schema.format === 'byte') return { kind: 'bytes' };
      if (schema.format === 'duration') return { kind: 'duration' };
      if (schema.format === 'date' || schema.format === 'date-time') return { kind: 'timestamp' };
      return { kind: 'string' };
    default:
      return root ? { kind: 'object', schema, resourceRoot: true } : undefined;
  }
}

/** The fields of an object type, by CEL (escaped) name. */
export function celFields(type: CelTypeInfo): Map<string, CelField> {
  const fields = new Map<string, CelField>();
  const properties = type.schema?.properties ?? {};
  for (const [property, schema] of Object.entries(properties)) {
    const name = escapePropertyName(property);
    if (name === undefined || celTypeOf(schema) === undefined) continue;
    fields.set(name, { property, schema, resourceRoot: schema['x-kubernetes-embedded-resource'] === true });
  }
  if (type.resourceRoot) {
    fields.set('apiVersion', { property: 'apiVersion', schema: { type: 'string' }, resourceRoot: false });
    fields.set('kind', { property: 'kind', schema: { type: 'string' }, resourceRoot: false });
    fields.set('metadata', { property: 'metadata', schema: OBJECT_META, resourceRoot: false });
  }
  return fields;
}

/** The element type of a list, or the value type of a map (undefined: not reachable). */
export function celElementType(type: CelTypeInfo): CelTypeInfo | undefined {
  if (type.kind === 'list' && type.schema?.items) return celTypeOf(type.schema.items);
  if (type.kind === 'map' && typeof type.schema?.additionalProperties === 'object') {
    return celTypeOf(type.schema.additionalProperties as Schema);
  }
  return undefined;
}

/** The name cel-go gives a type in messages. */
export function celTypeName(type: CelTypeInfo | undefined): string {
  if (type === undefined) return 'dyn';
  switch (type.kind) {
    case 'object':
      return 'object';
    case 'list':
      return `list(${celTypeName(celElementType(type))})`;
    case 'map':
      return `map(string, ${celTypeName(celElementType(type))})`;
    case 'duration':
      return 'google.protobuf.Duration';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    default:
      return type.kind;
  }
}
