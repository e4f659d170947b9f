// The objects the plugin reads, as the API server sends them (raw JSON), and the few Argo Rollouts
// facts it needs about them: resource addresses, label and annotation names, the canary step math.
import {
  type AnalysisRun,
  type LabelSelector,
  labelSelectorTerms,
  type ObjectMetaFields,
  type PodTemplateSpec,
  type Rollout,
} from '@ramp/api';
import type { ResourceType } from '@ramp/kube';

export type { AnalysisRun, Rollout };

export interface Meta extends ObjectMetaFields {
  name: string;
}

export interface KubeObj {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
}

export interface ReplicaSet extends KubeObj {
  spec: { replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: string }[];
  };
}

export interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
}

export interface Pod extends KubeObj {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** The Rollout as read: metadata with a name, the rest as @ramp/api types it. */
export type RolloutObj = Rollout & { metadata: Meta };
export type AnalysisRunObj = AnalysisRun & { metadata: Meta };

const argo = (plural: string, kind: string): ResourceType => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural,
  namespaced: true,
  kind,
});

export const RES = {
  rollouts: argo('rollouts', 'Rollout'),
  analysisRuns: argo('analysisruns', 'AnalysisRun'),
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, kind: 'ReplicaSet' },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' },
} as const satisfies Record<string, ResourceType>;

// Argo Rollouts' names, as the controller writes them (packages/controller/src/model/names.ts).
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
export const PAUSE_REASON = {
  canaryStep: 'CanaryPauseStep',
  blueGreen: 'BlueGreenPause',
  inconclusiveAnalysis: 'InconclusiveAnalysisRun',
} as const;

export const revisionOf = (obj: KubeObj): number => {
  const value = Number(obj.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(value) ? value : 0;
};

export const hashOf = (rs: KubeObj): string | undefined => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];

/** The objects controlled by the owner with this uid. */
export function ownedBy<T extends KubeObj>(items: Iterable<T>, uid: string | undefined): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (uid && item.metadata.ownerReferences?.some((ref) => ref.uid === uid)) out.push(item);
  }
  return out;
}

/** Where a canary stands in its steps: the controller's own reading, so both show the same weight. */
export { setWeightAt, stepsOf } from '@ramp/controller';

/** A label selector as the `labelSelector` query parameter writes it; undefined when it selects nothing. */
export function selectorString(selector: LabelSelector | undefined): string | undefined {
  const terms = labelSelectorTerms(selector);
  return terms.length > 0 ? terms.join(',') : undefined;
}
