/**
 * A minimal OpenAPI v3 (/openapi/v3 and one document per group version): for every resource, its paths with
 * their operations, each tagged `x-kubernetes-group-version-kind`, and the `fieldValidation` query parameter
 * on PATCH. That is what kubectl reads to decide it may leave validation to the server
 * (`fieldValidation=Strict`), so `kubectl create -f` and `apply -f` work without `--validate=false`.
 * Custom resources carry their CRD schema. No /openapi/v2: kubectl falls back to its compiled-in types.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../crd-registry';
import { groupVersion, type ResourceType } from '../resources/resource-type';
import type { JsonObject } from '../types';

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function operation(
  type: ResourceType,
  version: string,
  action: string,
  params: string[],
  body: string[],
): JsonObject {
  const op: JsonObject = {
    operationId: `${action}${type.kind}`,
    parameters: params.map(QUERY),
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version, kind: type.kind },
  };
  if (body.length > 0) {
    op.requestBody = { content: Object.fromEntries(body.map((ct) => [ct, { schema: { type: 'object' } }])) };
  }
  return op;
}

function pathsFor(type: ResourceType, version: string): Record<string, JsonObject> {
  const gv = groupVersion(type.group, version);
  const root = type.group ? `/apis/${gv}` : `/api/${gv}`;
  const base = type.namespaced ? `${root}/namespaces/{namespace}/${type.plural}` : `${root}/${type.plural}`;
  const write = ['dryRun', 'fieldManager', 'fieldValidation'];
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ];
  const v = type.versions.find((x) => x.name === version);
  const paths: Record<string, JsonObject> = {
    [base]: {
      get: operation(
        type,
        version,
        'list',
        ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch'],
        [],
      ),
      post: operation(type, version, 'post', write, ['*/*']),
      delete: operation(type, version, 'deletecollection', ['labelSelector', 'fieldSelector'], []),
    },
    [`${base}/{name}`]: {
      get: operation(type, version, 'get', [], []),
      put: operation(type, version, 'put', write, ['*/*']),
      patch: operation(type, version, 'patch', [...write, 'force'], patchTypes),
      delete: operation(type, version, 'delete', ['gracePeriodSeconds', 'propagationPolicy'], []),
    },
  };
  if (v?.status) {
    paths[`${base}/{name}/status`] = {
      get: operation(type, version, 'get', [], []),
      put: operation(type, version, 'put', write, ['*/*']),
      patch: operation(type, version, 'patch', [...write, 'force'], patchTypes),
    };
  }
  return paths;
}

export class OpenApi {
  private cache = new Map<string, { revision: number; body: string; hash: string }>();

  constructor(private readonly registry: ResourceRegistry) {}

  /** The document of one group version (`api/v1`, `apis/apps/v1`), as JSON text. */
  document(path: string): { body: string; hash: string } | undefined {
    const cached = this.cache.get(path);
    if (cached && cached.revision === this.registry.revision) return cached;
    const gv = this.registry
      .groupVersions()
      .find((g) => (g.group ? `apis/${g.groupVersion}` : `api/${g.version}`) === path);
    if (!gv) return undefined;
    const paths: Record<string, JsonObject> = {};
    const schemas: Record<string, unknown> = {};
    for (const type of gv.types) {
      Object.assign(paths, pathsFor(type, gv.version));
      const schema = type.versions.find((v) => v.name === gv.version)?.schema;
      if (schema) schemas[`${type.group}.${gv.version}.${type.kind}`] = schema;
    }
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes (testkit)', version: 'v1.32.0' },
      paths,
      components: { schemas },
    };
    const body = JSON.stringify(doc);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    const entry = { revision: this.registry.revision, body, hash };
    this.cache.set(path, entry);
    return entry;
  }

  root(): JsonObject {
    const paths: Record<string, JsonObject> = {};
    for (const gv of this.registry.groupVersions()) {
      const path = gv.group ? `apis/${gv.groupVersion}` : `api/${gv.version}`;
      const doc = this.document(path);
      if (doc) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
    }
    return { paths };
  }
}
