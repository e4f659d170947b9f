// Old revisions that served traffic are scaled down only after a delay (scaleDownDelaySeconds,
// abortScaleDownDelaySeconds), recorded on the ReplicaSet as the `scale-down-deadline` annotation
// so a restarted controller keeps the same deadline.
import { kubeTime } from '@ramp/kube';
import type { ReplicaSet } from '../model/kube-objects';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../model/names';
import type { PlanBuilder } from './plan-builder';
import { specReplicasOf } from './replica-sets';

/** Scales `rs` to 0 once `delaySeconds` have passed since it was first marked; marks it now if it is not. */
export function scaleDownAfterDelay(b: PlanBuilder, rs: ReplicaSet, delaySeconds: number): void {
  if (specReplicasOf(rs) === 0) {
    b.annotate(rs, { [SCALE_DOWN_DEADLINE_ANNOTATION]: null });
    return;
  }
  if (delaySeconds <= 0) {
    b.scale(rs, 0);
    return;
  }
  const marked = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  // The annotation holds whole seconds: round the deadline up, so the delay is never cut short.
  const deadline = marked
    ? new Date(marked)
    : new Date(Math.ceil((b.now.getTime() + delaySeconds * 1000) / 1000) * 1000);
  if (Number.isNaN(deadline.getTime()) || b.now.getTime() >= deadline.getTime()) {
    b.scale(rs, 0);
    b.annotate(rs, { [SCALE_DOWN_DEADLINE_ANNOTATION]: null });
    return;
  }
  if (!marked) b.annotate(rs, { [SCALE_DOWN_DEADLINE_ANNOTATION]: kubeTime(deadline) });
  b.wakeAt(deadline);
}

/** Removes a pending scale-down (the revision serves again). */
export function cancelScaleDown(b: PlanBuilder, rs: ReplicaSet): void {
  b.annotate(rs, { [SCALE_DOWN_DEADLINE_ANNOTATION]: null });
}
