// The resources the controller reads and writes, described as the REST API addresses them.
import { objectKey } from './object-cache';

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** The kind of the items (filled into list items, which built-in lists send without it). */
  kind?: string;
}

export const RESOURCES = {
  rollouts: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    namespaced: true,
    kind: 'Rollout',
  },
  analysisRuns: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'analysisruns',
    namespaced: true,
    kind: 'AnalysisRun',
  },
  analysisTemplates: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'analysistemplates',
    namespaced: true,
    kind: 'AnalysisTemplate',
  },
  clusterAnalysisTemplates: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'clusteranalysistemplates',
    namespaced: false,
    kind: 'ClusterAnalysisTemplate',
  },
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, kind: 'ReplicaSet' },
  services: { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' },
  jobs: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true, kind: 'Job' },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' },
  secrets: { group: '', version: 'v1', plural: 'secrets', namespaced: true, kind: 'Secret' },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' },
} as const satisfies Record<string, ResourceType>;

export function apiVersionOf(res: ResourceType): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

/** `plural.group` (or `plural` for the core group), as the API server names a resource in messages. */
export function resourceName(res: ResourceType): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}

/** The REST path of a collection, an object or an object's subresource. */
export function resourcePath(
  res: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  let path = base;
  if (res.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${res.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** The cache key of a resource's object (`namespace/name`, or `name` for cluster-scoped ones). */
export function keyFor(res: ResourceType, namespace: string | undefined, name: string): string {
  return objectKey(res.namespaced ? namespace : undefined, name);
}
