// The objects the scenarios read back (kubectl -o json), and YAML in and out.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { EXAMPLES } from './paths';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface RolloutJson {
  metadata: { name: string; generation?: number; uid?: string };
  spec: {
    replicas?: number;
    paused?: boolean;
    template: { spec: { containers: { name: string; image: string }[] } };
    strategy: { canary?: { steps?: unknown[] }; blueGreen?: Record<string, unknown> };
  };
  status?: {
    phase?: string;
    message?: string;
    abort?: boolean;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    observedGeneration?: string | number;
    pauseConditions?: { reason: string; startTime?: string }[] | null;
    controllerPause?: boolean;
    blueGreen?: { activeSelector?: string; previewSelector?: string; scaleUpPreviewCheckPoint?: boolean };
    canary?: {
      currentBackgroundAnalysisRunStatus?: { name?: string; status?: string; message?: string };
      weights?: {
        canary: { weight: number; podTemplateHash?: string; serviceName?: string };
        stable: { weight: number; podTemplateHash?: string; serviceName?: string };
        verified?: boolean;
      };
    };
    conditions?: Condition[];
    replicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
}

export interface ReplicaSetJson {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface AnalysisRunJson {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  spec?: { args?: { name: string; value?: string }[] };
  status?: {
    phase?: string;
    message?: string;
    metricResults?: {
      name: string;
      phase?: string;
      failed?: number;
      successful?: number;
      measurements?: { phase: string; startedAt?: string; finishedAt?: string; value?: string }[];
    }[];
  };
}

export interface ServiceJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { selector?: Record<string, string> };
}

export interface EventJson {
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string };
}

export const imageOfRs = (rs: ReplicaSetJson) => rs.spec.template.spec.containers[0]?.image ?? '';
export const hashOfRs = (rs: ReplicaSetJson) => rs.metadata.labels?.['rollouts-pod-template-hash'] ?? '';

/** Reads a YAML file of examples/ (or any path), all its documents. */
export function readYaml<T = Record<string, unknown>>(file: string): T[] {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(EXAMPLES, file), 'utf8');
  return text
    .split(/^---\s*$/m)
    .map((doc) => parseYaml(doc) as T | null)
    .filter((doc): doc is T => doc !== null && doc !== undefined);
}

/** Objects as one kubectl input: YAML documents. */
export const toYaml = (docs: unknown[]): string => docs.map((d) => stringifyYaml(d)).join('---\n');
