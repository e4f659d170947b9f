/**
 * The API semantics over raw storage, shared by the HTTP handlers and the programmatic store:
 * create, get, list, update, patch, scale; deletion lives in store/deletion.ts. Errors are ApiErrors.
 */
import { celAdmission, validateCrdRules } from '../cel/cel-admission';
import { establishedStatus, type ResourceRegistry, validateCrd } from '../crd-registry';
import {
  groupVersion,
  keyOf,
  type ResourceType,
  type VersionInfo,
  versionInfo,
} from '../resources/resource-type';
import { applyPatch } from '../semantics/apply-patch';
import {
  generateName,
  keepSystemFields,
  newUid,
  sameObject,
  specChanged,
  validateName,
} from '../semantics/object-meta';
import { applySchema } from '../semantics/schema-validation';
import * as errors from '../semantics/status';
import { mainWrite, statusWrite } from '../semantics/subresources';
import { clone, isObject, type JsonObject, type KubeObject, timestamp } from '../types';
import { listObjects } from './list';
import type { ObjectStore } from './object-store';
import { getScale, patchScale, updateScale } from './scale';

export interface Scope {
  type: ResourceType;
  version: string;
  namespace?: string;
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';

export function resourceOf(type: ResourceType): errors.Qualified {
  return { group: type.group, name: type.plural };
}

export function kindOf(type: ResourceType): errors.Qualified {
  return { group: type.group, name: type.kind };
}

export class Operations {
  constructor(
    readonly registry: ResourceRegistry,
    readonly store: ObjectStore,
  ) {}

  /** The object as served at one version: conversion is only the apiVersion (CRD conversion strategy None). */
  output(type: ResourceType, version: string, obj: KubeObject): KubeObject {
    const out = clone(obj);
    const { metadata: _, apiVersion: _a, kind: _k, ...rest } = out;
    return {
      apiVersion: groupVersion(type.group, version),
      kind: type.kind,
      metadata: out.metadata,
      ...rest,
    };
  }

  /**
   * As `output`, without copying: a new top level sharing everything else with `obj` (for a stored object:
   * frozen). For readers that only serialize or read it (watch events).
   */
  view(type: ResourceType, version: string, obj: KubeObject): KubeObject {
    const { metadata, apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion: groupVersion(type.group, version), kind: type.kind, metadata, ...rest };
  }

  versionOf(scope: Scope): VersionInfo {
    const v = versionInfo(scope.type, scope.version);
    if (!v) throw errors.pathNotFound();
    return v;
  }

  get(scope: Scope, name: string): KubeObject {
    const found = this.store.peek(keyOf(scope.type), scope.namespace, name);
    if (!found) throw errors.notFound(resourceOf(scope.type), name);
    return this.output(scope.type, scope.version, found);
  }

  list(scope: Scope, opts: ListOptions = {}): ListResult {
    return listObjects(this, scope, opts);
  }

  /** 404 when the namespace is missing, 403 when it is being deleted. */
  private checkNamespace(type: ResourceType, namespace: string | undefined, name: string): void {
    if (!type.namespaced || namespace === undefined) return;
    const ns = this.store.peek('namespaces', undefined, namespace);
    if (!ns) throw errors.notFound({ group: '', name: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(
        resourceOf(type),
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
    }
  }

  private checkBody(scope: Scope, body: unknown, expectKind = scope.type.kind): KubeObject {
    if (!isObject(body)) throw errors.badRequest('the body of the request must be a JSON object');
    const obj = clone(body) as KubeObject;
    if (!isObject(obj.metadata)) obj.metadata = {};
    const gv = groupVersion(scope.type.group, scope.version);
    if (obj.kind === undefined || obj.apiVersion === undefined) {
      if (!scope.type.builtin)
        throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    } else if (obj.apiVersion !== gv || obj.kind !== expectKind) {
      if (obj.kind !== expectKind) {
        throw errors.badRequest(
          `the kind in the data (${obj.kind}) does not match the expected kind (${expectKind})`,
        );
      }
      throw errors.badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`,
      );
    }
    const ns = obj.metadata.namespace;
    if (scope.type.namespaced) {
      if (ns !== undefined && ns !== '' && ns !== scope.namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = scope.namespace;
    } else delete obj.metadata.namespace;
    return obj;
  }

  /**
   * Schema and x-kubernetes-validations (custom resources; `old` on update), built-in validation, CRD rules;
   * returns the warnings (pruned fields, ratcheted rule failures).
   */
  private admit(scope: Scope, obj: KubeObject, opts: WriteOptions, old?: KubeObject): string[] {
    const { type } = scope;
    const name = obj.metadata.name ?? '';
    const causes: errors.StatusCause[] = [];
    let pruned: string[] = [];
    const ruleWarnings: string[] = [];
    const schema = this.versionOf(scope).schema;
    if (schema) {
      const result = applySchema(obj as JsonObject, schema);
      causes.push(...result.causes);
      pruned = result.pruned;
      const rules = celAdmission(schema, result.causes, obj, old);
      causes.push(...rules.causes);
      ruleWarnings.push(...rules.warnings);
    }
    if (type.validate) causes.push(...type.validate(obj));
    if (keyOf(type) === CRD_KEY) causes.push(...validateCrd(obj), ...validateCrdRules(obj));
    if (causes.length > 0) throw errors.invalid(kindOf(type), name, causes);
    if (pruned.length > 0 && opts.fieldValidation === 'Strict') {
      const list = pruned.map((p) => `unknown field "${p}"`).join(', ');
      throw errors.badRequest(
        `${type.kind} in version "${scope.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`,
      );
    }
    const unknown = opts.fieldValidation === 'Ignore' ? [] : pruned.map((p) => `unknown field "${p}"`);
    return [...unknown, ...ruleWarnings];
  }

  private crdTerminating(type: ResourceType): boolean {
    if (!type.crdName) return false;
    return this.store.peek(CRD_KEY, undefined, type.crdName)?.metadata.deletionTimestamp !== undefined;
  }

  create(scope: Scope, body: unknown, opts: WriteOptions = {}): WriteResult {
    const { type } = scope;
    const obj = this.checkBody(scope, body);
    const m = obj.metadata;
    if (m.resourceVersion) {
      throw errors.internalError('resourceVersion should not be set on objects to be created');
    }
    if (!m.name && m.generateName) m.name = generateName(m.generateName);
    if (!m.name) {
      throw errors.invalid(kindOf(type), '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    const nameCauses = validateName(type, m.name);
    if (nameCauses.length > 0) throw errors.invalid(kindOf(type), m.name, nameCauses);
    if (this.crdTerminating(type)) {
      throw new errors.ApiError(
        errors.failure(
          405,
          'MethodNotAllowed',
          'create not allowed while custom resource definition is terminating',
        ),
      );
    }
    this.checkNamespace(type, m.namespace, m.name);
    const key = keyOf(type);
    if (this.store.peek(key, m.namespace, m.name)) {
      if (
        !body ||
        !isObject(body) ||
        !isObject(body.metadata) ||
        !body.metadata.generateName ||
        body.metadata.name
      ) {
        throw errors.alreadyExists(resourceOf(type), m.name);
      }
      m.name = generateName(String(body.metadata.generateName));
    }
    m.uid = newUid();
    m.creationTimestamp = timestamp();
    if (type.generation) m.generation = 1;
    else delete m.generation;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.managedFields;
    delete m.selfLink;
    if (this.versionOf(scope).status) delete obj.status;
    type.defaults?.(obj);
    const warnings = this.admit(scope, obj, opts);
    if (key === CRD_KEY) obj.status = establishedStatus(obj);
    if (opts.dryRun) return { object: this.output(type, scope.version, obj), warnings };
    const stored = this.store.write(key, obj);
    if (key === CRD_KEY) this.registry.registerCrd(stored);
    return { object: this.output(type, scope.version, stored), warnings };
  }

  /** The stored object itself (404 when missing): frozen, shared, read only. */
  stored(scope: Scope, name: string): KubeObject {
    const old = this.store.peek(keyOf(scope.type), scope.namespace, name);
    if (!old) throw errors.notFound(resourceOf(scope.type), name);
    return old;
  }

  private checkIdentity(scope: Scope, name: string, candidate: KubeObject): void {
    if (candidate.metadata.name !== undefined && candidate.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${candidate.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    candidate.metadata.name = name;
    const rv = candidate.metadata.resourceVersion;
    const old = this.stored(scope, name);
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
      throw errors.conflict(resourceOf(scope.type), name);
    }
  }

  update(
    scope: Scope,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
    subresource?: 'status',
  ): WriteResult {
    const candidate = this.checkBody(scope, body);
    const old = this.stored(scope, name);
    this.checkIdentity(scope, name, candidate);
    if (!candidate.metadata.resourceVersion && !scope.type.unconditionalUpdate) {
      throw errors.invalid(kindOf(scope.type), name, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0x0: must be specified for an update',
          field: 'metadata.resourceVersion',
        },
      ]);
    }
    return this.commit(scope, old, candidate, opts, subresource);
  }

  patch(
    scope: Scope,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
    subresource?: 'status',
  ): WriteResult {
    const old = this.stored(scope, name);
    const patched = this.applyPatch(
      scope.type,
      patchType,
      this.output(scope.type, scope.version, old),
      patch,
    );
    const candidate = this.checkBody(scope, patched);
    this.checkIdentity(scope, name, candidate);
    return this.commit(scope, old, candidate, opts, subresource);
  }

  applyPatch(
    type: ResourceType | undefined,
    patchType: PatchType,
    current: unknown,
    patch: unknown,
  ): unknown {
    return applyPatch(type, patchType, current, patch);
  }

  /** The common tail of update and patch: subresource rules, system fields, generation, admission, write. */
  commit(
    scope: Scope,
    old: KubeObject,
    candidate: KubeObject,
    opts: WriteOptions,
    subresource?: 'status',
  ): WriteResult {
    const { type } = scope;
    const version = this.versionOf(scope);
    let next: KubeObject;
    if (subresource === 'status') next = statusWrite(type, old, candidate);
    else next = version.status ? mainWrite(old, candidate) : clone(candidate);
    keepSystemFields(old, next);
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.apiVersion = old.apiVersion;
    next.kind = old.kind;
    if (keyOf(type) === 'namespaces') {
      next.spec = clone(old.spec);
      if (subresource !== 'status') next.status = clone(old.status);
    }
    const name = old.metadata.name ?? '';
    if (old.metadata.deletionTimestamp) {
      const before = old.metadata.finalizers ?? [];
      const added = (next.metadata.finalizers ?? []).filter((f) => !before.includes(f));
      if (added.length > 0) {
        throw errors.invalid(kindOf(type), name, [
          {
            reason: 'FieldValueForbidden',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
            field: 'metadata.finalizers',
          },
        ]);
      }
    }
    const warnings = this.admit(scope, next, opts, old);
    if (keyOf(type) === CRD_KEY && subresource !== 'status')
      next.status = { ...(isObject(old.status) ? old.status : {}), ...establishedStatus(next) };
    if (type.generation && specChanged(old, next, version.status))
      next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    if (sameObject(old, next)) return { object: this.output(type, scope.version, old), warnings };
    if (opts.dryRun) return { object: this.output(type, scope.version, next), warnings };
    return { object: this.output(type, scope.version, this.writeSystem(type, next)), warnings };
  }

  /**
   * Writes as the server itself does (controllers, GC): deletes an object whose deletion is no longer
   * blocked. Returns the stored object (frozen, shared: read only).
   */
  writeSystem(type: ResourceType, obj: KubeObject): KubeObject {
    if (obj.metadata.deletionTimestamp && !blocked(type, obj)) return this.removeObject(type, obj);
    const stored = this.store.write(keyOf(type), obj);
    if (keyOf(type) === CRD_KEY) this.registry.registerCrd(stored);
    return stored;
  }

  removeObject(type: ResourceType, obj: KubeObject): KubeObject {
    const removed = this.store.remove(keyOf(type), obj) ?? obj;
    if (keyOf(type) === CRD_KEY) this.registry.unregisterCrd(obj.metadata.name ?? '');
    return removed;
  }

  getScale(scope: Scope, name: string): JsonObject {
    return getScale(this, scope, name);
  }

  updateScale(scope: Scope, name: string, body: unknown, opts: WriteOptions = {}): JsonObject {
    return updateScale(this, scope, name, body, opts);
  }

  patchScale(
    scope: Scope,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): JsonObject {
    return patchScale(this, scope, name, patchType, patch, opts);
  }
}

/** Whether finalizers (or a namespace's spec.finalizers) still hold an object marked for deletion. */
export function blocked(type: ResourceType, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  if (keyOf(type) === 'namespaces' && isObject(obj.spec) && Array.isArray(obj.spec.finalizers)) {
    return obj.spec.finalizers.length > 0;
  }
  return false;
}
