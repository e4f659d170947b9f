// What one reconcile of a Rollout sees: the Rollout and everything it owns or references, read
// from the informer caches (never from the API server). decide() is a pure function of this and
// the time.
import type { AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Rollout } from '@ramp/api';
import type { RouteObjects } from '../routing/router';
import type { Pod, ReplicaSet, Service } from './kube-objects';

export interface RolloutSnapshot {
  rollout: Rollout;
  /** ReplicaSets controlled by the Rollout (ownerReference with its uid), not being deleted. */
  replicaSets: ReplicaSet[];
  /** The Services the strategy names, by name; a missing one is `undefined`. */
  services: Map<string, Service | undefined>;
  /** AnalysisRuns controlled by the Rollout. */
  analysisRuns: AnalysisRun[];
  /** AnalysisTemplates in the Rollout's namespace, by name (only those referenced are needed). */
  templates: Map<string, AnalysisTemplate>;
  /** ClusterAnalysisTemplates, by name. */
  clusterTemplates: Map<string, ClusterAnalysisTemplate>;
  /**
   * The Rollout's pods, read only while a restart (spec.restartAt) is under way; undefined
   * otherwise, so the caches never hold pods.
   */
  pods?: Pod[];
  /** The routing objects (HTTPRoutes, Ingresses, TrafficSplits) as the routing caches hold them. */
  routes?: RouteObjects;
}
