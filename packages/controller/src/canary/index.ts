export {
  type Fenceposts,
  type IntOrString,
  type RollingLimits,
  resolveFenceposts,
  resolveMaxSurge,
  resolveMaxUnavailable,
  scaleLegacyIntOrPercent,
} from './fenceposts';
export {
  type OlderScaleDownPlan,
  olderReplicaSetsScaleDown,
  type ReplicaSetResize,
} from './older-replica-sets';
export {
  allDesiredAvailable,
  allDesiredCreated,
  atDesiredCounts,
  desiredCanaryStableCounts,
  hasSeparateStable,
  nextCanaryStableCounts,
  olderScaleDownBudget,
  replicasCountedForScaleDown,
} from './replica-math';
export type { CanaryScaleInput, ReplicaSetCounts } from './types';
export {
  approximateWeightedCounts,
  type CanaryStableCounts,
  DEFAULT_MAX_WEIGHT,
  trafficWeightToReplicas,
} from './weights';
