/** Shapes shared by every part of testkit: plain JSON objects as the API server stores them. */
import type { ObjectMetaFields } from '@ramp/api';

export type JsonObject = Record<string, unknown>;

export type { OwnerReference } from '@ramp/api';

/** Object metadata as @ramp/api types it, plus the fields only the server itself keeps. */
export interface ObjectMeta extends ObjectMetaFields {
  deletionGracePeriodSeconds?: number;
  [key: string]: unknown;
}

/** Any Kubernetes object: apiVersion, kind, metadata and whatever else its kind holds. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Freezes a JSON value and everything in it (returns it). The store freezes what it keeps, so that its
 * internal readers can share stored objects instead of copying them: a mutation throws (strict mode).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

export { jsonEqual } from '@ramp/api';

/** Timestamps as the API server writes them: RFC 3339, seconds precision, UTC. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
