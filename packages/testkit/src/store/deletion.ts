/**
 * DELETE and deletecollection: preconditions, finalizers and deletionTimestamp, propagation policies
 * (Background, Foreground via the `foregroundDeletion` finalizer, Orphan via `orphan`), namespaces and CRDs
 * (terminating until their content is gone). The garbage collector finishes what is left pending.
 */
import { keyOf } from '../resources/resource-type';
import * as errors from '../semantics/status';
import { clone, isObject, type KubeObject, timestamp } from '../types';
import { blocked, type ListOptions, type Operations, resourceOf, type Scope } from './operations';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  /** The object (deleted, or marked for deletion) or a Success Status, as the real server answers. */
  body: unknown;
  /** False when the object remains, waiting for finalizers. */
  deleted: boolean;
}

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** Reads DeleteOptions from a request body (JSON object or empty). */
export function parseDeleteOptions(body: unknown): DeleteOptions {
  if (!isObject(body)) return {};
  const out: DeleteOptions = {};
  if (typeof body.propagationPolicy === 'string') out.propagationPolicy = body.propagationPolicy;
  if (typeof body.orphanDependents === 'boolean') out.orphanDependents = body.orphanDependents;
  if (typeof body.gracePeriodSeconds === 'number') out.gracePeriodSeconds = body.gracePeriodSeconds;
  if (isObject(body.preconditions)) {
    const p = body.preconditions;
    out.preconditions = {
      ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
      ...(typeof p.resourceVersion === 'string' ? { resourceVersion: p.resourceVersion } : {}),
    };
  }
  if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) out.dryRun = true;
  return out;
}

function propagation(scope: Scope, opts: DeleteOptions): Propagation {
  const p = opts.propagationPolicy;
  if (p !== undefined) {
    if (p !== 'Background' && p !== 'Foreground' && p !== 'Orphan') {
      throw errors.invalid({ group: 'meta.k8s.io', name: 'DeleteOptions' }, '', [
        {
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan"`,
          field: 'propagationPolicy',
        },
      ]);
    }
    if (opts.orphanDependents !== undefined) {
      throw errors.invalid({ group: 'meta.k8s.io', name: 'DeleteOptions' }, '', [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": orphanDependents and deletionPropagation cannot be both set',
          field: 'propagationPolicy',
        },
      ]);
    }
    return p;
  }
  if (opts.orphanDependents !== undefined) return opts.orphanDependents ? 'Orphan' : 'Background';
  return scope.type.defaultPropagation;
}

function checkPreconditions(scope: Scope, obj: KubeObject, opts: DeleteOptions): void {
  const pre = opts.preconditions;
  const name = obj.metadata.name ?? '';
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw errors.conflict(
      resourceOf(scope.type),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw errors.conflict(
      resourceOf(scope.type),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
}

export function deleteObject(
  ops: Operations,
  scope: Scope,
  name: string,
  opts: DeleteOptions = {},
): DeleteResult {
  const { type } = scope;
  const key = keyOf(type);
  const obj = ops.store.peek(key, scope.namespace, name);
  if (!obj) throw errors.notFound(resourceOf(type), name);
  checkPreconditions(scope, obj, opts);
  const policy = propagation(scope, opts);
  if (key === 'namespaces' && PROTECTED_NAMESPACES.includes(name)) {
    throw errors.forbidden(resourceOf(type), name, 'this namespace may not be deleted');
  }
  if (obj.metadata.deletionTimestamp) {
    return { body: ops.output(type, scope.version, obj), deleted: false };
  }
  const next = clone(obj);
  const finalizers = [...(next.metadata.finalizers ?? [])];
  const add = (f: string) => {
    if (!finalizers.includes(f)) finalizers.push(f);
  };
  if (policy === 'Foreground') add('foregroundDeletion');
  if (policy === 'Orphan') add('orphan');
  if (key === 'customresourcedefinitions.apiextensions.k8s.io') add(CRD_CLEANUP_FINALIZER);
  if (finalizers.length > 0) next.metadata.finalizers = finalizers;
  if (key === 'namespaces')
    next.status = { ...(isObject(next.status) ? next.status : {}), phase: 'Terminating' };
  if (blocked(type, next)) {
    next.metadata.deletionTimestamp = timestamp();
    next.metadata.deletionGracePeriodSeconds = 0;
    if (type.generation) next.metadata.generation = (next.metadata.generation ?? 1) + 1;
    if (opts.dryRun) return { body: ops.output(type, scope.version, next), deleted: false };
    const stored = ops.writeSystem(type, next);
    return { body: ops.output(type, scope.version, stored), deleted: false };
  }
  if (opts.dryRun) return { body: ops.output(type, scope.version, obj), deleted: true };
  const removed = ops.removeObject(type, obj);
  if (type.deleteReturnsObject) return { body: ops.output(type, scope.version, removed), deleted: true };
  const details: errors.StatusDetails = { name };
  if (type.group) details.group = type.group;
  details.kind = type.plural;
  details.uid = obj.metadata.uid ?? '';
  return { body: errors.success(details), deleted: true };
}

/** DELETE on a collection: deletes what the selectors match, answers the list of what was deleted. */
export function deleteCollection(
  ops: Operations,
  scope: Scope,
  list: ListOptions,
  opts: DeleteOptions,
): KubeObject[] {
  const { items } = ops.list(scope, { ...list, limit: 0 });
  const out: KubeObject[] = [];
  for (const item of items) {
    try {
      const result = deleteObject(ops, scope, item.metadata.name ?? '', opts);
      out.push(isObject(result.body) && result.body.kind !== 'Status' ? (result.body as KubeObject) : item);
    } catch (err) {
      if (!(err instanceof errors.ApiError && err.code === 404)) throw err;
    }
  }
  return out;
}
