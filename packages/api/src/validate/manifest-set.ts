// A set of manifests (a folder given to lint) and how the reference checks look objects up in it:
// by kind, name and namespace, where an object without a namespace matches any (lint has no
// current namespace). Reads arbitrary YAML: anything not a string is no name.
import { isPlainObject } from './schema-check';

export interface SetObject {
  /** Index of the object in the caller's list, to attach findings to it. */
  index: number;
  doc: Record<string, unknown>;
}

export type Obj = Record<string, unknown>;

/** A non-empty string, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The maps of a list (other items dropped); [] for anything but a list. */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** A map, or {} for anything else. */
export const map = (v: unknown): Obj => (isPlainObject(v) ? v : {});

export function metaOf(doc: Obj): { name?: string; namespace?: string } {
  const m = map(doc.metadata);
  const name = str(m.name);
  const namespace = str(m.namespace);
  return { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
}

/** Same namespace, where an object without one matches any. */
export const sameNamespace = (a?: string, b?: string) => a === undefined || b === undefined || a === b;

/** The kinds that are cluster-wide, found whatever the namespace asked. */
const CLUSTER_KINDS = new Set(['ClusterAnalysisTemplate']);

export class ManifestSet {
  constructor(readonly objects: readonly SetObject[]) {}

  ofKind(kind: string): SetObject[] {
    return this.objects.filter((o) => o.doc.kind === kind);
  }

  find(kind: string, name: string, namespace?: string): SetObject | undefined {
    return this.ofKind(kind).find(
      (o) =>
        metaOf(o.doc).name === name &&
        (CLUSTER_KINDS.has(kind) || sameNamespace(metaOf(o.doc).namespace, namespace)),
    );
  }
}
