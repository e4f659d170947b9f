// The monitor: subscribed to every change the store writes (synchronously, before anything else can
// happen), it keeps its own index of the namespace's Rollouts, ReplicaSets, pods and Services and, after
// each change, checks the invariants (invariants.ts) on the new state of the Rollout the change concerns
// (a pod: its ReplicaSet's Rollout; a Service: the Rollouts naming it). No other Rollout's state changed,
// so this checks every stored state of every Rollout. A violation is recorded once per episode (from
// the first state that shows it to the next one that does not), with that first state.
import type { Rollout } from '@ramp/api';
import type { ClusterStore, KubeObject, StoreChange } from '@ramp/testkit';
import {
  availabilityFinding,
  duplicateHashFinding,
  type Finding,
  type Invariant,
  serviceFinding,
  stableMoveFinding,
} from './invariants';
import { servicesOf } from './limits';
import {
  describeState,
  POD_TEMPLATE_HASH,
  type ReplicaSetState,
  type RolloutState,
  type ServiceState,
} from './rollout-state';

export interface Violation {
  invariant: Invariant;
  rollout: string;
  message: string;
  /** The state that showed it, described. */
  state: string;
  /** The change that produced that state. */
  cause: string;
  /** When, in ms since the monitor started. */
  atMs: number;
  /** What the run was doing then (deploy, chaos, converge...). */
  during: string;
  /** How many successive states of the Rollout showed it. */
  states: number;
}

interface PodEntry {
  owner?: string;
  ready: boolean;
}

interface ReplicaSetEntry {
  rs: KubeObject;
  owner?: string;
}

const KEPT_VIOLATIONS = 50;

const controllerUid = (obj: KubeObject): string | undefined =>
  obj.metadata.ownerReferences?.find((o) => o.controller)?.uid;

function isReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class InvariantMonitor {
  /** Rollout states checked, over the whole run. */
  statesChecked = 0;
  /** Every violation episode (the first KEPT_VIOLATIONS in full). */
  readonly violations: Violation[] = [];
  violationCount = 0;
  private readonly rollouts = new Map<string, Rollout>();
  private readonly rolloutByUid = new Map<string, string>();
  private readonly replicaSets = new Map<string, ReplicaSetEntry>();
  private readonly pods = new Map<string, PodEntry>();
  private readonly podCounts = new Map<string, { pods: number; ready: number }>();
  private readonly services = new Map<string, KubeObject>();
  private readonly healthySeen = new Set<string>();
  private readonly lastStable = new Map<string, string | undefined>();
  private readonly open = new Map<string, Violation>();
  private readonly started = Date.now();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: ClusterStore,
    private readonly namespace: string,
    /** What the run is doing, recorded with each violation. */
    private readonly during: () => string = () => '',
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribeShared((change) => this.onChange(change));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  rolloutNames(): string[] {
    return [...this.rollouts.keys()];
  }

  /** Whether the Rollout has been Healthy at least once. */
  wasHealthy(name: string): boolean {
    return this.healthySeen.has(name);
  }

  /** The Rollout's current state, as the invariants see it. */
  state(name: string): RolloutState | undefined {
    const rollout = this.rollouts.get(name);
    if (!rollout) return undefined;
    const uid = rollout.metadata.uid;
    const replicaSets: ReplicaSetState[] = [];
    for (const { rs, owner } of this.replicaSets.values()) {
      if (!uid || owner !== uid) continue;
      const spec = rs.spec as {
        replicas?: number;
        template?: { spec?: { containers?: { image?: string }[] } };
      };
      const rsUid = rs.metadata.uid ?? '';
      const counts = this.podCounts.get(rsUid) ?? { pods: 0, ready: 0 };
      const specReplicas = spec.replicas ?? 1;
      replicaSets.push({
        name: rs.metadata.name ?? '',
        uid: rsUid,
        hash: rs.metadata.labels?.[POD_TEMPLATE_HASH] ?? '',
        image: spec.template?.spec?.containers?.[0]?.image ?? '',
        specReplicas,
        pods: counts.pods,
        readyPods: counts.ready,
        available: Math.min(specReplicas, counts.ready),
      });
    }
    const services: ServiceState[] = servicesOf(rollout).map((svcName) => {
      const svc = this.services.get(svcName);
      const hash = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector?.[
        POD_TEMPLATE_HASH
      ];
      return { name: svcName, exists: !!svc, ...(hash ? { hash } : {}) };
    });
    return { rollout, replicaSets, services };
  }

  private onChange(change: StoreChange): void {
    const obj = change.object;
    if (obj.metadata.namespace !== this.namespace) return;
    const name = obj.metadata.name ?? '';
    const deleted = change.type === 'DELETED';
    let affected: string[] = [];
    switch (obj.kind) {
      case 'Rollout': {
        if (deleted) {
          this.rollouts.delete(name);
          return;
        }
        this.rollouts.set(name, obj as unknown as Rollout);
        if (obj.metadata.uid) this.rolloutByUid.set(obj.metadata.uid, name);
        affected = [name];
        break;
      }
      case 'ReplicaSet': {
        const uid = obj.metadata.uid ?? '';
        const owner = controllerUid(obj) ?? this.replicaSets.get(uid)?.owner;
        if (deleted) this.replicaSets.delete(uid);
        else this.replicaSets.set(uid, { rs: obj, ...(owner ? { owner } : {}) });
        affected = this.rolloutOfUid(owner);
        break;
      }
      case 'Pod': {
        const before = this.pods.get(name);
        if (before) this.count(before, -1);
        const after: PodEntry | undefined = deleted
          ? undefined
          : { ready: isReady(obj), ...(controllerUid(obj) ? { owner: controllerUid(obj) } : {}) };
        if (after) {
          this.pods.set(name, after);
          this.count(after, +1);
        } else this.pods.delete(name);
        // A pod's change matters only when it changes the counts (restarts of a crash loop do not).
        if (before?.owner === after?.owner && before?.ready === after?.ready) return;
        const rsUids = new Set([before?.owner, after?.owner].filter((u): u is string => !!u));
        affected = [...rsUids].flatMap((u) => this.rolloutOfUid(this.replicaSets.get(u)?.owner));
        break;
      }
      case 'Service': {
        if (deleted) this.services.delete(name);
        else this.services.set(name, obj);
        affected = [...this.rollouts.values()]
          .filter((ro) => servicesOf(ro).includes(name))
          .map((ro) => ro.metadata.name ?? '');
        break;
      }
      default:
        return;
    }
    const cause = `${change.type} ${obj.kind}/${name} (resourceVersion ${change.resourceVersion})`;
    for (const rollout of new Set(affected)) this.check(rollout, cause);
  }

  private rolloutOfUid(uid: string | undefined): string[] {
    const name = uid ? this.rolloutByUid.get(uid) : undefined;
    return name ? [name] : [];
  }

  private count(pod: PodEntry, delta: number): void {
    if (!pod.owner) return;
    const counts = this.podCounts.get(pod.owner) ?? { pods: 0, ready: 0 };
    counts.pods += delta;
    if (pod.ready) counts.ready += delta;
    this.podCounts.set(pod.owner, counts);
  }

  private check(name: string, cause: string): void {
    const state = this.state(name);
    if (!state) return;
    this.statesChecked += 1;
    if (state.rollout.status?.phase === 'Healthy') this.healthySeen.add(name);
    const stable = state.rollout.status?.stableRS;
    const findings: (Finding | undefined)[] = [
      duplicateHashFinding(state),
      stableMoveFinding(this.lastStable.get(name), state),
    ];
    this.lastStable.set(name, stable);
    if (this.healthySeen.has(name)) findings.push(availabilityFinding(state), serviceFinding(state));
    const found = new Set<string>();
    for (const finding of findings) {
      if (!finding) continue;
      const key = `${name}/${finding.invariant}`;
      found.add(key);
      const episode = this.open.get(key);
      if (episode) {
        episode.states += 1;
        continue;
      }
      this.violationCount += 1;
      const violation: Violation = {
        invariant: finding.invariant,
        rollout: name,
        message: finding.message,
        state: describeState(state),
        cause,
        atMs: Date.now() - this.started,
        during: this.during(),
        states: 1,
      };
      this.open.set(key, violation);
      if (this.violations.length < KEPT_VIOLATIONS) this.violations.push(violation);
    }
    for (const key of [...this.open.keys()]) {
      if (key.startsWith(`${name}/`) && !found.has(key)) this.open.delete(key);
    }
  }
}
