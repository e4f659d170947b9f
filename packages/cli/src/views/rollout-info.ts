// What `get rollout` shows, computed from the Rollout and the objects it owns, as Argo's plugin does
// (pkg/kubectl-argo-rollouts/info): revisions with their ReplicaSets, pods and AnalysisRuns; and, for a
// routed canary, its routing objects (traffic-info.ts).
import { maxTrafficWeightOf, replicasOf } from '@ramp/api';
import {
  type AnalysisRunObj,
  hashOf,
  ownedBy,
  type Pod,
  type ReplicaSet,
  type RolloutObj,
  revisionOf,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  setWeightAt,
  stepsOf,
} from '../kube/model';
import type { RouteRead } from '../kube/route-reader';
import { PHASE_ICON, type Phase, phaseOf } from './phase';
import { type PodInfo, podInfo } from './pod-info';
import { type TrafficInfo, trafficInfo } from './traffic-info';

export type RsTag = 'stable' | 'canary' | 'active' | 'preview';

export interface ReplicaSetInfo {
  name: string;
  revision: number;
  status: 'Healthy' | 'Progressing' | 'ScaledDown' | 'ReplicaFailure';
  icon: string;
  created?: string;
  tags: RsTag[];
  /** The scale-down deadline annotation (RFC 3339), when a scale-down is pending. */
  scaleDownDeadline?: string;
  replicas: number;
  available: number;
  images: string[];
  pods: PodInfo[];
}

export interface AnalysisRunInfo {
  name: string;
  revision: number;
  status: string;
  icon: string;
  created?: string;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}

export interface RolloutInfo {
  name: string;
  namespace: string;
  status: Phase;
  icon: string;
  message: string;
  created?: string;
  strategy: 'Canary' | 'BlueGreen' | 'unknown';
  step?: string;
  setWeight?: number;
  actualWeight?: number;
  images: { image: string; tags: RsTag[] }[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  revisions: { revision: number; replicaSets: ReplicaSetInfo[]; analysisRuns: AnalysisRunInfo[] }[];
  /** A canary with trafficRouting: its routers, recorded weights and routing objects. */
  traffic?: TrafficInfo;
}

const ANALYSIS_ICON: Record<string, string> = {
  Successful: '✔',
  Failed: '✖',
  Error: '⚠',
  Inconclusive: '?',
  Running: '◌',
  Pending: '◷',
};
export const analysisIcon = (phase: string | undefined): string => ANALYSIS_ICON[phase ?? 'Pending'] ?? ' ';

const RS_ICON: Record<ReplicaSetInfo['status'], string> = {
  Healthy: '✔',
  Progressing: '◌',
  ScaledDown: '•',
  ReplicaFailure: '✖',
};

function replicaSetStatus(rs: ReplicaSet): ReplicaSetInfo['status'] {
  const desired = rs.spec.replicas;
  if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure?.status === 'True') return 'ReplicaFailure';
  if (desired !== undefined && (rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  return desired === 0 ? 'ScaledDown' : 'Healthy';
}

function tagsOf(ro: RolloutObj, hash: string | undefined): RsTag[] {
  const status = ro.status ?? {};
  const tags: RsTag[] = [];
  if (!hash) return tags;
  if (ro.spec.strategy?.canary) {
    if (status.stableRS === hash) tags.push('stable');
    else if (status.currentPodHash === hash) tags.push('canary');
  }
  if (ro.spec.strategy?.blueGreen) {
    if (status.stableRS === hash) tags.push('stable');
    if (status.blueGreen?.activeSelector === hash) tags.push('active');
    else if (status.blueGreen?.previewSelector === hash) tags.push('preview');
  }
  return tags;
}

function replicaSetInfo(ro: RolloutObj, rs: ReplicaSet, pods: readonly Pod[]): ReplicaSetInfo {
  const status = replicaSetStatus(rs);
  const podInfos = ownedBy(pods, rs.metadata.uid)
    .map(podInfo)
    .sort((a, b) => (a.created ?? '').localeCompare(b.created ?? '') || a.name.localeCompare(b.name));
  return {
    name: rs.metadata.name,
    revision: revisionOf(rs),
    status,
    icon: RS_ICON[status],
    created: rs.metadata.creationTimestamp,
    tags: tagsOf(ro, hashOf(rs)),
    scaleDownDeadline: rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] || undefined,
    replicas: rs.status?.replicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    images: (rs.spec.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    pods: podInfos,
  };
}

function analysisRunInfo(run: AnalysisRunObj): AnalysisRunInfo {
  const sum = (key: 'successful' | 'failed' | 'inconclusive' | 'error') =>
    (run.status?.metricResults ?? []).reduce((n, r) => n + (r[key] ?? 0), 0);
  return {
    name: run.metadata.name,
    revision: revisionOf(run),
    status: run.status?.phase ?? 'Pending',
    icon: analysisIcon(run.status?.phase),
    created: run.metadata.creationTimestamp,
    successful: sum('successful'),
    failed: sum('failed'),
    inconclusive: sum('inconclusive'),
    error: sum('error'),
  };
}

/** Images of the ReplicaSets that have pods, each with the tags of those ReplicaSets, sorted. */
function imagesOf(replicaSets: readonly ReplicaSetInfo[]): RolloutInfo['images'] {
  const byImage = new Map<string, Set<RsTag>>();
  for (const rs of replicaSets) {
    if (rs.replicas <= 0) continue;
    for (const image of rs.images) {
      const tags = byImage.get(image) ?? new Set<RsTag>();
      for (const t of rs.tags) tags.add(t);
      byImage.set(image, tags);
    }
  }
  return [...byImage.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([image, tags]) => ({ image, tags: [...tags].sort() }));
}

export function rolloutInfo(
  ro: RolloutObj,
  objects: {
    replicaSets: readonly ReplicaSet[];
    pods: readonly Pod[];
    analysisRuns: readonly AnalysisRunObj[];
    /** The routing objects as read now (none read: the tree shows none). */
    routing?: readonly RouteRead[];
  },
): RolloutInfo {
  const status = ro.status ?? {};
  const { phase, message } = phaseOf(ro);
  const replicaSets = ownedBy(objects.replicaSets, ro.metadata.uid)
    .map((rs) => replicaSetInfo(ro, rs, objects.pods))
    .sort((a, b) => b.revision - a.revision || a.name.localeCompare(b.name));
  const runs = ownedBy(objects.analysisRuns, ro.metadata.uid)
    .map(analysisRunInfo)
    .sort(
      (a, b) =>
        b.revision - a.revision ||
        (a.created ?? '').localeCompare(b.created ?? '') ||
        b.name.localeCompare(a.name),
    );
  const revisions = [...new Set([...replicaSets, ...runs].map((x) => x.revision))].sort((a, b) => b - a);
  const info: RolloutInfo = {
    name: ro.metadata.name,
    namespace: ro.metadata.namespace ?? '',
    status: phase,
    icon: PHASE_ICON[phase],
    message,
    created: ro.metadata.creationTimestamp,
    strategy: ro.spec.strategy?.canary ? 'Canary' : ro.spec.strategy?.blueGreen ? 'BlueGreen' : 'unknown',
    images: imagesOf(replicaSets),
    replicas: {
      desired: replicasOf(ro.spec),
      current: status.replicas ?? 0,
      updated: status.updatedReplicas ?? 0,
      ready: status.readyReplicas ?? 0,
      available: status.availableReplicas ?? 0,
    },
    revisions: revisions.map((revision) => ({
      revision,
      replicaSets: replicaSets.filter((rs) => rs.revision === revision),
      analysisRuns: runs.filter((r) => r.revision === revision),
    })),
  };
  if (info.strategy === 'Canary') Object.assign(info, canaryWeights(ro, replicaSets));
  const traffic = trafficInfo(ro, objects.routing);
  if (traffic) info.traffic = traffic;
  return info;
}

/**
 * Step i/n, the weight the steps ask for, and the actual weight, as Argo's plugin has them: with traffic
 * routing the canary's weight in status.canary.weights (the set weight until there is one), else the
 * canary's share of the available pods; past the last step both are trafficRouting.maxTrafficWeight (100).
 */
function canaryWeights(ro: RolloutObj, replicaSets: readonly ReplicaSetInfo[]) {
  const status = ro.status ?? {};
  const canarySpec = ro.spec.strategy?.canary ?? {};
  const max = maxTrafficWeightOf(canarySpec as Record<string, unknown>).max;
  const steps = stepsOf(ro);
  const index = status.currentStepIndex ?? 0;
  const step =
    status.currentStepIndex !== undefined && steps.length > 0 ? `${index}/${steps.length}` : undefined;
  const past = index >= steps.length;
  const setWeight = status.abort ? 0 : past ? max : setWeightAt(steps, index);
  let actualWeight = 0;
  if (past) actualWeight = max;
  else if ((status.availableReplicas ?? 0) > 0) {
    const weights = status.canary?.weights;
    if (canarySpec.trafficRouting) actualWeight = weights ? weights.canary.weight : setWeight;
    else {
      const canary = replicaSets.find((rs) => rs.tags.includes('canary'));
      if (canary) actualWeight = Math.floor((canary.available * max) / (status.availableReplicas ?? 1));
    }
  }
  return { step, setWeight, actualWeight };
}
