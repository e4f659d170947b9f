/** Table columns of built-in kinds, a small subset of what the real server prints. */
import { formatLabelSelector, fromLabelSelectorObject } from '../semantics/label-selector';
import { age } from '../semantics/table';
import { isObject, type KubeObject } from '../types';
import type { PrinterColumn } from './resource-type';

function at(obj: unknown, ...path: string[]): unknown {
  let current = obj;
  for (const p of path) {
    if (!isObject(current)) return undefined;
    current = current[p];
  }
  return current;
}

function num(obj: unknown, ...path: string[]): number {
  const v = at(obj, ...path);
  return typeof v === 'number' ? v : 0;
}

function list(obj: unknown, ...path: string[]): unknown[] {
  const v = at(obj, ...path);
  return Array.isArray(v) ? v : [];
}

const AGE: PrinterColumn = { name: 'Age', type: 'string', cell: (o) => age(o.metadata.creationTimestamp) };

function containers(...templatePath: string[]): PrinterColumn[] {
  const cs = (o: KubeObject) => list(o, ...templatePath, 'containers');
  return [
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) =>
        cs(o)
          .map((c) => at(c, 'name'))
          .join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) =>
        cs(o)
          .map((c) => at(c, 'image'))
          .join(','),
    },
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) => formatLabelSelector(fromLabelSelectorObject(at(o, 'spec', 'selector'))),
    },
  ];
}

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const reason = at(o, 'status', 'reason');
  if (typeof reason === 'string') return reason;
  for (const cs of list(o, 'status', 'containerStatuses')) {
    const waiting = at(cs, 'state', 'waiting', 'reason');
    if (typeof waiting === 'string') return waiting;
  }
  const phase = at(o, 'status', 'phase');
  return typeof phase === 'string' ? phase : 'Unknown';
}

function servicePorts(o: KubeObject): string {
  const ports = list(o, 'spec', 'ports').map((p) => {
    const node = at(p, 'nodePort');
    return `${at(p, 'port')}${node ? `:${node}` : ''}/${at(p, 'protocol') ?? 'TCP'}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

function externalIp(o: KubeObject): string {
  const ingress = list(o, 'status', 'loadBalancer', 'ingress').map((i) => at(i, 'ip') ?? at(i, 'hostname'));
  const external = list(o, 'spec', 'externalIPs');
  const all = [...ingress, ...external].filter(Boolean);
  if (all.length > 0) return all.join(',');
  return at(o, 'spec', 'type') === 'LoadBalancer' ? '<pending>' : '<none>';
}

function jobStatus(o: KubeObject): string {
  for (const c of list(o, 'status', 'conditions')) {
    if (at(c, 'status') !== 'True') continue;
    const type = at(c, 'type');
    if (type === 'Complete') return 'Complete';
    if (type === 'Failed') return 'Failed';
    if (type === 'Suspended') return 'Suspended';
  }
  return o.metadata.deletionTimestamp ? 'Terminating' : 'Running';
}

/** Columns after NAME, by `group/plural`. Kinds not listed print NAME and AGE. */
export const BUILTIN_COLUMNS: Record<string, PrinterColumn[]> = {
  '/pods': [
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => {
        const statuses = list(o, 'status', 'containerStatuses');
        const ready = statuses.filter((s) => at(s, 'ready') === true).length;
        return `${ready}/${list(o, 'spec', 'containers').length}`;
      },
    },
    { name: 'Status', type: 'string', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        String(
          list(o, 'status', 'containerStatuses').reduce((n: number, s) => n + num(s, 'restartCount'), 0),
        ),
    },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => at(o, 'status', 'podIP') ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => at(o, 'spec', 'nodeName') ?? '<none>' },
  ],
  '/services': [
    { name: 'Type', type: 'string', cell: (o) => at(o, 'spec', 'type') ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => at(o, 'spec', 'clusterIP') ?? '<none>' },
    { name: 'External-IP', type: 'string', cell: externalIp },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    AGE,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) => {
        const s = at(o, 'spec', 'selector');
        return isObject(s)
          ? Object.entries(s)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')
          : '<none>';
      },
    },
  ],
  '/namespaces': [{ name: 'Status', type: 'string', cell: (o) => at(o, 'status', 'phase') ?? 'Active' }, AGE],
  '/configmaps': [
    {
      name: 'Data',
      type: 'integer',
      cell: (o) => Object.keys(at(o, 'data') ?? {}).length + Object.keys(at(o, 'binaryData') ?? {}).length,
    },
    AGE,
  ],
  '/secrets': [
    { name: 'Type', type: 'string', cell: (o) => at(o, 'type') ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(at(o, 'data') ?? {}).length },
    AGE,
  ],
  '/events': [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o) => age(at(o, 'lastTimestamp') ?? at(o, 'eventTime') ?? o.metadata.creationTimestamp),
    },
    { name: 'Type', type: 'string', cell: (o) => at(o, 'type') ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => at(o, 'reason') ?? '' },
    {
      name: 'Object',
      type: 'string',
      cell: (o) =>
        `${String(at(o, 'involvedObject', 'kind') ?? '').toLowerCase()}/${at(o, 'involvedObject', 'name') ?? ''}`,
    },
    { name: 'Message', type: 'string', cell: (o) => at(o, 'message') ?? '' },
  ],
  'apps/deployments': [
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(o, 'status', 'readyReplicas')}/${num(o, 'spec', 'replicas')}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status', 'updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status', 'availableReplicas') },
    AGE,
    ...containers('spec', 'template', 'spec'),
  ],
  'apps/replicasets': [
    { name: 'Desired', type: 'integer', cell: (o) => num(o, 'spec', 'replicas') },
    { name: 'Current', type: 'integer', cell: (o) => num(o, 'status', 'replicas') },
    { name: 'Ready', type: 'integer', cell: (o) => num(o, 'status', 'readyReplicas') },
    AGE,
    ...containers('spec', 'template', 'spec'),
  ],
  'batch/jobs': [
    { name: 'Status', type: 'string', cell: jobStatus },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) => `${num(o, 'status', 'succeeded')}/${at(o, 'spec', 'completions') ?? 1}`,
    },
    AGE,
  ],
  'coordination.k8s.io/leases': [
    { name: 'Holder', type: 'string', cell: (o) => at(o, 'spec', 'holderIdentity') ?? '' },
    AGE,
  ],
  'networking.k8s.io/ingresses': [
    { name: 'Class', type: 'string', cell: (o) => at(o, 'spec', 'ingressClassName') ?? '<none>' },
    {
      name: 'Hosts',
      type: 'string',
      cell: (o) =>
        list(o, 'spec', 'rules')
          .map((r) => at(r, 'host') ?? '*')
          .join(',') || '*',
    },
    AGE,
  ],
  'apiextensions.k8s.io/customresourcedefinitions': [
    { name: 'Created At', type: 'date', cell: (o) => o.metadata.creationTimestamp ?? '' },
  ],
};
