// A thin vocabulary over TypeBox for Kubernetes-shaped schemas. Every schema built here is
// plain JSON Schema (what a CRD's openAPIV3Schema holds) and carries its TypeScript type.
import {
  type SchemaOptions,
  type Static,
  type TObject,
  type TProperties,
  type TSchema,
  Type,
} from '@sinclair/typebox';

export type { Static, TSchema };
export { Type };

/** Extension keys we put on schemas; the CRD emitter turns them into Kubernetes' own keys. */
export const EMBEDDED = 'x-ramp-embedded';

/** An object with a fixed set of fields; unknown fields are reported by validation. */
export function obj<P extends TProperties>(properties: P, options: SchemaOptions = {}): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const opt = Type.Optional;

export function str(description?: string, options: SchemaOptions = {}) {
  return Type.String({ ...(description ? { description } : {}), ...options });
}

export function int32(description?: string, options: SchemaOptions = {}) {
  return Type.Integer({ format: 'int32', ...(description ? { description } : {}), ...options });
}

export function int64(description?: string, options: SchemaOptions = {}) {
  return Type.Integer({ format: 'int64', ...(description ? { description } : {}), ...options });
}

export function bool(description?: string) {
  return Type.Boolean(description ? { description } : {});
}

export function list<T extends TSchema>(items: T, description?: string) {
  return Type.Array(items, description ? { description } : {});
}

/** A map of string to string (labels, annotations, matchLabels). */
export function stringMap(description?: string) {
  return Type.Record(Type.String(), Type.String(), description ? { description } : {});
}

/** Kubernetes IntOrString: `5`, `"5"`, `"25%"`. */
export function intOrString(description?: string) {
  return Type.Unsafe<number | string>({
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    ...(description ? { description } : {}),
  });
}

/**
 * A Kubernetes type embedded whole (pod template, Job spec, plugin config): kept as given,
 * checked by the rules in validate/ rather than by the schema.
 */
export function embedded<T = Record<string, unknown>>(description: string) {
  return Type.Unsafe<T>({ type: 'object', description, [EMBEDDED]: true });
}

/** A timestamp as the API server writes it (RFC 3339). */
export function time(description?: string) {
  return Type.String({ format: 'date-time', ...(description ? { description } : {}) });
}
