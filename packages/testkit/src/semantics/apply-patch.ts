/** Applies a PATCH body by its content type: merge, JSON, strategic merge (built-ins only); no server-side apply. */
import type { ResourceType } from '../resources/resource-type';
import type { PatchType } from '../store/operations';
import { isObject } from '../types';
import { applyJsonPatch, mergePatch } from './patch-merge';
import * as errors from './status';
import { strategicMergePatch } from './strategic-merge';

export function applyPatch(
  type: ResourceType | undefined,
  patchType: PatchType,
  current: unknown,
  patch: unknown,
): unknown {
  switch (patchType) {
    case 'merge':
      if (!isObject(patch)) throw errors.badRequest('a merge patch must be a JSON object');
      return mergePatch(current, patch);
    case 'json':
      return applyJsonPatch(current, patch);
    case 'strategic':
      if (type && !type.strategicMerge) {
        throw errors.unsupportedMediaType(
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        );
      }
      return strategicMergePatch(current, patch);
    case 'apply':
      throw errors.unsupportedMediaType(
        'testkit does not implement server-side apply (application/apply-patch+yaml); use a merge, JSON or strategic merge patch, or client-side kubectl apply',
      );
  }
  return current;
}
