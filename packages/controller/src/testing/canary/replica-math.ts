/** Shared by the replica-math tests: a ReplicaSet's counts in one call. */
import type { ReplicaSetCounts } from '../../canary/index';

export const rs = (
  name: string,
  specReplicas: number,
  availableReplicas: number,
  currentReplicas?: number,
): ReplicaSetCounts =>
  currentReplicas === undefined
    ? { name, specReplicas, availableReplicas }
    : { name, specReplicas, availableReplicas, currentReplicas };
