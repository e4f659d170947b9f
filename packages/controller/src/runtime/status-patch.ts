// How the controllers write an object's status, the Rollout's and the AnalysisRun's alike: a merge
// patch of what differs between the status the decision was made on and the new one (fields that
// disappear sent as null), guarded by the resourceVersion it was decided on, so a stale cache gets
// 409 Conflict instead of a diff that nulls fields it never saw. Nothing is sent when they are equal.
import { type KubeClient, mergePatchDiff, RESOURCES } from '@ramp/kube';

export interface StatusTarget {
  kind: 'Rollout' | 'AnalysisRun';
  name: string;
  namespace: string;
  /** The version the new status was decided on: the write's precondition. */
  resourceVersion: string | undefined;
}

type Body = { metadata: { resourceVersion: string | undefined }; status: Record<string, unknown> };

/**
 * Where each kind's status is written: a Rollout's on its status subresource; an AnalysisRun has none
 * (as in Argo's CRDs), so its status is patched on the object itself.
 */
const SEND: Record<
  StatusTarget['kind'],
  (client: KubeClient, target: StatusTarget, body: Body) => Promise<unknown>
> = {
  Rollout: (client, { name, namespace }, body) =>
    client.patchStatus(RESOURCES.rollouts, name, body, { namespace }),
  AnalysisRun: (client, { name, namespace }, body) =>
    client.patch(RESOURCES.analysisRuns, name, body, { namespace, type: 'merge' }),
};

/** Writes the status `to` over `from`; resolves true when a patch was sent, false when nothing differed. */
export async function writeStatus(
  client: KubeClient,
  target: StatusTarget,
  from: object | undefined,
  to: object,
): Promise<boolean> {
  const diff = mergePatchDiff(from as Record<string, unknown> | undefined, to as Record<string, unknown>);
  if (!diff) return false;
  await SEND[target.kind](client, target, {
    metadata: { resourceVersion: target.resourceVersion },
    status: diff,
  });
  return true;
}
