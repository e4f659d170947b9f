/** Pods from a controller's template: the name, labels, annotations, finalizers and spec, owned by it. */
import { ApiError } from '../semantics/status';
import { clone, isObject, type JsonObject, type KubeObject } from '../types';
import type { SimContext } from './context';

/** A generateName base: the owner's name and a dash, cut to 58 characters as the real server does. */
function nameBase(owner: KubeObject): string {
  return `${owner.metadata.name ?? 'pod'}-`.slice(0, 58);
}

function strings(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/** The pod a controller creates from its `spec.template` (without a name). */
export function podFromTemplate(owner: KubeObject, extraLabels: Record<string, string> = {}): KubeObject {
  const spec = isObject(owner.spec) ? owner.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const meta: JsonObject = isObject(template.metadata) ? template.metadata : {};
  const labels = { ...strings(meta.labels), ...extraLabels };
  const annotations = strings(meta.annotations);
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers.map(String) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: owner.metadata.namespace ?? 'default',
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(finalizers && finalizers.length > 0 ? { finalizers } : {}),
      ownerReferences: [
        {
          apiVersion: owner.apiVersion ?? '',
          kind: owner.kind ?? '',
          name: owner.metadata.name ?? '',
          uid: owner.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: clone(isObject(template.spec) ? template.spec : {}),
  };
}

/**
 * Creates a pod for `owner` named `<owner>-<5 chars from the seeded PRNG>` (another draw when the name is
 * taken). Returns undefined (and logs) when the API refuses it, e.g. in a terminating namespace.
 */
export function createOwnedPod(
  ctx: SimContext,
  owner: KubeObject,
  extraLabels?: Record<string, string>,
): KubeObject | undefined {
  const pod = podFromTemplate(owner, extraLabels);
  for (let attempt = 0; attempt < 10; attempt++) {
    pod.metadata.name = nameBase(owner) + ctx.suffix();
    try {
      const created = ctx.store.create(pod);
      ctx.noteCreated(created.metadata.uid);
      return created;
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) continue;
      ctx.report(`creating a pod for ${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name}`, err);
      return undefined;
    }
  }
  return undefined;
}
