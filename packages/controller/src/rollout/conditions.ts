// Rollout conditions as Argo writes them (type, status, reason, message, and the two times):
// lastTransitionTime moves only when the status flips, lastUpdateTime when anything changes.
import type { RolloutCondition } from '@ramp/api';

export const CONDITION = {
  available: 'Available',
  progressing: 'Progressing',
  paused: 'Paused',
  healthy: 'Healthy',
  completed: 'Completed',
  invalidSpec: 'InvalidSpec',
  /** Ramp's: False while a router's objects cannot carry the canary (missing, malformed). */
  trafficRouting: 'TrafficRouting',
} as const;

export const REASON = {
  available: 'AvailableReason',
  notAvailable: 'AvailableReason',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  replicaSetNotAvailable: 'ReplicaSetNotAvailable',
  paused: 'RolloutPaused',
  resumed: 'RolloutResumed',
  timedOut: 'ProgressDeadlineExceeded',
  aborted: 'RolloutAborted',
  retry: 'RolloutRetry',
  healthy: 'RolloutHealthy',
  completed: 'RolloutCompleted',
  invalidSpec: 'InvalidSpec',
  /** Argo's event reason for a router's error. */
  trafficRoutingError: 'TrafficRoutingError',
} as const;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export function findCondition(conditions: readonly RolloutCondition[] | undefined, type: string) {
  return conditions?.find((c) => c.type === type);
}

/**
 * The conditions with one set to (status, reason, message). `touch` moves lastUpdateTime even when
 * nothing else changed (progress was made).
 */
export function setCondition(
  conditions: readonly RolloutCondition[],
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: string,
  touch = false,
): RolloutCondition[] {
  const previous = findCondition(conditions, type);
  const others = conditions.filter((c) => c.type !== type);
  if (
    previous &&
    previous.status === status &&
    previous.reason === reason &&
    previous.message === message &&
    !touch
  ) {
    return [...conditions];
  }
  const next: RolloutCondition = {
    type,
    status,
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime: previous && previous.status === status ? previous.lastTransitionTime : now,
  };
  return [...others, next].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

export function removeCondition(conditions: readonly RolloutCondition[], type: string): RolloutCondition[] {
  return conditions.filter((c) => c.type !== type);
}

const ORDER: string[] = [
  CONDITION.invalidSpec,
  CONDITION.available,
  CONDITION.completed,
  CONDITION.healthy,
  CONDITION.paused,
  CONDITION.progressing,
];
