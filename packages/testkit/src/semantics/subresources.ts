/** The /status and /scale subresources: what a write through each may change, and autoscaling/v1 Scale. */
import type { ResourceType, VersionInfo } from '../resources/resource-type';
import { clone, isObject, type JsonObject, type KubeObject } from '../types';
import { formatLabelSelector, fromLabelSelectorObject } from './label-selector';
import { evaluatePath } from './table';

/**
 * A write to /status keeps everything of the stored object but `status`. Custom resources: exactly that
 * (as the real server's status strategy). Built-ins: annotations may change too (as deployments, pods).
 */
export function statusWrite(type: ResourceType, old: KubeObject, candidate: KubeObject): KubeObject {
  const next = clone(old);
  if (candidate.status === undefined) delete next.status;
  else next.status = clone(candidate.status);
  if (type.builtin) {
    if (candidate.metadata.annotations === undefined) delete next.metadata.annotations;
    else next.metadata.annotations = clone(candidate.metadata.annotations);
  }
  return next;
}

/** A write to the main resource of a kind with /status keeps the stored status. */
export function mainWrite(old: KubeObject, candidate: KubeObject): KubeObject {
  const next = clone(candidate);
  if (old.status === undefined) delete next.status;
  else next.status = clone(old.status);
  return next;
}

export function scaleOf(type: ResourceType, version: VersionInfo, obj: KubeObject): JsonObject {
  const scale = version.scale;
  const replicas = scale ? evaluatePath(obj, scale.specReplicasPath) : undefined;
  const statusReplicas = scale ? evaluatePath(obj, scale.statusReplicasPath) : undefined;
  const status: JsonObject = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  if (scale?.selectorFromSpec) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    status.selector = formatLabelSelector(fromLabelSelectorObject(spec.selector));
  } else if (scale?.labelSelectorPath) {
    const selector = evaluatePath(obj, scale.labelSelectorPath);
    if (typeof selector === 'string') status.selector = selector;
  }
  const m = obj.metadata;
  const metadata: JsonObject = { name: m.name };
  if (type.namespaced) metadata.namespace = m.namespace;
  Object.assign(metadata, {
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: m.creationTimestamp,
  });
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: typeof replicas === 'number' ? { replicas } : {},
    status,
  };
}

/** Sets a simple dotted path (`.spec.replicas`), creating objects on the way. */
export function setPath(obj: JsonObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let current: JsonObject = obj;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (isObject(next)) current = next;
    else {
      const created: JsonObject = {};
      current[part] = created;
      current = created;
    }
  }
  current[parts[parts.length - 1]!] = value;
}
