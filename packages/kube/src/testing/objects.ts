// Small object builders for the tests of @ramp/kube and of the packages above it: a Rollout, a
// ReplicaSet a Rollout owns, a Service, an AnalysisRun, and `stored` to hand one to testkit's store.
import type { AnalysisRun, ObjectMetaFields, PodTemplateSpec, Rollout } from '@ramp/api';
import type { KubeObject as StoredObject } from '@ramp/testkit';

type Metadata = ObjectMetaFields & { name: string; namespace?: string };

/** What `replicaSetObject` builds (the packages above type a ReplicaSet further; this fits theirs). */
export interface ReplicaSetObject {
  apiVersion: string;
  kind: 'ReplicaSet';
  metadata: Metadata;
  spec: { replicas?: number; selector: { matchLabels?: Record<string, string> }; template: PodTemplateSpec };
}

/** What `serviceObject` builds. */
export interface ServiceObject {
  apiVersion: string;
  kind: 'Service';
  metadata: Metadata;
  spec: { selector?: Record<string, string>; [field: string]: unknown };
}

export function rolloutObject(
  name: string,
  extra: Partial<Rollout['spec']> = {},
  namespace = 'default',
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
      ...extra,
    },
  };
}

export function replicaSetObject(
  name: string,
  hash: string,
  owner: { name: string; uid: string } | undefined,
  replicas = 1,
  namespace = 'default',
): ReplicaSetObject {
  const labels = { app: owner?.name ?? name, 'rollouts-pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace,
      labels,
      ownerReferences: owner
        ? [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              name: owner.name,
              uid: owner.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ]
        : undefined,
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

export function serviceObject(
  name: string,
  selector: Record<string, string>,
  namespace = 'default',
): ServiceObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector, ports: [{ port: 80 }] },
  };
}

/** An object typed by the controller, as testkit's store takes it. */
export function stored<T extends object>(obj: T): StoredObject {
  return obj as unknown as StoredObject;
}

export function analysisRunObject(
  name: string,
  owner: { name: string; uid: string },
  namespace = 'default',
): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: owner.name,
          uid: owner.uid,
          controller: true,
        },
      ],
    },
    spec: { metrics: [{ name: 'ok', provider: { web: { url: 'http://127.0.0.1:1/ok' } } }] },
  };
}
