// One test's world: a testkit cluster with its workload simulator, the real controller started
// in-process (stoppable and restartable), a client driving the Rollout as Argo's plugin and Argo CD
// do, bounded waits that check the safety invariants on every state and print the cluster on
// failure, and the controller's requests, to count its writes.
import type { AnalysisRun, Rollout } from '@ramp/api';
import { KubeClient, RESOURCES, type ResourceType } from '@ramp/kube';
import { RequestLog } from '@ramp/kube/testing';
import { type CrdBundle, startTestCluster, type TestCluster } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../../model/names';
import { decideRollout } from '../../rollout/decide';
import { routeResourceVersions } from '../../routing/route-resources';
import { type RunningController, startController } from '../../runtime/start-controller';
import { describeState } from './diagnostics';
import { MetricServer } from './metric-server';
import { SafetyObserver } from './observer';

const revision = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
const RO = 'argoproj.io/v1alpha1';
const POLL_MS = 20;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ROUTES = routeResourceVersions('v1alpha4');
const RESOURCE_OF_KIND: Record<string, ResourceType> = {
  Rollout: RESOURCES.rollouts,
  Service: RESOURCES.services,
  AnalysisTemplate: RESOURCES.analysisTemplates,
  HTTPRoute: ROUTES.httproutes[0]!,
  GRPCRoute: ROUTES.grpcroutes[0]!,
  Ingress: ROUTES.ingresses[0]!,
  TrafficSplit: ROUTES.trafficsplits[0]!,
  VirtualService: ROUTES.virtualservices[0]!,
  DestinationRule: ROUTES.destinationrules[0]!,
  ApisixRoute: ROUTES.apisixroutes[0]!,
  TraefikService: ROUTES.traefikservices[0]!,
  Mapping: ROUTES.mappings[0]!,
};

export interface HarnessOptions {
  readyDelayMs?: number;
  jobDurationMs?: number;
  /** CRDs to install besides Argo's (the Gateway API, SMI), with their CEL rules. */
  crds?: CrdBundle[];
  /** The namespace of the Rollouts the harness reads, watches and describes (default: `default`). */
  namespace?: string;
}

export class Harness {
  readonly requests = new RequestLog();
  readonly observer: SafetyObserver;
  readonly client: KubeClient;
  controller: RunningController | undefined;
  private readonly cleanups: (() => Promise<void>)[] = [];

  private constructor(
    readonly cluster: TestCluster,
    readonly namespace: string,
  ) {
    this.client = new KubeClient(cluster.kubeConfig(), { qps: 1000, burst: 1000 });
    this.observer = new SafetyObserver(cluster.store, namespace, () => this.describe());
    this.observer.start();
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const cluster = await startTestCluster({
      simulator: true,
      readyDelayMs: options.readyDelayMs ?? 50,
      jobDurationMs: options.jobDurationMs ?? 100,
      ...(options.crds ? { crds: options.crds } : {}),
    });
    return new Harness(cluster, options.namespace ?? 'default');
  }

  /** Starts the real controller (again, after stopController); resolves once its caches synced. */
  async startController(): Promise<RunningController> {
    if (this.controller) throw new Error('the controller is already running');
    this.controller = await startController({
      kubeConfig: this.cluster.kubeConfig(),
      decide: decideRollout,
      qps: 1000,
      burst: 1000,
      onRequest: this.requests.record,
    });
    return this.controller;
  }

  async stopController(): Promise<void> {
    const running = this.controller;
    this.controller = undefined;
    if (running) await running.stop(5000);
  }

  /** A web metric endpoint stopped with the harness. */
  async metricServer(): Promise<MetricServer> {
    const server = await MetricServer.start();
    this.cleanups.push(() => server.stop());
    return server;
  }

  async stop(): Promise<void> {
    this.observer.stop();
    await this.stopController();
    for (const cleanup of this.cleanups.splice(0)) await cleanup();
    this.client.close();
    await this.cluster.stop();
  }

  // --- objects, as the API serves them ---

  async create(
    ...objects: { kind?: string; metadata: { name?: string; namespace?: string } }[]
  ): Promise<void> {
    for (const obj of objects) {
      const resource = RESOURCE_OF_KIND[obj.kind ?? ''];
      if (!resource) throw new Error(`the harness cannot create a ${obj.kind}`);
      await this.client.create(resource, obj, obj.metadata.namespace ?? this.namespace);
    }
  }

  rollout(name: string): Rollout {
    const ro = this.cluster.store.get(RO, 'Rollout', name, this.namespace) as unknown as Rollout | undefined;
    if (!ro) throw new Error(`Rollout ${name} not found`);
    return ro;
  }

  /** The Rollout's ReplicaSets, oldest revision first. */
  replicaSets(name: string): ReplicaSet[] {
    const uid = this.rollout(name).metadata.uid;
    return (
      this.cluster.store.list('apps/v1', 'ReplicaSet', {
        namespace: this.namespace,
      }) as unknown as ReplicaSet[]
    )
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === uid))
      .sort((a, b) => revision(a) - revision(b));
  }

  replicaSet(name: string, hash: string | undefined): ReplicaSet | undefined {
    return this.replicaSets(name).find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  }

  /** spec.replicas per pod-template hash. */
  counts(name: string): Record<string, number> {
    return Object.fromEntries(
      this.replicaSets(name).map((rs) => [
        rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL],
        rs.spec.replicas ?? 1,
      ]),
    );
  }

  /** A routing object (HTTPRoute, Ingress, TrafficSplit) as the server holds it. */
  routeObject(
    apiVersion: string,
    kind: string,
    name: string,
    namespace = this.namespace,
  ): Record<string, unknown> | undefined {
    return this.cluster.store.get(apiVersion, kind, name, namespace) as unknown as
      | Record<string, unknown>
      | undefined;
  }

  /** Requests the controller sent that the API server refused as invalid (422): none, ever. */
  invalidWrites(): string[] {
    return this.requests.records.filter((r) => r.status === 422).map((r) => `${r.method} ${r.path}`);
  }

  /** The hash a Service selects. */
  selected(service: string): string | undefined {
    const svc = this.cluster.store.get('v1', 'Service', service, this.namespace) as unknown as
      | Service
      | undefined;
    return svc?.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
  }

  runs(): AnalysisRun[] {
    return this.cluster.store.list(RO, 'AnalysisRun', {
      namespace: this.namespace,
    }) as unknown as AnalysisRun[];
  }

  run(name: string | undefined): AnalysisRun | undefined {
    return this.runs().find((r) => r.metadata.name === name);
  }

  // --- what a person does, through the API as Argo's plugin and Argo CD do it ---

  /** A merge patch of the Rollout's status subresource, as the plugin and Argo CD's actions send them. */
  patchRolloutStatus(name: string, status: Record<string, unknown>): Promise<unknown> {
    return this.client.patchStatus(
      RESOURCES.rollouts,
      name,
      { status },
      { namespace: this.namespace, type: 'merge' },
    );
  }

  /** `kubectl argo rollouts promote`: the pause conditions cleared. */
  promote = (name: string) => this.patchRolloutStatus(name, { pauseConditions: null });
  /** `promote --full`. */
  promoteFull = (name: string) => this.patchRolloutStatus(name, { promoteFull: true });
  abort = (name: string) => this.patchRolloutStatus(name, { abort: true });
  retry = (name: string) => this.patchRolloutStatus(name, { abort: false });

  async patchSpec(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.client.patch(RESOURCES.rollouts, name, { spec }, { namespace: this.namespace, type: 'merge' });
  }

  async setImage(name: string, image: string): Promise<void> {
    const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }];
    await this.client.patch(RESOURCES.rollouts, name, patch, { namespace: this.namespace, type: 'json' });
  }

  // --- waiting ---

  describe(): string {
    return describeState(this.cluster.store, this.namespace);
  }

  /** Polls `check` (checking the invariants each time) until it holds; fails after `timeoutMs` with the cluster's state. */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.observer.sample();
      this.observer.assertSafe();
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits for the phase (and `extra`, when given); returns the Rollout. */
  waitForPhase(
    name: string,
    phase: string,
    extra: (ro: Rollout) => boolean = () => true,
    timeoutMs = 10_000,
  ) {
    return this.waitFor(
      `Rollout ${name} to be ${phase}`,
      () => {
        const ro = this.rollout(name);
        return ro.status?.phase === phase && extra(ro) ? ro : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits until the controller's caches hold what the server holds and both queues are idle. */
  async settle(timeoutMs = 5000): Promise<void> {
    const running = this.controller;
    if (!running) throw new Error('the controller is not running');
    const kinds = [
      [RO, 'Rollout', running.caches.rollouts],
      ['apps/v1', 'ReplicaSet', running.caches.replicaSets],
      ['v1', 'Service', running.caches.services],
      [RO, 'AnalysisRun', running.caches.analysisRuns],
    ] as const;
    const versions = (objs: { metadata: { name?: string; resourceVersion?: string } }[]) =>
      objs
        .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
        .sort()
        .join();
    await this.waitFor(
      'the controller to settle',
      () =>
        kinds.every(
          ([apiVersion, kind, cache]) =>
            versions(this.cluster.store.list(apiVersion, kind, { namespace: this.namespace })) ===
            versions(cache.list(this.namespace)),
        ) &&
        running.rollouts.queue.length + running.rollouts.queue.active === 0 &&
        running.analysisRuns.queue.length + running.analysisRuns.queue.active === 0,
      timeoutMs,
    );
  }

  /** The controller's writes (not GETs) over `windowMs` once it has settled: none when it is idle. */
  async writesWhileIdle(windowMs = 1000): Promise<string[]> {
    await this.settle();
    const from = this.requests.length;
    await sleep(windowMs);
    return this.requests.writes(from);
  }
}

/** Registers cleanup for the file's tests: every harness started is stopped after its test, even on failure. */
export function useHarness(timeoutMs = 40_000): { start(options?: HarnessOptions): Promise<Harness> } {
  jest.setTimeout(timeoutMs);
  const started: Harness[] = [];
  afterEach(async () => {
    const all = started.splice(0);
    await Promise.all(all.map((h) => h.stop()));
    for (const h of all) h.observer.assertSafe();
  });
  return {
    async start(options) {
      const h = await Harness.start(options);
      started.push(h);
      return h;
    },
  };
}
