/**
 * JSON values of a custom resource as CEL values, typed by their schema (cel-types.ts): integers are CEL
 * ints, objects with properties carry only their declared fields (escaped names), maps and lists convert
 * their items, formatted strings become bytes, durations and timestamps. One converter per validation:
 * each JSON object or array is converted once, and rules on nested nodes reuse the converted children.
 */
import { type CelValue, celEnv, celList, celMap, isCelError, parse, plan } from '@bufbuild/cel';
import { isObject } from '../types';
import { type CelTypeInfo, celElementType, celFields, celTypeOf } from './cel-types';

const conversions = celEnv({ variables: {} });
const toDuration = plan(conversions, parse('duration(s)'));
const toTimestamp = plan(conversions, parse('timestamp(s)'));

function formatted(value: string, type: CelTypeInfo): CelValue {
  switch (type.kind) {
    case 'bytes':
      return Uint8Array.from(Buffer.from(value, 'base64'));
    case 'duration': {
      const d = toDuration({ s: value });
      return isCelError(d) ? value : d;
    }
    case 'timestamp': {
      const t = toTimestamp({ s: /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value });
      return isCelError(t) ? value : t;
    }
    default:
      return value;
  }
}

/** A JSON value with no schema to go by (int-or-string, and what dyn holds). */
export function untypedToCel(value: unknown): CelValue {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return celList(value.map(untypedToCel));
  if (isObject(value)) {
    return celMap(new Map(Object.entries(value).map(([k, v]) => [k, untypedToCel(v)] as const)));
  }
  return null;
}

export class CelConverter {
  private readonly cache = new WeakMap<object, CelValue>();

  /** The CEL value of a JSON value whose schema type is `type`. */
  toCel(value: unknown, type: CelTypeInfo): CelValue {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return this.scalar(value, type);
    const cached = this.cache.get(value);
    if (cached !== undefined) return cached;
    const converted = this.container(value, type);
    this.cache.set(value, converted);
    return converted;
  }

  private scalar(value: unknown, type: CelTypeInfo): CelValue {
    if (typeof value === 'number') {
      if (type.kind === 'double') return value;
      return Number.isInteger(value) ? BigInt(value) : value;
    }
    if (typeof value === 'string') return formatted(value, type);
    return typeof value === 'boolean' ? value : null;
  }

  private container(value: object, type: CelTypeInfo): CelValue {
    if (Array.isArray(value)) {
      const elem = celElementType(type);
      return celList(value.map((item) => (elem ? this.toCel(item, elem) : untypedToCel(item))));
    }
    const obj = value as Record<string, unknown>;
    if (type.kind === 'map') {
      const elem = celElementType(type);
      const entries = Object.entries(obj).map(
        ([k, v]) => [k, elem ? this.toCel(v, elem) : untypedToCel(v)] as const,
      );
      return celMap(new Map(entries));
    }
    if (type.kind !== 'object') return untypedToCel(value);
    const entries: [string, CelValue][] = [];
    for (const [name, field] of celFields(type)) {
      const child = obj[field.property];
      if (child === undefined) continue;
      const childType = celTypeOf(field.schema, field.resourceRoot);
      if (childType) entries.push([name, child === null ? null : this.toCel(child, childType)]);
    }
    return celMap(new Map(entries));
  }
}
