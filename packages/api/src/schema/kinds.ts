// The four kinds Ramp owns, their names as the API server knows them, and their schemas.
import { AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate } from './analysis';
import type { TSchema } from './dsl';
import { Rollout } from './rollout';

export const GROUP = 'argoproj.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'string' | 'date';
  jsonPath: string;
  description: string;
}

export interface KindInfo {
  kind: 'Rollout' | 'AnalysisTemplate' | 'ClusterAnalysisTemplate' | 'AnalysisRun';
  plural: string;
  singular: string;
  shortNames: string[];
  scope: 'Namespaced' | 'Cluster';
  schema: TSchema;
  statusSubresource: boolean;
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
  printerColumns: PrinterColumn[];
}

const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since resource was created',
};

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'Rollout',
    plural: 'rollouts',
    singular: 'rollout',
    shortNames: ['ro'],
    scope: 'Namespaced',
    schema: Rollout,
    statusSubresource: true,
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.HPAReplicas',
      labelSelectorPath: '.status.selector',
    },
    printerColumns: [
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Number of desired pods' },
      {
        name: 'Current',
        type: 'integer',
        jsonPath: '.status.replicas',
        description: 'Total number of non-terminated pods targeted by this rollout',
      },
      {
        name: 'Up-to-date',
        type: 'integer',
        jsonPath: '.status.updatedReplicas',
        description:
          'Total number of non-terminated pods targeted by this rollout that have the desired template spec',
      },
      {
        name: 'Available',
        type: 'integer',
        jsonPath: '.status.availableReplicas',
        description:
          'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout',
      },
      age,
    ],
  },
  {
    kind: 'AnalysisTemplate',
    plural: 'analysistemplates',
    singular: 'analysistemplate',
    shortNames: ['at'],
    scope: 'Namespaced',
    schema: AnalysisTemplate,
    statusSubresource: false,
    printerColumns: [age],
  },
  {
    kind: 'ClusterAnalysisTemplate',
    plural: 'clusteranalysistemplates',
    singular: 'clusteranalysistemplate',
    shortNames: ['cat'],
    scope: 'Cluster',
    schema: ClusterAnalysisTemplate,
    statusSubresource: false,
    printerColumns: [age],
  },
  {
    kind: 'AnalysisRun',
    plural: 'analysisruns',
    singular: 'analysisrun',
    shortNames: ['ar'],
    scope: 'Namespaced',
    schema: AnalysisRun,
    // As in Argo Rollouts: no status subresource; the controller writes runs whole.
    statusSubresource: false,
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'AnalysisRun status' },
      age,
    ],
  },
];

export function kindInfo(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind);
}
