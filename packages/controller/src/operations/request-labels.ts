// The labels of controller_clientset_k8s_request_total for one API request, as Argo Rollouts sets
// them: kind is the resource (plural), verb is Get/List/Watch/Create/Update/Patch/Delete, the status
// code as text ("0" when no answer came). The name is kept only for Rollouts and the Lease (a series
// per object, removed with it); every other request reports "N/A", so the cardinality stays bounded.
import type { RequestRecord } from '@ramp/kube';

export interface RequestLabels {
  kind: string;
  namespace: string;
  name: string;
  verb: string;
  status_code: string;
}

const NAMED = new Set(['rollouts', 'leases']);

/** Splits a REST path into resource, namespace and name (`/apis/G/V/namespaces/NS/PLURAL/NAME/SUB`). */
export function parseResourcePath(path: string): { resource: string; namespace: string; name?: string } {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return { resource: rest[2]!, namespace: decodeURIComponent(rest[1]!), name: decode(rest[3]) };
  }
  return { resource: rest[0] ?? 'Unknown', namespace: '', name: decode(rest[1]) };
}

function decode(segment: string | undefined): string | undefined {
  return segment === undefined ? undefined : decodeURIComponent(segment);
}

function verbOf(record: RequestRecord, named: boolean): string {
  switch (record.method) {
    case 'GET':
      return record.watch ? 'Watch' : named ? 'Get' : 'List';
    case 'POST':
      return 'Create';
    case 'PUT':
      return 'Update';
    case 'PATCH':
      return 'Patch';
    case 'DELETE':
      return 'Delete';
    default:
      return 'Unknown';
  }
}

export function requestLabels(record: RequestRecord): RequestLabels {
  const { resource, namespace, name } = parseResourcePath(record.path);
  const verb = verbOf(record, name !== undefined);
  const keepName = name !== undefined && verb !== 'List' && verb !== 'Watch' && NAMED.has(resource);
  return {
    kind: resource,
    namespace,
    name: keepName ? name : 'N/A',
    verb,
    status_code: String(record.status),
  };
}
