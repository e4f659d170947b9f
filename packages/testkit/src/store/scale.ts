/** The /scale subresource: autoscaling/v1 Scale views of an object, and writes of its replicas. */
import { badRequest, conflict, invalid, pathNotFound } from '../semantics/status';
import { scaleOf, setPath } from '../semantics/subresources';
import { clone, isObject, type JsonObject } from '../types';
import { type Operations, type PatchType, resourceOf, type Scope, type WriteOptions } from './operations';

export function getScale(ops: Operations, scope: Scope, name: string): JsonObject {
  const version = ops.versionOf(scope);
  if (!version.scale) throw pathNotFound();
  return scaleOf(scope.type, version, ops.get(scope, name));
}

export function updateScale(
  ops: Operations,
  scope: Scope,
  name: string,
  body: unknown,
  opts: WriteOptions = {},
): JsonObject {
  const version = ops.versionOf(scope);
  const scale = version.scale;
  if (!scale) throw pathNotFound();
  const old = ops.stored(scope, name);
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
  const meta = isObject(body.metadata) ? body.metadata : {};
  if (meta.name !== undefined && meta.name !== name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  }
  if (
    typeof meta.resourceVersion === 'string' &&
    meta.resourceVersion !== '' &&
    meta.resourceVersion !== old.metadata.resourceVersion
  ) {
    throw conflict(resourceOf(scope.type), name);
  }
  const replicas = isObject(body.spec) ? body.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid({ group: 'autoscaling', name: 'Scale' }, name, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      },
    ]);
  }
  const next = clone(old);
  setPath(next as JsonObject, scale.specReplicasPath, replicas);
  const { object } = ops.commit(scope, old, next, opts);
  return scaleOf(scope.type, version, object);
}

export function patchScale(
  ops: Operations,
  scope: Scope,
  name: string,
  patchType: PatchType,
  patch: unknown,
  opts: WriteOptions = {},
): JsonObject {
  const current = getScale(ops, scope, name);
  const patched = ops.applyPatch(undefined, patchType, current, patch);
  return updateScale(ops, scope, name, patched, opts);
}
