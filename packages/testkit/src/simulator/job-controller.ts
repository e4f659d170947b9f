/**
 * The Job controller (batch/v1), simplified: a Job runs one pod; when it succeeds the Job is Complete, when
 * it fails the Job is Failed (no retries). Status as the real controller writes it: startTime, active, ready,
 * succeeded/failed, completionTime, uncountedTerminatedPods and the terminal conditions.
 */
import { isObject, type JsonObject, jsonEqual, type KubeObject, timestamp } from '../types';
import type { SimContext } from './context';
import { createOwnedPod } from './pod-factory';
import { condition, conditionsOf, controllerUid, isActive, isReady, phaseOf, statusOf } from './pod-facts';

const COMPLETE = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
const FAILED = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };

export function isFinished(job: KubeObject): boolean {
  return ['Complete', 'Failed'].some((type) => condition(job, type)?.status === 'True');
}

function conditions(types: string[], why: { reason: string; message: string }, now: string): JsonObject[] {
  return types.map((type) => ({
    type,
    status: 'True',
    lastProbeTime: now,
    lastTransitionTime: now,
    ...why,
  }));
}

export class JobController {
  constructor(private readonly ctx: SimContext) {}

  sync(namespace: string, name: string): void {
    const job = this.ctx.store.peek('batch/v1', 'Job', name, namespace);
    if (!job || isFinished(job)) return;
    const spec = isObject(job.spec) ? job.spec : {};
    if (spec.suspend === true) return;
    let pods = this.ownedPods(job);
    if (!job.metadata.deletionTimestamp && pods.length === 0) {
      const jobName = job.metadata.name ?? '';
      const uid = job.metadata.uid ?? '';
      createOwnedPod(this.ctx, job, {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': jobName,
        'controller-uid': uid,
        'job-name': jobName,
      });
      pods = this.ownedPods(job);
    }
    const now = timestamp(new Date(this.ctx.clock.now()));
    const active = pods.filter(isActive);
    const succeeded = pods.filter((p) => phaseOf(p) === 'Succeeded').length;
    const failed = pods.filter((p) => phaseOf(p) === 'Failed').length;
    const prev = statusOf(job);
    // Zero `active`, `succeeded` and `failed` are omitted (omitempty), as the real API does.
    const status: JsonObject = {
      startTime: typeof prev.startTime === 'string' ? prev.startTime : now,
      ...(active.length > 0 ? { active: active.length } : {}),
      ...(succeeded > 0 ? { succeeded } : {}),
      ...(failed > 0 ? { failed } : {}),
      ready: active.filter(isReady).length,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    const kept = conditionsOf(job);
    if (succeeded > 0) {
      status.completionTime = now;
      status.conditions = [...kept, ...conditions(['SuccessCriteriaMet', 'Complete'], COMPLETE, now)];
    } else if (failed > 0) {
      status.conditions = [...kept, ...conditions(['FailureTarget', 'Failed'], FAILED, now)];
    } else if (kept.length > 0) {
      status.conditions = kept;
    }
    if (!jsonEqual(prev, status)) this.ctx.store.updateStatus({ ...job, status });
  }

  /** The pods this Job controls, not being deleted: from the store's owner index, shared (read only). */
  private ownedPods(job: KubeObject): KubeObject[] {
    const uid = job.metadata.uid;
    if (!uid) return [];
    return this.ctx.store
      .peekDependents('v1', 'Pod', uid, job.metadata.namespace ?? 'default')
      .filter((p) => controllerUid(p) === uid && !p.metadata.deletionTimestamp);
  }
}
