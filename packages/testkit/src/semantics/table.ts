/** `Table` output (meta.k8s.io/v1), what `kubectl get` prints, and the helpers printer columns need. */
import type { PrinterColumn, ResourceType } from '../resources/resource-type';
import { isObject, type KubeObject } from '../types';

/** Kubernetes' HumanDuration: "5s", "3m20s", "2h", "4d5h", "2y3d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.floor(hours / 24 / 365);
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function age(timestamp: unknown): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<invalid>' : humanDuration(Date.now() - t);
}

/** Evaluates a simple JSONPath (`.spec.replicas`, `.status.conditions[0].type`, `.metadata.labels.app`). */
export function evaluatePath(obj: unknown, path: string): unknown {
  const trimmed = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  const parts = trimmed.match(/\.[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let current: unknown = obj;
  for (const part of parts) {
    if (part.startsWith('[')) {
      const inner = part.slice(1, -1).replace(/^['"]|['"]$/g, '');
      if (Array.isArray(current)) {
        const index = Number(inner);
        current = Number.isInteger(index) ? current[index < 0 ? current.length + index : index] : undefined;
      } else if (isObject(current)) current = current[inner];
      else return undefined;
    } else {
      if (!isObject(current)) return undefined;
      current = current[part.slice(1)];
    }
    if (current === undefined) return undefined;
  }
  return current;
}

function crdCell(column: PrinterColumn, obj: KubeObject): unknown {
  const value = evaluatePath(obj, column.jsonPath ?? '');
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? age(value) : null;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

export function columnsFor(type: ResourceType, version: string): PrinterColumn[] {
  const v = type.versions.find((x) => x.name === version);
  return v?.printerColumns && v.printerColumns.length > 0
    ? v.printerColumns
    : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** A Table of the given objects; `withColumns: false` omits the definitions (watch events after the first). */
export function toTable(
  type: ResourceType,
  version: string,
  objects: KubeObject[],
  opts: { include: IncludeObject; resourceVersion?: string; continue?: string; withColumns?: boolean },
): Record<string, unknown> {
  const columns = columnsFor(type, version);
  const definitions = [
    NAME_COLUMN,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'string' : c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  const rows = objects.map((obj) => {
    const cells = [obj.metadata.name ?? '', ...columns.map((c) => (c.cell ? c.cell(obj) : crdCell(c, obj)))];
    const object = rowObject(obj, opts.include);
    return object === undefined ? { cells } : { cells, object };
  });
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata };
  if (opts.withColumns !== false) table.columnDefinitions = definitions;
  table.rows = rows;
  return table;
}

/** Parses an Accept header; true when the client asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
