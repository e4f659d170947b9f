// Watches every change the cluster stores (synchronously, through testkit's store) and checks the
// safety invariants on each state it sees; it also records the history the tests assert on (the
// phases and steps a Rollout went through, the replica counts each ReplicaSet had).
import { type Rollout, strategyServiceNames } from '@ramp/api';
import type { ClusterStore } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL } from '../../model/names';
import { routeWeights, splitServices, subsetHashes } from './route-weights';

const WATCHED = new Set(['Rollout', 'ReplicaSet', 'Service', 'Pod']);
/** Routing objects may live in another namespace than their Rollout's (the Gateway API plugin's `namespace`). */
const ROUTING = new Set([
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'Ingress',
  'TrafficSplit',
  'VirtualService',
  'DestinationRule',
  'ApisixRoute',
  'TraefikService',
  'Mapping',
]);

interface Pod {
  metadata: { labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** `25%` of `replicas` rounded down (maxUnavailable), or the number itself. */
function maxUnavailable(ro: Rollout, replicas: number): number {
  const canary = ro.spec.strategy?.canary ?? {};
  const resolve = (v: number | string | undefined, dflt: string, round: (x: number) => number) => {
    const value = v ?? dflt;
    return typeof value === 'number' ? value : round((Number.parseInt(value, 10) * replicas) / 100);
  };
  const surge = resolve(canary.maxSurge, '25%', Math.ceil);
  const unavailable = resolve(canary.maxUnavailable, '25%', Math.floor);
  return surge === 0 && unavailable === 0 ? 1 : unavailable;
}

/** The Services the strategy names. */
export const servicesOf = strategyServiceNames;

export class SafetyObserver {
  /** Every invariant broken, with the change that showed it. */
  readonly violations: string[] = [];
  /** Per Rollout: `phase step=N hash` each time one of them changed. */
  readonly history = new Map<string, string[]>();
  /** Per ReplicaSet name: spec.replicas each time it changed. */
  readonly replicas = new Map<string, number[]>();
  private readonly healthySeen = new Set<string>();
  private unsubscribe?: () => void;
  samples = 0;

  constructor(
    private readonly store: ClusterStore,
    private readonly namespace: string,
    /** The cluster's state, printed with the first violation. */
    private readonly describe: () => string = () => '',
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => {
      const kind = change.object.kind ?? '';
      const here = change.object.metadata.namespace === this.namespace;
      if (!ROUTING.has(kind) && !(here && WATCHED.has(kind))) return;
      this.sample(`${change.type} ${change.object.kind}/${change.object.metadata.name}`);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Throws the first invariant broken so far. */
  assertSafe(): void {
    if (this.violations.length > 0) {
      throw new Error(`safety invariant broken (${this.violations.length}x); first: ${this.violations[0]}`);
    }
  }

  /** Distinct successive values of spec.replicas of the ReplicaSet of `hash`. */
  replicasOf(rolloutName: string, hash: string): number[] {
    return this.replicas.get(`${rolloutName}-${hash}`) ?? [];
  }

  private list<T>(apiVersion: string, kind: string): T[] {
    return this.store.list(apiVersion, kind, { namespace: this.namespace }) as unknown as T[];
  }

  /** Checks every Rollout of the namespace on the current state. */
  sample(cause = 'poll'): void {
    this.samples += 1;
    const rss = this.list<ReplicaSet>('apps/v1', 'ReplicaSet');
    for (const rs of rss) {
      const seen = this.replicas.get(rs.metadata.name) ?? [];
      if (seen.at(-1) !== rs.spec.replicas) seen.push(rs.spec.replicas ?? 1);
      this.replicas.set(rs.metadata.name, seen);
    }
    const ready = new Map<string, number>();
    for (const pod of this.list<Pod>('v1', 'Pod')) {
      const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
      const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (hash && isReady && !pod.metadata.deletionTimestamp) ready.set(hash, (ready.get(hash) ?? 0) + 1);
    }
    const services = new Map(this.list<Service>('v1', 'Service').map((s) => [s.metadata.name, s]));
    for (const ro of this.list<Rollout>('argoproj.io/v1alpha1', 'Rollout')) {
      const problem = this.check(ro, rss, ready, services);
      if (problem)
        this.violations.push(
          `${problem} (after ${cause})${this.violations.length === 0 ? `\n${this.describe()}` : ''}`,
        );
    }
  }

  private record(ro: Rollout): void {
    const s = ro.status ?? {};
    const name = ro.metadata.name ?? '';
    const entry = `${s.phase ?? '-'} step=${s.currentStepIndex ?? '-'} ${s.currentPodHash ?? '-'}`;
    const seen = this.history.get(name) ?? [];
    if (seen.at(-1) !== entry) seen.push(entry);
    this.history.set(name, seen);
    if (s.phase === 'Healthy') this.healthySeen.add(name);
  }

  /**
   * A routed canary, in each of its routing objects: no weight above 0 while the canary Service
   * selects no ready pod; the stable Service's ReplicaSet never below the pods its share of the
   * traffic needs (less maxUnavailable).
   */
  private checkRouted(
    ro: Rollout,
    byHash: Map<string, ReplicaSet>,
    keeps: (rs: ReplicaSet | undefined) => number,
    services: Map<string, Service>,
  ): string | undefined {
    const canary = ro.spec.strategy?.canary;
    if (!canary?.trafficRouting) return undefined;
    const name = ro.metadata.name ?? '';
    const split = splitServices(ro);
    // Istio's subset routing selects by the DestinationRule's subsets, not by the Services' selectors
    const subsets = canary.trafficRouting.istio?.destinationRule
      ? subsetHashes(this.store, ro, this.namespace)
      : undefined;
    const selected = (side: 'canary' | 'stable') => {
      if (subsets) return byHash.get(subsets[side] ?? '');
      const svc = split[side];
      return svc ? byHash.get(services.get(svc)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL] ?? '') : undefined;
    };
    const canaryTarget = subsets
      ? `subset ${canary.trafficRouting.istio?.destinationRule?.canarySubsetName}`
      : `Service ${split.canary}`;
    const replicas = ro.spec.replicas ?? 1;
    for (const { object, weight } of routeWeights(this.store, ro, this.namespace)) {
      if (weight > 0 && keeps(selected('canary')) === 0)
        return `${name}: ${object} sends ${weight}% of the traffic to the canary ${canaryTarget}, which selects no ready pod`;
      const need = Math.ceil(((100 - weight) * replicas) / 100) - maxUnavailable(ro, replicas);
      const stable = selected('stable');
      if (stable && keeps(stable) < need)
        return `${name}: the stable ${stable.metadata.name} keeps ${keeps(stable)} ready pods for the ${100 - weight}% of the traffic ${object} sends it (at least ${need})`;
    }
    return undefined;
  }

  private check(
    ro: Rollout,
    all: ReplicaSet[],
    ready: Map<string, number>,
    services: Map<string, Service>,
  ): string | undefined {
    this.record(ro);
    const name = ro.metadata.name ?? '';
    // The initial deploy may point Services at pods still starting; from the first Healthy on, never.
    if (!this.healthySeen.has(name)) return undefined;
    const replicas = ro.spec.replicas ?? 1;
    const owned = all.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === ro.metadata.uid));
    const hashOf = (rs: ReplicaSet) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
    const byHash = new Map(owned.map((rs) => [hashOf(rs), rs]));
    // Pods that serve and will go on serving: ready, and within what their ReplicaSet keeps.
    const keeps = (rs: ReplicaSet | undefined) =>
      rs ? Math.min(rs.spec.replicas ?? 1, ready.get(hashOf(rs)) ?? 0) : 0;
    for (const svcName of servicesOf(ro)) {
      const hash = services.get(svcName)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
      if (hash && keeps(byHash.get(hash)) === 0)
        return `${name}: Service ${svcName} selects ${hash}, which keeps no ready pod`;
    }
    const bg = ro.spec.strategy?.blueGreen;
    if (bg) {
      const active = services.get(bg.activeService)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
      const activeRS = active ? byHash.get(active) : undefined;
      if (activeRS && keeps(activeRS) < replicas)
        return `${name}: the active ReplicaSet ${activeRS.metadata.name} keeps ${keeps(activeRS)} serving pods of ${replicas}`;
      return undefined;
    }
    const routed = this.checkRouted(ro, byHash, keeps, services);
    if (routed) return routed;
    const minAvailable = replicas - maxUnavailable(ro, replicas);
    const capacity = owned.reduce((n, rs) => n + keeps(rs), 0);
    if (capacity < minAvailable) {
      const stable = byHash.get(ro.status?.stableRS ?? '');
      return `${name}: only ${capacity} pods keep serving (minimum ${minAvailable}); stable ${stable?.metadata.name} at ${stable?.spec.replicas}`;
    }
    return undefined;
  }
}
