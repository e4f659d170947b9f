// Shared by the kube and runtime tests: bounded waiting, a request log, small object builders.
import type { AnalysisRun, Rollout } from '@ramp/api';
import type { KubeObject as StoredObject } from '@ramp/testkit';
import { waitFor } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../model/kube-objects';
import type { RequestRecord } from './kube-client';

export { waitFor };

/** Records the requests of a KubeClient (pass `log.record` as its onRequest). */
export class RequestLog {
  readonly records: RequestRecord[] = [];
  readonly record = (r: RequestRecord): void => {
    this.records.push(r);
  };

  /** Writes (POST, PUT, PATCH, DELETE) since `from`, as `METHOD path`. */
  writes(from = 0): string[] {
    return this.records
      .slice(from)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
  }

  get length(): number {
    return this.records.length;
  }
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
): ReplicaSet {
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
): Service {
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
