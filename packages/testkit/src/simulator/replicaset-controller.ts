/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods (created from the template, deleted in the
 * real scale-down order) and writes `status` through /status when it changes: replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas (Ready for `spec.minReadySeconds`), observedGeneration.
 */
import { fromLabelSelectorObject, matchesLabels } from '../semantics/label-selector';
import { isObject, type JsonObject, jsonEqual, type KubeObject } from '../types';
import type { SimContext } from './context';
import { createOwnedPod } from './pod-factory';
import { availableAt, controllerUid, deletionOrder, isActive, isReady, statusOf } from './pod-facts';

/** At most this many pods are created or deleted in one sync (the real controller's burstReplicas). */
const BURST = 500;

export class ReplicaSetController {
  /** Per ReplicaSet, the pending re-sync for a pod reaching minReadySeconds. */
  private readonly rechecks = new Map<string, { at: number; cancel: () => void }>();

  constructor(private readonly ctx: SimContext) {}

  sync(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const rs = this.ctx.store.peek('apps/v1', 'ReplicaSet', name, namespace);
    if (!rs) {
      this.forget(key);
      return;
    }
    const spec = isObject(rs.spec) ? rs.spec : {};
    const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
    let active = this.ownedPods(rs).filter(isActive);
    if (!rs.metadata.deletionTimestamp && active.length !== want) {
      this.manage(rs, active, want);
      active = this.ownedPods(rs).filter(isActive);
    }
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    const now = this.ctx.clock.now();
    const availableTimes = active.map((p) => availableAt(p, minReady));
    const available = availableTimes.filter((t) => t !== undefined && t <= now).length;
    const next = Math.min(...availableTimes.filter((t): t is number => t !== undefined && t > now));
    if (Number.isFinite(next)) this.recheck(key, namespace, name, next);
    const template =
      isObject(spec.template) && isObject(spec.template.metadata) ? spec.template.metadata : {};
    const labels = isObject(template.labels) ? template.labels : {};
    const fullyLabeled = active.filter((p) =>
      Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v),
    ).length;
    const ready = active.filter(isReady).length;
    const prev = statusOf(rs);
    // Zero counts are omitted, as the real API (omitempty) does; `replicas` is always written.
    const status: JsonObject = {
      replicas: active.length,
      ...(fullyLabeled > 0 ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready > 0 ? { readyReplicas: ready } : {}),
      ...(available > 0 ? { availableReplicas: available } : {}),
      observedGeneration: rs.metadata.generation ?? 1,
      ...(prev.conditions !== undefined ? { conditions: prev.conditions } : {}),
    };
    if (!jsonEqual(prev, status)) this.ctx.store.updateStatus({ ...rs, status });
  }

  /**
   * The pods this ReplicaSet controls (controller owner reference) that its selector matches: from the
   * store's owner index, shared (read only).
   */
  private ownedPods(rs: KubeObject): KubeObject[] {
    const spec = isObject(rs.spec) ? rs.spec : {};
    const selector = fromLabelSelectorObject(spec.selector);
    const uid = rs.metadata.uid;
    if (!uid) return [];
    return this.ctx.store
      .peekDependents('v1', 'Pod', uid, rs.metadata.namespace ?? 'default')
      .filter((p) => controllerUid(p) === uid && matchesLabels(selector, p.metadata.labels));
  }

  private manage(rs: KubeObject, active: KubeObject[], want: number): void {
    if (active.length < want) {
      for (let i = 0; i < Math.min(want - active.length, BURST); i++) {
        if (!createOwnedPod(this.ctx, rs)) return;
      }
      return;
    }
    const order = deletionOrder((p) => this.ctx.createdOrder(p.metadata.uid));
    const doomed = [...active].sort(order).slice(0, Math.min(active.length - want, BURST));
    for (const pod of doomed) {
      try {
        this.ctx.store.delete('v1', 'Pod', pod.metadata.name ?? '', pod.metadata.namespace);
      } catch (err) {
        this.ctx.report(`deleting pod ${pod.metadata.namespace}/${pod.metadata.name}`, err);
      }
    }
  }

  /** Re-syncs the ReplicaSet at `at` (when a pod becomes available), unless an earlier re-sync is pending. */
  private recheck(key: string, namespace: string, name: string, at: number): void {
    const pending = this.rechecks.get(key);
    if (pending && pending.at <= at && pending.at > this.ctx.clock.now()) return;
    pending?.cancel();
    const cancel = this.ctx.clock.setTimer(at - this.ctx.clock.now(), () => {
      this.rechecks.delete(key);
      this.ctx.enqueue('rs', namespace, name);
    });
    this.rechecks.set(key, { at, cancel });
  }

  forget(key: string): void {
    this.rechecks.get(key)?.cancel();
    this.rechecks.delete(key);
  }

  stop(): void {
    for (const { cancel } of this.rechecks.values()) cancel();
    this.rechecks.clear();
  }
}
