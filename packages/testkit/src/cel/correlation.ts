/**
 * Old values next to new ones, as the API server pairs them on update:
 * - for `oldSelf` (transition rules): through object fields and map keys, and list items only in lists with
 *   `x-kubernetes-list-type: map` (by their `x-kubernetes-list-map-keys`); nowhere else;
 * - for ratcheting (an unchanged value keeps passing even if a rule now fails it): object fields, map keys,
 *   map-list items by key and other lists without a list type by index (sets and atomic lists not item by
 *   item); an uncorrelated node is judged by its nearest correlated ancestor.
 */
import type { Schema } from '../semantics/schema-validation';
import { isObject, jsonEqual } from '../types';

function mapKeys(schema: Schema): string[] | undefined {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(keys) || keys.length === 0)
    return undefined;
  return keys.filter((k): k is string => typeof k === 'string');
}

function compositeKey(item: unknown, keys: string[], itemSchema: Schema | undefined): string | undefined {
  if (!isObject(item)) return undefined;
  const values: unknown[] = [];
  for (const key of keys) {
    const value = item[key] ?? itemSchema?.properties?.[key]?.default;
    if (value === undefined) return undefined;
    values.push(value);
  }
  return JSON.stringify(values);
}

/** Finds the old item of a map-list item by its keys; for any other list, never. */
export class MapListIndex {
  private readonly byKey = new Map<string, unknown>();
  private readonly keys: string[] | undefined;

  constructor(
    private readonly schema: Schema,
    oldList: unknown,
  ) {
    this.keys = mapKeys(schema);
    if (!this.keys || !Array.isArray(oldList)) return;
    for (const item of oldList) {
      const key = compositeKey(item, this.keys, schema.items);
      if (key !== undefined && !this.byKey.has(key)) this.byKey.set(key, item);
    }
  }

  get(item: unknown): unknown {
    if (!this.keys) return undefined;
    const key = compositeKey(item, this.keys, this.schema.items);
    return key === undefined ? undefined : this.byKey.get(key);
  }
}

/** A node of the new object paired with its old value, for ratcheting. */
export class Correlation {
  private equal: boolean | undefined;
  private index: MapListIndex | undefined;

  constructor(
    readonly value: unknown,
    readonly old: unknown,
    readonly schema: Schema,
  ) {}

  key(field: string): Correlation | undefined {
    if (!isObject(this.value) || !isObject(this.old)) return undefined;
    if (!(field in this.value) || !(field in this.old)) return undefined;
    const schema =
      this.schema.properties?.[field] ??
      (typeof this.schema.additionalProperties === 'object'
        ? (this.schema.additionalProperties as Schema)
        : undefined);
    return schema ? new Correlation(this.value[field], this.old[field], schema) : undefined;
  }

  at(i: number): Correlation | undefined {
    if (
      !Array.isArray(this.value) ||
      !Array.isArray(this.old) ||
      i >= this.value.length ||
      !this.schema.items
    ) {
      return undefined;
    }
    const listType = this.schema['x-kubernetes-list-type'];
    let old: unknown;
    if (listType === 'map') {
      this.index ??= new MapListIndex(this.schema, this.old);
      old = this.index.get(this.value[i]);
    } else if (listType === 'set' || listType === 'atomic') {
      return undefined;
    } else {
      old = this.old[i];
    }
    return old === undefined ? undefined : new Correlation(this.value[i], old, this.schema.items);
  }

  unchanged(): boolean {
    this.equal ??= jsonEqual(this.value, this.old);
    return this.equal;
  }
}

/** Where ratcheting stands at a node: its correlation, or the nearest correlated ancestor's. */
export interface Ratchet {
  current?: Correlation;
  nearest?: Correlation;
}

export function ratchetKey(r: Ratchet, field: string, atRoot: boolean): Ratchet {
  if (!r.current) return r;
  if (atRoot && (field === 'apiVersion' || field === 'kind')) return {};
  return { current: r.current.key(field), nearest: r.current };
}

export function ratchetIndex(r: Ratchet, i: number): Ratchet {
  if (!r.current) return r;
  return { current: r.current.at(i), nearest: r.current };
}

export function shouldRatchet(r: Ratchet): boolean {
  if (r.current) return r.current.unchanged();
  return r.nearest?.unchanged() ?? false;
}
