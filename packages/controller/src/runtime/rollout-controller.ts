// The Rollout reconciler's loop: informer events become work-queue keys (a Rollout's own changes; the
// ReplicaSets and AnalysisRuns it controls; the Services and templates it names), and each key is
// reconciled level-triggered: snapshot from the caches → decide(snapshot, now) → applyPlan → wake-up.
import type { Rollout } from '@ramp/api';
import {
  type CachedObject,
  type Clock,
  CONTROLLER_UID_INDEX,
  cacheKey,
  errorFields,
  isConflict,
  type KubeClient,
  type Log,
  objectKey,
  RESOURCES,
  realClock,
  silentLog,
  WorkQueue,
} from '@ramp/kube';
import type { Pod, ReplicaSet } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../model/names';
import type { RolloutPlan } from '../model/plan';
import type { RolloutSnapshot } from '../model/snapshot';
import { restartPending } from '../rollout/restart';
import { ROUTE_KINDS } from '../routing/route-resources';
import { applyPlan } from './apply-plan';
import type { ControllerCaches } from './controller-caches';
import type { EventRecorder } from './event-recorder';
import { OwnWrites } from './own-writes';
import {
  ReferenceIndex,
  referencedServices,
  referencedTemplateKeys,
  routeRefKey,
  routeWatchesOf,
} from './rollout-references';
import { buildSnapshot } from './snapshot-builder';

/** The decision function: pure, from what the caches hold and the time, to the writes to make. */
export type DecideFn = (snapshot: RolloutSnapshot, now: Date) => RolloutPlan | Promise<RolloutPlan>;

export interface RolloutControllerOptions {
  client: KubeClient;
  caches: ControllerCaches;
  decide: DecideFn;
  /** Rollouts reconciled at once (--rollout-threads, default 10). */
  workers?: number;
  events?: EventRecorder;
  clock?: Clock;
  log?: Log;
  /** 409 Conflicts in a row requeued at once before the key backs off like other errors (default 5). */
  maxImmediateRequeues?: number;
}

/** The Rollout controlling an object (ownerReferences kind Rollout, controller: true), as a queue key. */
function controllerRollout(obj: CachedObject): string | undefined {
  const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
  if (owner?.kind !== 'Rollout') return undefined;
  return objectKey(obj.metadata.namespace, owner.name);
}

/**
 * The revision a Rollout is on, as a log field, when known: that of the ReplicaSet of its current
 * pod-template hash (the one the plan creates, or one it owns); else its own annotation.
 */
function revisionOf(
  rollout: Rollout | undefined,
  replicaSets: readonly ReplicaSet[],
  plan?: RolloutPlan,
): { revision?: string } {
  const hash = plan?.status.currentPodHash ?? rollout?.status?.currentPodHash;
  const ofHash = (rs: ReplicaSet | undefined) =>
    hash !== undefined && rs?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash ? rs : undefined;
  const rs = ofHash(plan?.createReplicaSet) ?? replicaSets.find((r) => ofHash(r));
  const revision =
    rs?.metadata.annotations?.[REVISION_ANNOTATION] ?? rollout?.metadata.annotations?.[REVISION_ANNOTATION];
  return revision ? { revision } : {};
}

export class RolloutController {
  readonly queue: WorkQueue;
  /** The versions of each Rollout its last writes replaced: no deciding on them (own-writes.ts). */
  private readonly ownWrites: OwnWrites;
  private readonly serviceRefs = new ReferenceIndex();
  private readonly templateRefs = new ReferenceIndex();
  private readonly routeRefs = new ReferenceIndex();
  private readonly conflicts = new Map<string, number>();
  private readonly clock: Clock;
  private readonly log: Log;

  constructor(private readonly options: RolloutControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
    this.queue = new WorkQueue({
      workers: options.workers ?? 10,
      clock: this.clock,
      process: (key) => this.process(key),
      onError: (key, err, failures) => {
        const [namespace = '', rollout = ''] = key.split('/');
        const ro = options.caches.rollouts.get(namespace, rollout);
        const owned = ro?.metadata.uid
          ? options.caches.replicaSets.byIndex(CONTROLLER_UID_INDEX, ro.metadata.uid)
          : [];
        const revision = revisionOf(ro, owned);
        this.log.warn(
          { namespace, rollout, ...revision, failures, ...errorFields(err) },
          'reconcile failed; will retry',
        );
      },
    });
    this.ownWrites = new OwnWrites({ clock: this.clock, recheck: (key, at) => this.queue.addAfter(key, at) });
    this.route();
  }

  /** Starts the workers (call once the caches have synced). */
  start(): void {
    this.queue.start();
  }

  /** Stops the workers, waiting at most `timeoutMs` for reconciles in flight. */
  stop(timeoutMs = 10_000): Promise<boolean> {
    return this.queue.shutdown(timeoutMs);
  }

  /** The Rollout's pods, read from the API server (only while a restart is under way). */
  private async listPods(rollout: Rollout): Promise<Pod[]> {
    const labels = rollout.spec.selector?.matchLabels ?? {};
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const list = await this.options.client.list<Pod>(RESOURCES.pods, {
      namespace: rollout.metadata.namespace ?? 'default',
      labelSelector,
    });
    return list.items;
  }

  /** The Rollouts referencing a Service (`namespace/name`). */
  rolloutsReferencingService(serviceKey: string): string[] {
    return this.serviceRefs.referrersOf(serviceKey);
  }

  /** One level-triggered pass over the Rollout `key`; throws what should be retried. */
  async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.includes('/') ? key.split('/') : ['', key];
    const rollout = this.options.caches.rollouts.get(namespace, name);
    if (!rollout || rollout.metadata.deletionTimestamp) return;
    if (this.ownWrites.cacheBehind(key, rollout.metadata.resourceVersion)) return;
    const snapshot = buildSnapshot(this.options.caches, rollout);
    if (restartPending(rollout)) snapshot.pods = await this.listPods(rollout);
    const now = new Date(this.clock.now());
    const plan = await this.options.decide(snapshot, now);
    const log = this.log.child({
      namespace,
      rollout: name,
      ...revisionOf(rollout, snapshot.replicaSets, plan),
    });
    const { writes, replaced } = await applyPlan(
      { client: this.options.client, events: this.options.events, log },
      snapshot,
      plan,
    );
    if (writes.length > 0) log.info({ writes }, 'reconciled');
    this.ownWrites.wrote(key, replaced);
    if (plan.wakeAt) this.queue.addAfter(key, plan.wakeAt);
  }

  private async process(key: string): Promise<void> {
    try {
      await this.reconcile(key);
      this.conflicts.delete(key);
    } catch (err) {
      const count = (this.conflicts.get(key) ?? 0) + 1;
      if (isConflict(err) && count <= (this.options.maxImmediateRequeues ?? 5)) {
        // The cache was behind the server; the watch brings the fresh object: look again at once.
        this.conflicts.set(key, count);
        this.queue.add(key);
        return;
      }
      this.conflicts.delete(key);
      throw err;
    }
  }

  private route(): void {
    const { caches } = this.options;
    const enqueue = (key: string | undefined) => {
      if (key !== undefined) this.queue.add(key);
    };
    const onRollout = (ro: Rollout) => {
      const key = cacheKey(ro);
      const ns = ro.metadata.namespace;
      this.serviceRefs.set(
        key,
        referencedServices(ro).map((s) => objectKey(ns, s)),
      );
      this.templateRefs.set(key, referencedTemplateKeys(ro));
      const watches = routeWatchesOf(ro);
      for (const w of watches) caches.routing.watch(w.resource);
      this.routeRefs.set(
        key,
        watches.map((w) => routeRefKey(w.resource, w.namespace, w.name)),
      );
      enqueue(key);
    };
    caches.rollouts.addHandlers({
      onAdd: onRollout,
      onUpdate: (_, ro) => onRollout(ro),
      onDelete: (ro) => {
        const key = cacheKey(ro);
        this.serviceRefs.remove(key);
        this.templateRefs.remove(key);
        this.routeRefs.remove(key);
        this.conflicts.delete(key);
        this.ownWrites.forget(key);
        this.queue.forget(key);
        enqueue(key);
      },
    });
    const owned = {
      onAdd: (obj: CachedObject) => enqueue(controllerRollout(obj)),
      onUpdate: (old: CachedObject, obj: CachedObject) => {
        const before = controllerRollout(old);
        const after = controllerRollout(obj);
        enqueue(after);
        if (before !== after) enqueue(before);
      },
      onDelete: (obj: CachedObject) => enqueue(controllerRollout(obj)),
    };
    caches.replicaSets.addHandlers(owned);
    caches.analysisRuns.addHandlers(owned);
    const referenced = (index: ReferenceIndex) => {
      const touch = (obj: CachedObject) => {
        for (const key of index.referrersOf(cacheKey(obj))) enqueue(key);
      };
      return { onAdd: touch, onUpdate: (_: CachedObject, obj: CachedObject) => touch(obj), onDelete: touch };
    };
    caches.services.addHandlers(referenced(this.serviceRefs));
    caches.analysisTemplates?.addHandlers(referenced(this.templateRefs));
    caches.clusterAnalysisTemplates?.addHandlers(referenced(this.templateRefs));
    this.routeRouting();
  }

  /**
   * A routing object's change goes to the Rollouts that watch it (by name, or its whole namespace)
   * and to the Rollout that controls it; a routing resource listed for the first time, to every
   * Rollout that watches that resource.
   */
  private routeRouting(): void {
    const touch = (obj: CachedObject) => {
      const resource = ROUTE_KINDS[(obj as { kind?: string }).kind ?? ''];
      const ns = obj.metadata.namespace ?? '';
      const keys = resource
        ? [
            ...this.routeRefs.referrersOf(routeRefKey(resource, ns, obj.metadata.name)),
            ...this.routeRefs.referrersOf(routeRefKey(resource, ns)),
          ]
        : [];
      const owner = controllerRollout(obj);
      for (const key of owner ? [...keys, owner] : keys) this.queue.add(key);
    };
    this.options.caches.routing.addHandlers({
      onAdd: touch,
      onUpdate: (_, obj) => touch(obj),
      onDelete: touch,
      onListed: (resource) => {
        for (const key of this.routeRefs.referrersWhere((ref) => ref.startsWith(`${resource}:`)))
          this.queue.add(key);
      },
    });
  }
}
