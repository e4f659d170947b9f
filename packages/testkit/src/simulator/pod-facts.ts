/** Reading pods as the real controllers do: ownership, readiness, availability, and the scale-down order. */
import { isObject, type JsonObject, type KubeObject } from '../types';

export function statusOf(obj: KubeObject): JsonObject {
  return isObject(obj.status) ? obj.status : {};
}

export function phaseOf(pod: KubeObject): string | undefined {
  const phase = statusOf(pod).phase;
  return typeof phase === 'string' ? phase : undefined;
}

/** The uid of the object's controller (the owner reference with `controller: true`). */
export function controllerUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
}

export function conditionsOf(obj: KubeObject): JsonObject[] {
  const c = statusOf(obj).conditions;
  return Array.isArray(c) ? c.filter(isObject) : [];
}

export function condition(obj: KubeObject, type: string): JsonObject | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/** Not being deleted and not finished (Succeeded/Failed): what a ReplicaSet counts. */
export function isActive(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function isReady(pod: KubeObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** When the pod became Ready (epoch ms, from the condition's lastTransitionTime), if it is. */
export function readySince(pod: KubeObject): number | undefined {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True') return undefined;
  const t = Date.parse(String(ready.lastTransitionTime ?? ''));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * When a Ready pod is (or was) available: Ready for `minReadySeconds` (at once when 0). Undefined when it is
 * not Ready.
 */
export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  if (!isReady(pod)) return undefined;
  if (minReadySeconds <= 0) return Number.NEGATIVE_INFINITY;
  const since = readySince(pod);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

export function restartCount(pod: KubeObject): number {
  const statuses = statusOf(pod).containerStatuses;
  if (!Array.isArray(statuses)) return 0;
  return statuses.reduce(
    (n: number, s) => n + (isObject(s) && typeof s.restartCount === 'number' ? s.restartCount : 0),
    0,
  );
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The order in which a ReplicaSet deletes pods on scale down (the real `ActivePods` order): pending before
 * running, not ready before ready, ready for less time first, more restarts first, newer first. `created`
 * breaks ties between pods created in the same second (a later creation sequence number is newer).
 */
export function deletionOrder(
  created: (pod: KubeObject) => number,
): (a: KubeObject, b: KubeObject) => number {
  return (a, b) => {
    const phase = (p: KubeObject) => PHASE_RANK[phaseOf(p) ?? 'Pending'] ?? 0;
    if (phase(a) !== phase(b)) return phase(a) - phase(b);
    if (isReady(a) !== isReady(b)) return isReady(a) ? 1 : -1;
    const ra = readySince(a);
    const rb = readySince(b);
    if (ra !== undefined && rb !== undefined && ra !== rb) return rb - ra;
    if (restartCount(a) !== restartCount(b)) return restartCount(b) - restartCount(a);
    const ca = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const cb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ca !== cb) return cb - ca;
    const sa = created(a);
    const sb = created(b);
    if (sa !== sb) return sb - sa;
    return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
  };
}
