/** LIST: selectors, the list's resourceVersion, and `limit`/`continue` paging over the current objects. */
import { keyOf } from '../resources/resource-type';
import { matchesFields, parseFieldSelector } from '../semantics/field-selector';
import { matchesLabels, parseLabelSelector } from '../semantics/label-selector';
import * as errors from '../semantics/status';
import { isObject, type KubeObject } from '../types';
import type { ListOptions, ListResult, Operations, Scope } from './operations';

export function listObjects(ops: Operations, scope: Scope, opts: ListOptions = {}): ListResult {
  const version = ops.versionOf(scope);
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector, version.selectableFields);
  let listRv = String(ops.store.resourceVersion);
  let start = '';
  if (opts.continue) {
    const token = decodeContinue(opts.continue);
    if (Number(token.rv) < ops.store.hub.oldestAvailable) {
      throw errors.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    listRv = token.rv;
    start = token.start;
  }
  // The stored objects themselves (read only): only the page returned is copied, by `output`.
  const all = ops.store
    .peekList(keyOf(scope.type), scope.namespace)
    .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o))
    .filter((o) => !start || sortKey(o) > start);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : all.length;
  const page = all.slice(0, limit);
  const result: ListResult = {
    items: page.map((o) => ops.output(scope.type, scope.version, o)),
    resourceVersion: listRv,
  };
  const last = page[page.length - 1];
  if (all.length > page.length && last) {
    result.continue = Buffer.from(JSON.stringify({ rv: listRv, start: sortKey(last) })).toString('base64url');
    if (labels.length === 0 && fields.length === 0) result.remainingItemCount = all.length - page.length;
  }
  return result;
}

function sortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function decodeContinue(token: string): { rv: string; start: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isObject(parsed) && typeof parsed.rv === 'string' && typeof parsed.start === 'string') {
      return { rv: parsed.rv, start: parsed.start };
    }
  } catch {
    // fall through
  }
  throw errors.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
