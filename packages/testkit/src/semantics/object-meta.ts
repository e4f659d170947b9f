/** ObjectMeta rules: names, generateName, system fields, and what counts as a spec change for `generation`. */
import { randomUUID } from 'node:crypto';
import type { ResourceType } from '../resources/resource-type';
import { jsonEqual, type KubeObject } from '../types';
import type { StatusCause } from './status';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateName(type: ResourceType, name: string, field = 'metadata.name'): StatusCause[] {
  const invalid = (why: string): StatusCause[] => [
    { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${why}`, field },
  ];
  if (type.nameRule === 'path') {
    if (name === '.' || name === '..') return invalid(`may not be '${name}'`);
    if (/[/%]/.test(name)) return invalid(`may not contain '${name.includes('/') ? '/' : '%'}'`);
    return [];
  }
  if (type.nameRule === 'label') {
    if (name.length > 63 || !LABEL.test(name)) {
      return invalid(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
    return [];
  }
  if (name.length > 253 || !SUBDOMAIN.test(name)) {
    return invalid(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return [];
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters from the same alphabet as the real server. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return `${prefix.slice(0, 58)}${suffix}`;
}

export function newUid(): string {
  return randomUUID();
}

/** The part of an object whose change bumps `metadata.generation`: all but metadata (and status, with /status). */
function specPart(obj: KubeObject, hasStatus: boolean): Record<string, unknown> {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = obj;
  return hasStatus ? rest : { ...rest, status };
}

export function specChanged(old: KubeObject, next: KubeObject, hasStatus: boolean): boolean {
  return !jsonEqual(specPart(old, hasStatus), specPart(next, hasStatus));
}

/** Equal apart from resourceVersion: an update that changes nothing is not written (no new version, no event). */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  // Compared in place (no copies): both without apiVersion, kind and metadata.resourceVersion.
  const { apiVersion: _a, kind: _k, metadata: metaA, ...restA } = a;
  const { apiVersion: _b, kind: _l, metadata: metaB, ...restB } = b;
  const { resourceVersion: _ra, ...otherA } = metaA;
  const { resourceVersion: _rb, ...otherB } = metaB;
  return jsonEqual(otherA, otherB) && jsonEqual(restA, restB);
}

/** Fields of ObjectMeta only the server sets, copied from the stored object on every update. */
export function keepSystemFields(old: KubeObject, next: KubeObject): void {
  const m = next.metadata;
  const o = old.metadata;
  for (const key of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
    'namespace',
    'name',
  ] as const) {
    if (o[key] === undefined) delete m[key];
    else (m as Record<string, unknown>)[key] = o[key];
  }
  delete m.managedFields;
  delete m.selfLink;
}
