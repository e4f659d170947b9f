/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902, through fast-json-patch). */
import * as jsonPatch from 'fast-json-patch';
import { clone, isObject } from '../types';
import { badRequest, patchRejected } from './status';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Applies RFC 6902 operations; a malformed patch is a 400, one that cannot apply (a failed `test`) a 422. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of operations) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(op)}`);
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) {
      throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  try {
    const ops = operations as jsonPatch.Operation[];
    return jsonPatch.applyPatch(clone(target), ops, true, true).newDocument;
  } catch (err) {
    const e = err as { name?: string; message?: string; operation?: { path?: string } };
    const path = e.operation?.path ?? '';
    if (e.name === 'TEST_OPERATION_FAILED') throw patchRejected(`testing value ${path} failed: test failed`);
    if (e.name === 'OPERATION_PATH_UNRESOLVABLE') {
      throw patchRejected(`doc is missing path: "${path}": missing value`);
    }
    throw patchRejected(String(e.message ?? err).split('\n')[0] ?? 'invalid patch');
  }
}
