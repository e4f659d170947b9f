// A plan's writes to routing objects: create, update (a merge patch of what differs, guarded by the
// resourceVersion it was decided on, so a change made meanwhile gets a 409 and a fresh decision), or
// delete. The resource's version is the one the routing caches read it at.
import { isAlreadyExists, isNotFound, type KubeClient, mergePatchDiff, type ResourceType } from '@ramp/kube';
import type { RouteResourceName, RouteWrite } from '../routing/router';

export interface RouteWriter {
  client: KubeClient;
  /** The API resource a routing object is written through (the cached version). */
  resourceOf(resource: RouteResourceName, apiVersion: string | undefined): ResourceType;
  wrote(what: string): void;
}

export async function applyRouteWrites(w: RouteWriter, writes: readonly RouteWrite[]): Promise<void> {
  for (const write of writes) {
    if (write.action === 'create') {
      const { object } = write;
      const resource = w.resourceOf(write.resource, object.apiVersion);
      try {
        await w.client.create(resource, object, object.metadata.namespace);
        w.wrote(`create ${resource.kind}/${object.metadata.name}`);
      } catch (err) {
        // made by an earlier, interrupted reconcile: the next one reads it from the cache
        if (!isAlreadyExists(err)) throw err;
      }
      continue;
    }
    const { current } = write;
    const resource = w.resourceOf(write.resource, current.apiVersion);
    const name = current.metadata.name ?? '';
    const namespace = current.metadata.namespace;
    if (write.action === 'delete') {
      try {
        await w.client.delete(resource, name, {
          ...(namespace ? { namespace } : {}),
          ...(current.metadata.uid ? { preconditions: { uid: current.metadata.uid } } : {}),
        });
        w.wrote(`delete ${resource.kind}/${name}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      continue;
    }
    const diff = mergePatchDiff(current, write.object);
    if (!diff) continue;
    const patch = {
      ...diff,
      metadata: {
        ...((diff.metadata as Record<string, unknown>) ?? {}),
        resourceVersion: current.metadata.resourceVersion,
      },
    };
    await w.client.patch(resource, name, patch, { ...(namespace ? { namespace } : {}), type: 'merge' });
    w.wrote(`patch ${resource.kind}/${name}`);
  }
}
