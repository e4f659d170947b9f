/**
 * @ramp/testkit: an in-memory Kubernetes API server speaking the real REST protocol, for tests, the demo
 * and trying Ramp by hand. Product code never imports it.
 */
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { type CrdBundle, installCrds } from './crd-bundles';
import { ResourceRegistry } from './crd-registry';
import { defaultCrdsDir, readCrds } from './crds-loader';
import { FaultInjector, type FaultSpec, parseFaultSpec } from './faults';
import { kubeconfigYaml } from './kubeconfig';
import { createLogger, type Logger, type LogLevel } from './logger';
import { GarbageCollector } from './semantics/garbage-collector';
import { ApiServer } from './server/http-server';
import { type BadImageRule, type Simulator, type SimulatorClock, startSimulator } from './simulator';
import { ClusterStore } from './store/cluster-store';
import { ObjectStore } from './store/object-store';
import { Operations } from './store/operations';
import { timestamp } from './types';

export { type CrdBundle, installCrds, UPSTREAM_CRDS_DIR } from './crd-bundles';
export { type FaultSpec, parseFaultSpec } from './faults';
export type { LogLevel } from './logger';
export { mulberry32 } from './prng';
export { ApiError, type Status, type StatusCause } from './semantics/status';
export {
  type BadImageRule,
  badImagePredicate,
  FakeClock,
  JOB_RESULT_ANNOTATION,
  realClock,
  Simulator,
  type SimulatorClock,
  type SimulatorOptions,
  startSimulator,
} from './simulator';
export { ClusterStore, type ListFilter, type StoreChange } from './store/cluster-store';
export type { KubeObject, ObjectMeta, OwnerReference, WatchEventType } from './types';

export interface TestClusterOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** CRD `*.yaml` files, or directories of them, to load at start. Default: the repository's crds/ when it has files. */
  crdsDir?: string | string[];
  /**
   * Upstream CRDs to install at start, after `crdsDir`: bundles shipped with testkit (`gateway-api-standard`,
   * `gateway-api-experimental`, `smi`) or CRD files and folders. See `installCrds`.
   */
  crds?: (CrdBundle | string)[];
  /** Fault injection, as a spec object or a spec string (`error=0.05,latency=20-80ms,seed=42`). */
  faults?: FaultSpec | string;
  logLevel?: LogLevel;
  /** How many changes the watch history keeps; older resourceVersions get 410 Gone. Default 1000. */
  eventHistory?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 60000 ms. */
  bookmarkIntervalMs?: number;
  /** Delay before the garbage collector runs after a change. Default 5 ms. */
  gcDelayMs?: number;
  /**
   * The workload simulator (ReplicaSet and Job controllers, a kubelet; see docs/testkit.md). Default false
   * here (nothing creates pods or runs them, as testkit's own tests expect); the CLI's `serve` turns it on.
   */
  simulator?: boolean;
  /** Simulator: how long a pod takes to become Running and Ready. Default 100 ms. */
  readyDelayMs?: number;
  /** Simulator: how long a Job's pod runs once started. Default 100 ms. */
  jobDurationMs?: number;
  /** Simulator: images that never become ready, besides tags ending in `bad`; a function replaces the rule. */
  badImage?: BadImageRule;
  /** Simulator: seed of the PRNG for pod names and IPs. Default 1. */
  simulatorSeed?: number;
  /** Simulator: where its time comes from (a `FakeClock` in tests). Default the real clock. */
  clock?: SimulatorClock;
  /** Where log lines go (default: stderr). */
  logger?: Logger;
}

export interface TestCluster {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  kubeConfig(): KubeConfig;
  kubeconfigYaml(): string;
  writeKubeconfig(path: string): void;
  /** Direct access to objects, with API semantics, without HTTP (see docs/testkit.md). */
  store: ClusterStore;
  /** Replaces the fault spec (and restarts its PRNG). */
  setFaults(faults: FaultSpec | string | undefined): void;
  /** The next `count` writes to the resource `plural` are answered 500 (0: none more). */
  failWrites(plural: string, count: number): void;
  /** Ends every open watch cleanly; clients re-watch from their last resourceVersion. */
  cutWatches(): void;
  /** Forgets the watch history: watches from an older resourceVersion get 410 Gone. */
  compactHistory(): void;
  /** Resolves when the garbage collector and namespace/CRD cleanup have nothing pending. */
  settled(): Promise<void>;
  /** The options the cluster was started with. */
  readonly options: Readonly<TestClusterOptions>;
  /** The workload simulator (pause/resume, setBadImageRule); undefined unless `simulator: true`. */
  readonly simulator: Simulator | undefined;
  stop(): Promise<void>;
}

function toFaultSpec(faults: FaultSpec | string | undefined): FaultSpec {
  if (faults === undefined) return {};
  return typeof faults === 'string' ? parseFaultSpec(faults) : faults;
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const registry = new ResourceRegistry();
  const store = new ObjectStore({ eventHistory: options.eventHistory ?? 1000 });
  const ops = new Operations(registry, store);
  const faults = new FaultInjector(toFaultSpec(options.faults));
  const gc = new GarbageCollector(ops, options.gcDelayMs ?? 5);
  const nsScope = { type: registry.get('namespaces')!, version: 'v1' };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    ops.create(nsScope, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const crdScope = { type: registry.get('customresourcedefinitions.apiextensions.k8s.io')!, version: 'v1' };
  const dirs =
    options.crdsDir === undefined
      ? [defaultCrdsDir()].filter((d) => d !== undefined)
      : [options.crdsDir].flat();
  for (const { file, crd } of readCrds(dirs)) {
    try {
      ops.create(crdScope, crd);
      logger.debug(
        `loaded CRD ${String((crd.metadata as { name?: string } | undefined)?.name)} from ${file}`,
      );
    } catch (err) {
      throw new Error(`cannot load the CRD in ${file}: ${(err as Error).message}`);
    }
  }
  const clusterStore = new ClusterStore(ops);
  if (options.crds?.length) installCrds(clusterStore, ...options.crds);
  gc.start();
  const server = new ApiServer({
    registry,
    ops,
    faults,
    logger,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
  });
  const port = await server.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  logger.info(`serving on ${url} since ${timestamp()}`);
  const simulator =
    options.simulator === true
      ? startSimulator(clusterStore, {
          readyDelayMs: options.readyDelayMs,
          jobDurationMs: options.jobDurationMs,
          badImage: options.badImage,
          seed: options.simulatorSeed,
          clock: options.clock,
          logger,
        })
      : undefined;
  let stopped = false;
  return {
    url,
    port,
    options,
    store: clusterStore,
    simulator,
    kubeconfigYaml: () => kubeconfigYaml(url),
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromString(kubeconfigYaml(url));
      return kc;
    },
    writeKubeconfig(path: string) {
      writeFileSync(path, kubeconfigYaml(url), { mode: 0o600 });
    },
    setFaults: (f) => faults.configure(toFaultSpec(f)),
    failWrites: (plural, count) => faults.failWrites(plural, count),
    cutWatches: () => server.cutWatches(),
    compactHistory: () => store.hub.compact(store.resourceVersion),
    settled: () => gc.idle(),
    async stop() {
      if (stopped) return;
      stopped = true;
      simulator?.stop();
      gc.stop();
      await server.close();
      logger.info('stopped');
    },
  };
}
export * from './process-group';
export * from './prometheus';
export type { RequestProtocol, RequestShape } from './traffic/request-mix';
export { parseRouteEntry, type RouteEntry, type RouteKind } from './traffic/route-entry';
export * from './traffic/routed-traffic-model';
export * from './traffic/traffic-app';
export {
  BACKEND_LABEL,
  DATA_PLANE_ANSWERS_METRIC,
  MIRRORED_METRIC,
  MIRRORED_REJECTED_METRIC,
} from './traffic/traffic-metrics';
export * from './traffic/traffic-model';
export type { TrafficStatus } from './traffic/traffic-status';
export * from './wait-for';
