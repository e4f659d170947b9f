// Old revisions that served traffic are scaled down only after a delay (scaleDownDelaySeconds,
// abortScaleDownDelaySeconds), recorded on the ReplicaSet as the `scale-down-deadline` annotation
// so a restarted controller keeps the same deadline. Each function returns what it wants of the
// ReplicaSet (and when to look again).

import { kubeTime } from '@ramp/kube';
import type { ReplicaSet } from '../model/kube-objects';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../model/names';
import type { ReplicaSetTarget } from './decision';
import { specReplicasOf } from './replica-sets';

export interface ScaleDown {
  target: ReplicaSetTarget;
  wakeAt?: Date;
}

/** Scales `rs` to 0 once `delaySeconds` have passed since it was first marked; marks it now if it is not. */
export function scaleDownAfterDelay(rs: ReplicaSet, delaySeconds: number, now: Date): ScaleDown {
  const name = rs.metadata.name;
  if (specReplicasOf(rs) === 0)
    return { target: { name, annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: null } } };
  if (delaySeconds <= 0) return { target: { name, replicas: 0 } };
  const marked = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  // The annotation holds whole seconds: round the deadline up, so the delay is never cut short.
  const deadline = marked
    ? new Date(marked)
    : new Date(Math.ceil((now.getTime() + delaySeconds * 1000) / 1000) * 1000);
  if (Number.isNaN(deadline.getTime()) || now.getTime() >= deadline.getTime())
    return { target: { name, replicas: 0, annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: null } } };
  const annotations: Record<string, string> = marked
    ? {}
    : { [SCALE_DOWN_DEADLINE_ANNOTATION]: kubeTime(deadline) };
  return { target: { name, annotations }, wakeAt: deadline };
}

/** Removes a pending scale-down (the revision serves again). */
export function cancelScaleDown(rs: ReplicaSet): ReplicaSetTarget {
  return { name: rs.metadata.name, annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: null } };
}
