// The objects a router creates (a canary Ingress, a TrafficSplit) are owned by their Rollout, as Argo
// makes them: deleting the Rollout deletes them, and a router writes only what its Rollout controls.
import { describeObject, type RouteObject, type RouterProblem } from './router';

/** The Rollout a router works for. */
export interface RolloutRef {
  name: string;
  namespace: string;
  uid: string;
}

type OwnerReference = NonNullable<RouteObject['metadata']['ownerReferences']>[number];

/** The controller reference to the Rollout, as Argo's NewControllerRef writes it. */
export function rolloutOwnerReference(rollout: RolloutRef): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.name,
    uid: rollout.uid,
    controller: true,
    blockOwnerDeletion: true,
  } as OwnerReference;
}

export function controlledBy(object: RouteObject, rollout: RolloutRef): boolean {
  return !!object.metadata.ownerReferences?.some((o) => o.controller && o.uid === rollout.uid);
}

/** Why a router will not write an object of that name: something else controls it (and the fix). */
export function notControlled(
  kind: string,
  object: RouteObject,
  rollout: RolloutRef,
  otherwise: string,
): RouterProblem {
  return {
    object: describeObject(kind, rollout.namespace, object.metadata.name ?? ''),
    field: 'metadata.ownerReferences',
    message: `exists and is not controlled by the Rollout "${rollout.name}", so Ramp will not write it; delete it (Ramp then creates its own), or ${otherwise}`,
  };
}
