/**
 * The resources the server serves: the built-in table plus one entry per established CRD.
 * A CRD for a resource served built-in without schema (Istio, Gateway API, SMI) replaces it while it exists.
 */
import { builtinResources } from './resources/builtin';
import {
  compareKubeVersions,
  groupVersion,
  keyOf,
  type PrinterColumn,
  type ResourceType,
  resourceKey,
  type VersionInfo,
} from './resources/resource-type';
import type { Schema } from './semantics/schema-validation';
import type { StatusCause } from './semantics/status';
import { isObject, type JsonObject, type KubeObject, timestamp } from './types';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** Field causes for a CRD the real server would refuse (the common mistakes, not every rule). */
export function validateCrd(crd: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const plural = str(names.plural);
  const required = (field: string) =>
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field });
  if (!group) required('spec.group');
  else if (!group.includes('.')) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${group}": should be a domain with at least one dot`,
      field: 'spec.group',
    });
  }
  if (!plural) required('spec.names.plural');
  if (!str(names.kind)) required('spec.names.kind');
  if (group && plural && crd.metadata.name !== `${plural}.${group}`) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
      field: 'metadata.name',
    });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({
      reason: spec.scope === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
      message:
        spec.scope === undefined
          ? 'Required value'
          : `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`,
      field: 'spec.scope',
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.map(obj) : [];
  if (versions.length === 0) required('spec.versions');
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: ...: must have exactly one version marked as storage version',
      field: 'spec.versions',
    });
  }
  versions.forEach((v, i) => {
    if (!str(v.name)) required(`spec.versions[${i}].name`);
    const schema = obj(obj(v.schema).openAPIV3Schema);
    if (!isObject(obj(v.schema).openAPIV3Schema)) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: schemas are required',
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
      });
    } else if (schema.type !== 'object') {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: must not be empty at the root',
        field: `spec.versions[${i}].schema.openAPIV3Schema.type`,
      });
    }
  });
  return causes;
}

function printerColumns(v: JsonObject): PrinterColumn[] | undefined {
  if (!Array.isArray(v.additionalPrinterColumns)) return undefined;
  return v.additionalPrinterColumns.map(obj).map((c) => {
    const type = ['integer', 'number', 'boolean', 'date'].includes(String(c.type)) ? c.type : 'string';
    const column: PrinterColumn = { name: String(c.name ?? ''), type: type as PrinterColumn['type'] };
    if (str(c.format)) column.format = String(c.format);
    if (str(c.description)) column.description = String(c.description);
    if (typeof c.priority === 'number') column.priority = c.priority;
    column.jsonPath = String(c.jsonPath ?? '');
    return column;
  });
}

function versionFromCrd(v: JsonObject): VersionInfo {
  const sub = obj(v.subresources);
  const scale = isObject(sub.scale) ? sub.scale : undefined;
  const info: VersionInfo = {
    name: String(v.name),
    schema: obj(v.schema).openAPIV3Schema as Schema,
    status: isObject(sub.status),
    selectableFields: Array.isArray(v.selectableFields)
      ? v.selectableFields.map((f) => String(obj(f).jsonPath ?? '').replace(/^\./, ''))
      : [],
  };
  if (scale) {
    info.scale = {
      specReplicasPath: String(scale.specReplicasPath ?? '.spec.replicas'),
      statusReplicasPath: String(scale.statusReplicasPath ?? '.status.replicas'),
      ...(str(scale.labelSelectorPath) ? { labelSelectorPath: String(scale.labelSelectorPath) } : {}),
    };
  }
  const columns = printerColumns(v);
  if (columns) info.printerColumns = columns;
  return info;
}

export function crdToResourceType(crd: KubeObject): ResourceType {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const kind = String(names.kind);
  const all = (Array.isArray(spec.versions) ? spec.versions : []).map(obj);
  const served = all.filter((v) => v.served !== false).map(versionFromCrd);
  served.sort((a, b) => compareKubeVersions(a.name, b.name));
  return {
    group: String(spec.group),
    plural: String(names.plural),
    singular: str(names.singular) ?? kind.toLowerCase(),
    kind,
    listKind: str(names.listKind) ?? `${kind}List`,
    namespaced: spec.scope !== 'Cluster',
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    versions: served,
    storageVersion: String(all.find((v) => v.storage === true)?.name ?? served[0]?.name ?? 'v1'),
    builtin: false,
    strategicMerge: false,
    generation: true,
    unconditionalUpdate: false,
    defaultPropagation: 'Background',
    deleteReturnsObject: false,
    nameRule: 'path',
    crdName: crd.metadata.name ?? '',
  };
}

/** The status the real server's CRD controllers write: names accepted, established. */
export function establishedStatus(crd: KubeObject): JsonObject {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const kind = String(names.kind ?? '');
  const now = timestamp();
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  const storage = (Array.isArray(spec.versions) ? spec.versions : [])
    .map(obj)
    .find((v) => v.storage === true);
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: {
      plural: names.plural,
      singular: str(names.singular) ?? kind.toLowerCase(),
      kind,
      listKind: str(names.listKind) ?? `${kind}List`,
      ...(strings(names.shortNames).length ? { shortNames: names.shortNames } : {}),
      ...(strings(names.categories).length ? { categories: names.categories } : {}),
    },
    storedVersions: storage ? [storage.name] : [],
  };
}

export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private readonly builtins = new Map<string, ResourceType>();
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change: discovery and OpenAPI documents are hashed with it. */
  revision = 1;

  constructor() {
    for (const type of builtinResources()) {
      this.types.set(keyOf(type), type);
      this.builtins.set(keyOf(type), type);
    }
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  get(key: string): ResourceType | undefined {
    return this.types.get(key);
  }

  /** The resource served at /apis/GROUP/VERSION/PLURAL. */
  resolve(
    group: string,
    version: string,
    plural: string,
  ): { type: ResourceType; version: VersionInfo } | undefined {
    const type = this.types.get(resourceKey(group, plural));
    const v = type?.versions.find((x) => x.name === version);
    return type && v ? { type, version: v } : undefined;
  }

  byKind(apiVersion: string, kind: string): { type: ResourceType; version: VersionInfo } | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    for (const type of this.types.values()) {
      if (type.group !== group || type.kind !== kind) continue;
      const v = type.versions.find((x) => x.name === version);
      if (v) return { type, version: v };
    }
    return undefined;
  }

  /** Group versions served, each with its resources, in discovery order. */
  groupVersions(): { group: string; version: string; groupVersion: string; types: ResourceType[] }[] {
    const out = new Map<
      string,
      { group: string; version: string; groupVersion: string; types: ResourceType[] }
    >();
    for (const type of this.types.values()) {
      for (const v of type.versions) {
        const gv = groupVersion(type.group, v.name);
        const entry = out.get(gv) ?? { group: type.group, version: v.name, groupVersion: gv, types: [] };
        entry.types.push(type);
        out.set(gv, entry);
      }
    }
    return [...out.values()];
  }

  registerCrd(crd: KubeObject): ResourceType {
    const type = crdToResourceType(crd);
    const key = keyOf(type);
    const existing = this.types.get(key);
    if (existing?.builtin) throw new Error(`${key} is a built-in resource`);
    this.types.set(key, type);
    this.changed();
    return type;
  }

  unregisterCrd(crdName: string): void {
    for (const [key, type] of this.types) {
      if (type.crdName !== crdName) continue;
      const builtin = this.builtins.get(key);
      if (builtin) this.types.set(key, builtin);
      else this.types.delete(key);
      this.changed();
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}
