/** Field selectors: `metadata.name` and `metadata.namespace` everywhere, a few per-kind fields, others are a 400. */
import { isObject, type KubeObject } from '../types';
import { badRequest } from './status';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Extra selectable fields of built-in kinds (keyed by `group/plural`), as the real server supports them. */
const BUILTIN_FIELDS: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/secrets': ['type'],
  '/namespaces': ['status.phase'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
};

export function builtinSelectableFields(group: string, plural: string): string[] {
  return BUILTIN_FIELDS[`${group}/${plural}`] ?? [];
}

export function parseFieldSelector(
  input: string | undefined,
  allowed: readonly string[],
): FieldRequirement[] {
  if (!input || input.trim() === '') return [];
  const out: FieldRequirement[] = [];
  for (const raw of input.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${raw}'`);
    const field = m[1]!;
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
  }
  return out;
}

function fieldValue(obj: KubeObject, field: string): string {
  let current: unknown = obj;
  for (const part of field.split('.')) {
    if (!isObject(current)) return '';
    current = current[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

export function matchesFields(selector: FieldRequirement[], obj: KubeObject): boolean {
  return selector.every((req) => {
    const value = fieldValue(obj, req.field);
    return req.op === '=' ? value === req.value : value !== req.value;
  });
}
