// The Kubernetes objects the controller reads and writes, as plain JSON (timestamps are RFC 3339
// strings, exactly as the API server sends them). Only the fields decisions use are typed.
import type { ObjectMetaFields, PodTemplateSpec } from '@ramp/api';
import { objectKey } from '@ramp/kube';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetaFields & { name: string; namespace?: string; uid?: string };
}

export interface ReplicaSet extends KubeObject {
  kind: 'ReplicaSet';
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    selector: { matchLabels?: Record<string, string> };
    template: PodTemplateSpec;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    fullyLabeledReplicas?: number;
    observedGeneration?: number;
  };
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: { selector?: Record<string, string>; [field: string]: unknown };
}

export interface Job extends KubeObject {
  kind: 'Job';
  spec: Record<string, unknown>;
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec?: Record<string, unknown>;
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name);
}
