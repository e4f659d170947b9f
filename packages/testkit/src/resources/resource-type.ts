/** What the server knows about one resource (built-in or from a CRD): names, scope, versions, behaviour. */
import type { Schema } from '../semantics/schema-validation';
import type { KubeObject } from '../types';

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /** Built-in workloads: the Scale's `status.selector` is `spec.selector` in string form. */
  selectorFromSpec?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  /** CRD columns: a simple JSONPath. */
  jsonPath?: string;
  /** Built-in columns: computes the cell. */
  cell?: (obj: KubeObject) => unknown;
}

export interface VersionInfo {
  name: string;
  schema?: Schema;
  status: boolean;
  scale?: ScaleSubresource;
  printerColumns?: PrinterColumn[];
  selectableFields: string[];
}

export interface ResourceType {
  group: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Served versions, the preferred one first. */
  versions: VersionInfo[];
  storageVersion: string;
  builtin: boolean;
  /** Accepts application/strategic-merge-patch+json (built-in kinds only). */
  strategicMerge: boolean;
  /** Keeps `metadata.generation`. */
  generation: boolean;
  /** PUT without `metadata.resourceVersion` is allowed (false for custom resources and CRDs). */
  unconditionalUpdate: boolean;
  defaultPropagation: 'Background' | 'Orphan';
  /** An immediate DELETE answers with the object (pods, services, namespaces); others with a Status. */
  deleteReturnsObject: boolean;
  /** Name rule: DNS-1123 subdomain (most) or label (namespaces, services). */
  nameRule: 'subdomain' | 'label' | 'path';
  /** Values filled in on create, for built-ins. */
  defaults?: (obj: KubeObject) => void;
  /** Extra validation of built-ins, as field causes. */
  validate?: (obj: KubeObject) => { field: string; reason: string; message: string }[];
  /** Name of the CRD that defines this resource. */
  crdName?: string;
}

export function resourceKey(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function keyOf(type: ResourceType): string {
  return resourceKey(type.group, type.plural);
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function versionInfo(type: ResourceType, version: string): VersionInfo | undefined {
  return type.versions.find((v) => v.name === version);
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first, others alphabetically last. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { rank: 0, major: 0, minor: 0 };
    const rank = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return { rank, major: Number(m[1]), minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa.rank === 0 && pb.rank === 0) return a.localeCompare(b);
  return pb.rank - pa.rank || pb.major - pa.major || pb.minor - pa.minor;
}
