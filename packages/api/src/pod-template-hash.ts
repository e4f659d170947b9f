// The pod-template hash: the `rollouts-pod-template-hash` label that names a revision's
// ReplicaSet and pods. Deterministic over a canonical form of the template (object key order
// does not matter), and safe as a label value and as a name suffix.
import type { PodTemplateSpec } from './schema/common';

export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** Alphabet of Kubernetes' rand.SafeEncodeString: no vowels, no confusable characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every depth, and undefined values dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** 32-bit FNV-1a over the UTF-8 bytes of a string. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** As rand.SafeEncodeString(fmt.Sprint(n)): each character of the decimal text picks a letter. */
function safeEncode(n: number): string {
  return [...String(n)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]!).join('');
}

/** The template as hashed: without the hash label itself, so adding it changes nothing. */
export function templateForHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

/**
 * The hash of a pod template. `collisionCount` (status.collisionCount) changes it when two
 * different templates meet the same hash, as Kubernetes does for Deployments.
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount = 0): string {
  const text = canonicalJson(templateForHash(template)) + (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncode(fnv1a32(text));
}

/** True when two templates describe the same pods (the hash label aside). */
export function sameTemplate(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(templateForHash(a)) === canonicalJson(templateForHash(b));
}

/** A short, label-safe hash of any JSON value (Argo's step hash uses one over the canary steps). */
export function valueHash(value: unknown): string {
  return safeEncode(fnv1a32(canonicalJson(value ?? null)));
}
