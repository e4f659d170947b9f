// Test support for the operations tests: a testkit cluster with its workload simulator, Rollouts to
// drive through it, and controllers started in-process with the real decide and their own request logs.
import type { AnalysisTemplate, Rollout } from '@ramp/api';
import { KubeClient, RESOURCES } from '@ramp/kube';
import { RequestLog, stored } from '@ramp/kube/testing';
import { startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import { LEASE_NAME } from '../../operations/lease';
import { decideRollout } from '../../rollout/decide';
import {
  type ControllerOptions,
  createController,
  type RunningController,
} from '../../runtime/start-controller';

export const RO = 'argoproj.io/v1alpha1';
/** Short leader election timings for tests (the defaults are 15s/10s/2s). */
export const FAST_ELECTION = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 400 };

export interface World {
  cluster: TestCluster;
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const cluster = await startTestCluster({ simulator: true, readyDelayMs: 20, jobDurationMs: 50 });
  const client = new KubeClient(cluster.kubeConfig(), { qps: 1000, burst: 1000 });
  return {
    cluster,
    client,
    async stop() {
      client.close();
      await cluster.stop();
    },
  };
}

export interface CanaryOptions {
  namespace?: string;
  labels?: Record<string, string>;
  steps?: NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps'];
  replicas?: number;
}

export function canaryRollout(name: string, image: string, options: CanaryOptions = {}): Rollout {
  const labels = { app: name };
  return {
    apiVersion: RO,
    kind: 'Rollout',
    metadata: { name, namespace: options.namespace ?? 'default', labels: { ...labels, ...options.labels } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
      strategy: { canary: { steps: options.steps ?? [{ setWeight: 50 }, { pause: { duration: '1s' } }] } },
    },
  };
}

export function webTemplate(
  name: string,
  url: string,
  extra: Record<string, unknown> = {},
): AnalysisTemplate {
  return {
    apiVersion: RO,
    kind: 'AnalysisTemplate',
    metadata: { name, namespace: 'default' },
    spec: {
      metrics: [
        {
          name: 'latency',
          successCondition: 'result < 100',
          failureLimit: 1,
          count: 2,
          interval: '100ms',
          provider: { web: { url, jsonPath: '{$.latency}' } },
          ...extra,
        },
      ],
    },
  } as AnalysisTemplate;
}

export function getRollout(world: World, name: string, namespace = 'default'): Rollout | undefined {
  return world.cluster.store.get(RO, 'Rollout', name, namespace) as unknown as Rollout | undefined;
}

export function createRollout(world: World, rollout: Rollout): Rollout {
  return world.cluster.store.create(stored(rollout)) as unknown as Rollout;
}

export async function setImage(
  world: World,
  name: string,
  image: string,
  namespace = 'default',
): Promise<void> {
  const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }];
  await world.client.patch(RESOURCES.rollouts, name, patch, { namespace, type: 'json' });
}

/** Healthy, on the image given, with the stable ReplicaSet the current one. */
export function isDone(ro: Rollout | undefined, image: string): boolean {
  const status = ro?.status;
  return (
    status?.phase === 'Healthy' &&
    status.stableRS === status.currentPodHash &&
    ro?.spec.template?.spec?.containers?.[0]?.image === image &&
    status.observedGeneration === String(ro.metadata.generation)
  );
}

export function waitDone(
  world: World,
  name: string,
  image: string,
  timeoutMs = 10_000,
  namespace = 'default',
) {
  return waitFor(
    `Rollout ${namespace}/${name} done on ${image}`,
    () => isDone(getRollout(world, name, namespace), image),
    timeoutMs,
  );
}

export interface TestController {
  running: RunningController;
  requests: RequestLog;
  /** When each request of `requests` was sent (epoch ms), in the same order. */
  sentAt: number[];
}

/** A controller on `world` with the real decide; `lease` turns leader election on (FAST_ELECTION timings). */
export function startTestController(
  world: World,
  options: Partial<ControllerOptions> & { identity?: string; lease?: string } = {},
): TestController {
  const requests = new RequestLog();
  const sentAt: number[] = [];
  const { identity, lease, ...rest } = options;
  const running = createController({
    kubeConfig: world.cluster.kubeConfig(),
    decide: decideRollout,
    qps: 1000,
    burst: 1000,
    onRequest: (r) => {
      requests.record(r);
      sentAt.push(Date.now() - r.durationMs);
    },
    ...(identity || lease
      ? {
          leaderElection: {
            namespace: 'default',
            name: lease ?? LEASE_NAME,
            ...(identity ? { identity } : {}),
            ...FAST_ELECTION,
          },
        }
      : {}),
    ...rest,
  });
  return { running, requests, sentAt };
}

/** Writes other than to Leases, as `METHOD path`. */
export function objectWrites(requests: RequestLog, from = 0): string[] {
  return requests.writes(from).filter((w) => !w.includes('/leases'));
}

/** Writes other than to Leases sent at or after `time`. */
export function objectWritesSentAfter(c: TestController, time: number): string[] {
  return c.requests.records
    .filter((r, i) => r.method !== 'GET' && (c.sentAt[i] ?? 0) >= time && !r.path.includes('/leases'))
    .map((r) => `${r.method} ${r.path}`);
}
