/** Shared by the simulator's tests: a cluster on a FakeClock, objects to create, typed views of statuses. */
import { startTestCluster, type TestCluster, type TestClusterOptions } from '../index';
import { FakeClock } from '../simulator/clock';
import type { ClusterStore } from '../store/cluster-store';
import type { KubeObject } from '../types';

export interface SimCluster {
  cluster: TestCluster;
  store: ClusterStore;
  clock: FakeClock;
}

/** A cluster with the simulator on a FakeClock: readyDelay 1 s, job duration 2 s, GC at once. */
export async function simCluster(options: TestClusterOptions = {}): Promise<SimCluster> {
  const clock = new FakeClock();
  const cluster = await startTestCluster({
    crdsDir: [],
    simulator: true,
    clock,
    readyDelayMs: 1000,
    jobDurationMs: 2000,
    gcDelayMs: 0,
    ...options,
  });
  return { cluster, store: cluster.store, clock };
}

export function replicaSet(
  name: string,
  opts: { replicas?: number; image?: string; minReadySeconds?: number } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 3,
      ...(opts.minReadySeconds !== undefined ? { minReadySeconds: opts.minReadySeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, 'rollouts-pod-template-hash': 'abc123' },
          annotations: { 'example.com/note': 'from the template' },
        },
        spec: { containers: [{ name: 'app', image: opts.image ?? 'nginx:1.27' }] },
      },
    },
  };
}

export function job(name: string, command: string[], annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      backoffLimit: 0,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command }] },
      },
    },
  };
}

/** The pods whose controller is `owner`, by name. */
export function podsOf(store: ClusterStore, owner: KubeObject): KubeObject[] {
  return store
    .list('v1', 'Pod', { namespace: owner.metadata.namespace ?? 'default' })
    .filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

export interface ContainerStatusView {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string; message?: string };
    terminated?: { exitCode: number; reason: string };
  };
}

export interface PodStatusView {
  phase: string;
  podIP?: string;
  startTime?: string;
  conditions: { type: string; status: string; reason?: string; lastTransitionTime: string }[];
  containerStatuses: ContainerStatusView[];
}

export function podStatus(pod: KubeObject | undefined): PodStatusView {
  return pod?.status as PodStatusView;
}

export function conditionStatus(pod: KubeObject | undefined, type: string): string | undefined {
  return podStatus(pod)?.conditions?.find((c) => c.type === type)?.status;
}

export function get(store: ClusterStore, obj: KubeObject): KubeObject {
  const found = store.get(
    obj.apiVersion ?? '',
    obj.kind ?? '',
    obj.metadata.name ?? '',
    obj.metadata.namespace,
  );
  if (!found) throw new Error(`${obj.kind} ${obj.metadata.name} not found`);
  return found;
}
