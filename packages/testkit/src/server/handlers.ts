/** Resource requests: verbs by method and path shape, query parameters, list/Table rendering. */
import type { IncomingMessage } from 'node:http';
import { groupVersion, versionInfo } from '../resources/resource-type';
import { parseFieldSelector } from '../semantics/field-selector';
import { parseLabelSelector } from '../semantics/label-selector';
import * as errors from '../semantics/status';
import { type IncludeObject, toTable, wantsTable } from '../semantics/table';
import { deleteCollection, deleteObject, parseDeleteOptions } from '../store/deletion';
import type {
  FieldValidation,
  ListOptions,
  Operations,
  PatchType,
  Scope,
  WriteOptions,
} from '../store/operations';
import type { KubeObject } from '../types';
import type { ResourceRoute } from './router';
import type { WatchRequest } from './watch';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ResourceRequest {
  method: string;
  route: ResourceRoute;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type HandlerResult = Reply | { watch: WatchRequest };

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function scopeFor(ops: Operations, route: ResourceRoute): Scope {
  const resolved = ops.registry.resolve(route.group, route.version, route.plural);
  if (!resolved) throw errors.pathNotFound();
  const { type } = resolved;
  if (!type.namespaced && route.namespace !== undefined) throw errors.pathNotFound();
  if (type.namespaced && route.namespace === undefined && route.name !== undefined)
    throw errors.pathNotFound();
  const scope: Scope = { type, version: route.version };
  if (route.namespace !== undefined) scope.namespace = route.namespace;
  return scope;
}

function writeOptions(query: URLSearchParams): WriteOptions {
  const opts: WriteOptions = {};
  if (query.getAll('dryRun').includes('All')) opts.dryRun = true;
  const fv = query.get('fieldValidation');
  if (fv !== null) {
    if (fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
      throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fv}"`);
    }
    opts.fieldValidation = fv as FieldValidation;
  } else opts.fieldValidation = 'Warn';
  return opts;
}

function listOptions(query: URLSearchParams): ListOptions {
  const opts: ListOptions = {};
  const ls = query.get('labelSelector');
  const fs = query.get('fieldSelector');
  const limit = query.get('limit');
  const cont = query.get('continue');
  if (ls) opts.labelSelector = ls;
  if (fs) opts.fieldSelector = fs;
  if (limit) opts.limit = Number(limit);
  if (cont) opts.continue = cont;
  return opts;
}

function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function warningsHeader(warnings: string[]): Record<string, string> | undefined {
  if (warnings.length === 0) return undefined;
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function listReply(ops: Operations, scope: Scope, req: ResourceRequest): Reply {
  const result = ops.list(scope, listOptions(req.query));
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (wantsTable(req.headers.accept)) {
    const table = toTable(scope.type, scope.version, result.items, {
      include: includeObject(req.query),
      resourceVersion: result.resourceVersion,
      ...(result.continue ? { continue: result.continue } : {}),
    });
    return { status: 200, body: table };
  }
  // Items of built-in lists carry no apiVersion/kind (typed lists); custom resources' do.
  const items = scope.type.builtin
    ? result.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)
    : result.items;
  const list = {
    apiVersion: groupVersion(scope.type.group, scope.version),
    kind: scope.type.listKind,
    metadata,
    items,
  };
  return { status: 200, body: list };
}

function single(req: ResourceRequest, scope: Scope, obj: unknown, status = 200): Reply {
  if (
    wantsTable(req.headers.accept) &&
    typeof obj === 'object' &&
    obj !== null &&
    (obj as KubeObject).kind !== 'Status'
  ) {
    return {
      status,
      body: toTable(scope.type, scope.version, [obj as KubeObject], { include: includeObject(req.query) }),
    };
  }
  return { status, body: obj };
}

function patchType(req: ResourceRequest): PatchType {
  const ct = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const type = PATCH_TYPES[ct];
  if (!type) {
    throw errors.unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${''}`,
    );
  }
  return type;
}

function watchRequest(scope: Scope, req: ResourceRequest): { watch: WatchRequest } {
  const q = req.query;
  const version = versionInfo(scope.type, scope.version);
  const w: WatchRequest = {
    scope,
    labels: parseLabelSelector(q.get('labelSelector') ?? undefined),
    fields: parseFieldSelector(q.get('fieldSelector') ?? undefined, version?.selectableFields ?? []),
    allowBookmarks: isTrue(q.get('allowWatchBookmarks')),
    sendInitialEvents: isTrue(q.get('sendInitialEvents')),
  };
  const rv = q.get('resourceVersion');
  if (rv !== null) w.resourceVersion = rv;
  const timeout = q.get('timeoutSeconds');
  if (timeout !== null && Number(timeout) > 0) w.timeoutMs = Number(timeout) * 1000;
  if (wantsTable(req.headers.accept)) w.table = includeObject(q);
  return { watch: w };
}

export function handleResource(ops: Operations, req: ResourceRequest): HandlerResult {
  const { route, method, query } = req;
  const scope = scopeFor(ops, route);
  const name = route.name;
  const sub = route.subresource;
  const version = versionInfo(scope.type, scope.version);
  if (sub !== undefined && !(sub === 'status' && version?.status) && !(sub === 'scale' && version?.scale)) {
    throw errors.pathNotFound();
  }
  if (name === undefined) {
    switch (method) {
      case 'GET':
        if (isTrue(query.get('watch'))) return watchRequest(scope, req);
        return listReply(ops, scope, req);
      case 'POST': {
        if (route.namespace === undefined && scope.type.namespaced) throw errors.methodNotAllowed();
        const { object, warnings } = ops.create(scope, req.body, writeOptions(query));
        const headers = warningsHeader(warnings);
        return { ...single(req, scope, object, 201), ...(headers ? { headers } : {}) };
      }
      case 'DELETE': {
        const opts = { ...parseDeleteOptions(req.body), ...queryDeleteOptions(query) };
        const items = deleteCollection(ops, scope, listOptions(query), opts);
        const list = {
          apiVersion: groupVersion(scope.type.group, scope.version),
          kind: scope.type.listKind,
          metadata: { resourceVersion: String(ops.store.resourceVersion) },
          items,
        };
        return { status: 200, body: list };
      }
      default:
        throw errors.methodNotAllowed();
    }
  }
  if (sub === 'scale') {
    switch (method) {
      case 'GET':
        return { status: 200, body: ops.getScale(scope, name) };
      case 'PUT':
        return { status: 200, body: ops.updateScale(scope, name, req.body, writeOptions(query)) };
      case 'PATCH':
        return {
          status: 200,
          body: ops.patchScale(scope, name, patchType(req), req.body, writeOptions(query)),
        };
      default:
        throw errors.methodNotAllowed();
    }
  }
  const status = sub === 'status' ? 'status' : undefined;
  switch (method) {
    case 'GET':
      return single(req, scope, ops.get(scope, name));
    case 'PUT': {
      const { object, warnings } = ops.update(scope, name, req.body, writeOptions(query), status);
      const headers = warningsHeader(warnings);
      return { ...single(req, scope, object), ...(headers ? { headers } : {}) };
    }
    case 'PATCH': {
      const { object, warnings } = ops.patch(
        scope,
        name,
        patchType(req),
        req.body,
        writeOptions(query),
        status,
      );
      const headers = warningsHeader(warnings);
      return { ...single(req, scope, object), ...(headers ? { headers } : {}) };
    }
    case 'DELETE': {
      if (status) throw errors.methodNotAllowed();
      const opts = { ...parseDeleteOptions(req.body), ...queryDeleteOptions(query) };
      const result = deleteObject(ops, scope, name, opts);
      return { status: 200, body: result.body };
    }
    default:
      throw errors.methodNotAllowed();
  }
}

function queryDeleteOptions(query: URLSearchParams): ReturnType<typeof parseDeleteOptions> {
  const out: ReturnType<typeof parseDeleteOptions> = {};
  const p = query.get('propagationPolicy');
  if (p) out.propagationPolicy = p;
  const g = query.get('gracePeriodSeconds');
  if (g) out.gracePeriodSeconds = Number(g);
  const o = query.get('orphanDependents');
  if (o) out.orphanDependents = o === 'true';
  if (query.getAll('dryRun').includes('All')) out.dryRun = true;
  return out;
}
