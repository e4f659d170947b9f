// The informers the controllers read from, one per resource, started and stopped together. Rollouts,
// ReplicaSets, Services and AnalysisRuns always; templates by default; Jobs when the analysis
// controller asks for them; the routers' objects in a registry that starts an informer per routing
// resource when a Rollout first needs it (routing-caches.ts).
import type { AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Rollout } from '@ramp/api';
import {
  type Clock,
  CONTROLLER_UID_INDEX,
  controllerUidIndex,
  Informer,
  type KubeClient,
  type Log,
  RESOURCES,
} from '@ramp/kube';
import type { Job, ReplicaSet, Service } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { routeResourceVersions, type SmiVersion } from '../routing/route-resources';
import { RoutingCaches } from './routing-caches';

export interface CacheSelection {
  /** AnalysisTemplates (default true). */
  analysisTemplates?: boolean;
  /** ClusterAnalysisTemplates (default true; a namespaced install may lack the RBAC for them). */
  clusterAnalysisTemplates?: boolean;
  /** Jobs, for the job metric provider (default false). */
  jobs?: boolean;
  /** The TrafficSplit version tried first (--traffic-split-api-version, default v1alpha1). */
  trafficSplitVersion?: SmiVersion;
}

export interface ControllerCachesOptions extends CacheSelection {
  client: KubeClient;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  /** Label selector of the Rollouts and AnalysisRuns this controller owns (--instance-id). */
  instanceSelector?: string;
  clock?: Clock;
  random?: () => number;
  log?: Log;
}

export class ControllerCaches {
  readonly rollouts: Informer<Rollout>;
  /** Only ReplicaSets labelled with a pod-template hash of Rollouts (not those of Deployments). */
  readonly replicaSets: Informer<ReplicaSet>;
  readonly services: Informer<Service>;
  readonly analysisRuns: Informer<AnalysisRun>;
  readonly analysisTemplates: Informer<AnalysisTemplate> | undefined;
  readonly clusterAnalysisTemplates: Informer<ClusterAnalysisTemplate> | undefined;
  readonly jobs: Informer<Job> | undefined;
  /** The routers' objects (HTTPRoutes, Ingresses, TrafficSplits), cached once a Rollout needs them. */
  readonly routing: RoutingCaches;

  constructor(options: ControllerCachesOptions) {
    const { client, namespace, clock, random, log } = options;
    const common = { namespace, clock, random, log };
    const owned = { [CONTROLLER_UID_INDEX]: controllerUidIndex };
    const labelSelector = options.instanceSelector;
    this.rollouts = new Informer<Rollout>(client, { ...common, resource: RESOURCES.rollouts, labelSelector });
    this.replicaSets = new Informer<ReplicaSet>(client, {
      ...common,
      resource: RESOURCES.replicaSets,
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      indexers: owned,
    });
    this.services = new Informer<Service>(client, { ...common, resource: RESOURCES.services });
    this.analysisRuns = new Informer<AnalysisRun>(client, {
      ...common,
      resource: RESOURCES.analysisRuns,
      labelSelector,
      indexers: owned,
    });
    this.analysisTemplates =
      options.analysisTemplates === false
        ? undefined
        : new Informer<AnalysisTemplate>(client, { ...common, resource: RESOURCES.analysisTemplates });
    this.clusterAnalysisTemplates =
      options.clusterAnalysisTemplates === false
        ? undefined
        : new Informer<ClusterAnalysisTemplate>(client, {
            clock,
            random,
            log,
            resource: RESOURCES.clusterAnalysisTemplates,
          });
    this.jobs = options.jobs
      ? new Informer<Job>(client, { ...common, resource: RESOURCES.jobs, indexers: owned })
      : undefined;
    this.routing = new RoutingCaches({
      client,
      versions: routeResourceVersions(options.trafficSplitVersion),
      ...(namespace ? { namespace } : {}),
      ...(clock ? { clock } : {}),
      ...(random ? { random } : {}),
      ...(log ? { log } : {}),
    });
  }

  private all(): {
    stop(): Promise<void>;
    start(): void;
    hasSynced(): boolean;
    whenSynced(): Promise<void>;
  }[] {
    return [
      this.rollouts,
      this.replicaSets,
      this.services,
      this.analysisRuns,
      this.analysisTemplates,
      this.clusterAnalysisTemplates,
      this.jobs,
    ].filter((i) => i !== undefined);
  }

  start(): void {
    for (const informer of this.all()) informer.start();
  }

  hasSynced(): boolean {
    return this.all().every((i) => i.hasSynced());
  }

  /** Resolves when every informer has listed; rejects if they are stopped first. */
  async whenSynced(): Promise<void> {
    await Promise.all(this.all().map((i) => i.whenSynced()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.all().map((i) => i.stop()), this.routing.stop()]);
  }
}
