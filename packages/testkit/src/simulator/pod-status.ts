/**
 * Pod statuses as a kubelet writes them: phase, conditions (with lastTransitionTime kept while a condition's
 * status does not change), containerStatuses (sorted by name, as the kubelet does), podIP, startTime.
 */
import { isObject, type JsonObject, type KubeObject, timestamp } from '../types';
import { conditionsOf, statusOf } from './pod-facts';
import type { Container } from './rules';

/** What a container is doing; `restartCount` defaults to 0. */
export interface ContainerState {
  kind: 'creating' | 'running' | 'crashing' | 'terminated';
  restartCount?: number;
  /** For `terminated`. */
  exitCode?: number;
}

export interface PodStatusInput {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  containers: { container: Container; state: ContainerState }[];
  now: number;
  /** Set once the pod sandbox exists (not while containers are being created). */
  podIP?: string;
}

function previousContainer(pod: KubeObject, name: string): JsonObject {
  const list = statusOf(pod).containerStatuses;
  const found = Array.isArray(list) ? list.find((s) => isObject(s) && s.name === name) : undefined;
  return isObject(found) ? found : {};
}

function at(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) v = isObject(v) ? v[k] : undefined;
  return v;
}

function containerStatus(pod: KubeObject, c: Container, state: ContainerState, now: string): JsonObject {
  const prev = previousContainer(pod, c.name);
  const startedAt = String(at(prev, 'state', 'running', 'startedAt') ?? now);
  const restarts = state.restartCount ?? 0;
  const base = { name: c.name, image: c.image, restartCount: restarts, lastState: {} };
  switch (state.kind) {
    case 'creating':
      return {
        ...base,
        ready: false,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      };
    case 'running':
      return { ...base, ready: true, started: true, state: { running: { startedAt } } };
    case 'crashing': {
      const ns = pod.metadata.namespace ?? 'default';
      const backoff = Math.min(10 * 2 ** Math.max(0, restarts - 1), 300);
      const wait = backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60}s` : `${backoff}s`;
      return {
        ...base,
        ready: false,
        started: false,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${wait} restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
          },
        },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
      };
    }
    case 'terminated':
      return {
        ...base,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: state.exitCode ?? 0,
            reason: (state.exitCode ?? 0) === 0 ? 'Completed' : 'Error',
            startedAt,
            finishedAt: now,
          },
        },
      };
  }
}

/** A condition, keeping the previous lastTransitionTime when its status is unchanged. */
function cond(pod: KubeObject, type: string, ok: boolean, now: string, reason?: string, message?: string) {
  const status = ok ? 'True' : 'False';
  const prev = conditionsOf(pod).find((c) => c.type === type);
  const out: JsonObject = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now,
  };
  if (reason) out.reason = reason;
  if (message) out.message = message;
  return out;
}

/** The pod's next status; fields the kubelet does not own (qosClass...) are kept. */
export function podStatus(pod: KubeObject, input: PodStatusInput): JsonObject {
  const now = timestamp(new Date(input.now));
  const prev = statusOf(pod);
  const sorted = [...input.containers].sort((a, b) => a.container.name.localeCompare(b.container.name));
  const statuses = sorted.map(({ container, state }) => containerStatus(pod, container, state, now));
  const completed = input.phase === 'Succeeded' || input.phase === 'Failed';
  const unready = sorted.filter((c) => c.state.kind !== 'running').map((c) => c.container.name);
  const ready = unready.length === 0;
  const [reason, message] = completed
    ? ['PodCompleted', undefined]
    : ready
      ? [undefined, undefined]
      : ['ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
  const status: JsonObject = {
    ...prev,
    phase: input.phase,
    conditions: [
      cond(pod, 'PodReadyToStartContainers', input.podIP !== undefined && !completed, now),
      cond(pod, 'Initialized', true, now, completed ? 'PodCompleted' : undefined),
      cond(pod, 'Ready', ready, now, reason, message),
      cond(pod, 'ContainersReady', ready, now, reason, message),
      cond(pod, 'PodScheduled', true, now),
    ],
    containerStatuses: statuses,
    startTime: typeof prev.startTime === 'string' ? prev.startTime : now,
  };
  if (input.podIP !== undefined) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  return status;
}

/** A container's state as the pod's status shows it (undefined when the status does not say). */
export function stateFromStatus(pod: KubeObject, name: string): ContainerState | undefined {
  const prev = previousContainer(pod, name);
  const restartCount = typeof prev.restartCount === 'number' ? prev.restartCount : 0;
  const waiting = at(prev, 'state', 'waiting', 'reason');
  if (waiting === 'ContainerCreating') return { kind: 'creating', restartCount };
  if (waiting === 'CrashLoopBackOff') return { kind: 'crashing', restartCount };
  if (isObject(at(prev, 'state', 'running'))) return { kind: 'running', restartCount };
  const exitCode = at(prev, 'state', 'terminated', 'exitCode');
  if (typeof exitCode === 'number') return { kind: 'terminated', restartCount, exitCode };
  return undefined;
}
