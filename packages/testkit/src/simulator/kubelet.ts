/**
 * The kubelet: runs every pod that is created Pending (whoever created it). Long-running pods (restartPolicy
 * Always) become Running and Ready after readyDelayMs, or crash-loop when an image is bad; run-to-completion
 * pods (Never, OnFailure) run for a while, then succeed or fail by the rules in rules.ts. What to do next is
 * read from the pod's status, so the kubelet picks up where it was after a pause.
 */
import { jsonEqual, type KubeObject } from '../types';
import type { SimContext } from './context';
import { controllerUid, phaseOf, statusOf } from './pod-facts';
import { type ContainerState, podStatus, stateFromStatus } from './pod-status';
import { type Container, containersOf, exitCodes, runDurationMs } from './rules';

type Step = 'start' | 'restart' | 'finish';

function runsToCompletion(pod: KubeObject): boolean {
  const spec = pod.spec as { restartPolicy?: unknown } | undefined;
  return spec?.restartPolicy === 'Never' || spec?.restartPolicy === 'OnFailure';
}

export class Kubelet {
  /** One pending step per pod uid. */
  private readonly timers = new Map<string, () => void>();

  constructor(private readonly ctx: SimContext) {}

  /** Looks at one pod: starts it, or schedules its next step when none is pending. */
  sync(namespace: string, name: string): void {
    const pod = this.ctx.store.peek('v1', 'Pod', name, namespace);
    if (!pod) return;
    const uid = pod.metadata.uid ?? '';
    const phase = phaseOf(pod);
    if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') {
      this.forget(uid);
      return;
    }
    if (this.timers.has(uid)) return;
    const containers = containersOf(pod);
    const states = containers.map((c) => stateFromStatus(pod, c.name));
    const { readyDelayMs, crashRestartMs, jobDurationMs } = this.ctx.settings;
    if (phase === 'Pending' && statusOf(pod).startTime === undefined) {
      this.write(pod, podStatus(pod, this.input(pod, 'Pending', containers, { kind: 'creating' })));
      this.schedule(pod, 'start', readyDelayMs);
    } else if (phase === 'Pending' && states.every((s) => s?.kind === 'creating')) {
      this.schedule(pod, 'start', readyDelayMs);
    } else if (phase === 'Running' && states.some((s) => s?.kind === 'crashing')) {
      this.schedule(pod, 'restart', crashRestartMs);
    } else if (phase === 'Running' && runsToCompletion(pod) && states.every((s) => s?.kind === 'running')) {
      this.schedule(pod, 'finish', runDurationMs(containers, jobDurationMs));
    }
  }

  /** Cancels what is pending for a pod (deleted, or done). */
  forget(uid: string): void {
    this.timers.get(uid)?.();
    this.timers.delete(uid);
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private schedule(pod: KubeObject, step: Step, ms: number): void {
    const uid = pod.metadata.uid ?? '';
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    this.forget(uid);
    const cancel = this.ctx.clock.setTimer(ms, () => {
      this.timers.delete(uid);
      try {
        this.step(step, namespace, name, uid);
      } catch (err) {
        this.ctx.report(`${step} of pod ${namespace}/${name}`, err);
      }
    });
    this.timers.set(uid, cancel);
  }

  private step(step: Step, namespace: string, name: string, uid: string): void {
    const pod = this.ctx.store.peek('v1', 'Pod', name, namespace);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    const containers = containersOf(pod);
    if (step === 'finish') {
      this.finish(pod, containers);
      return;
    }
    const toCompletion = runsToCompletion(pod);
    const states = containers.map((c): ContainerState => {
      const prev = stateFromStatus(pod, c.name);
      const restartCount = prev?.restartCount ?? 0;
      if (toCompletion) return { kind: 'running', restartCount };
      if (step === 'restart' && prev?.kind !== 'crashing') return prev ?? { kind: 'running', restartCount };
      if (!this.ctx.isBad(c.image)) return { kind: 'running', restartCount };
      return { kind: 'crashing', restartCount: restartCount + 1 };
    });
    this.write(pod, podStatus(pod, this.input(pod, 'Running', containers, states)));
    if (states.some((s) => s.kind === 'crashing'))
      this.schedule(pod, 'restart', this.ctx.settings.crashRestartMs);
    else if (toCompletion)
      this.schedule(pod, 'finish', runDurationMs(containers, this.ctx.settings.jobDurationMs));
  }

  private finish(pod: KubeObject, containers: Container[]): void {
    const ownerUid = controllerUid(pod);
    const owner = pod.metadata.ownerReferences?.find((r) => r.uid === ownerUid);
    const job =
      owner?.kind === 'Job'
        ? this.ctx.store.peek('batch/v1', 'Job', owner.name, pod.metadata.namespace)
        : undefined;
    const codes = exitCodes(containers, this.ctx.isBad, job?.metadata.uid === ownerUid ? job : undefined);
    const failed = [...codes.values()].some((code) => code !== 0);
    const states = containers.map((c) => ({ kind: 'terminated' as const, exitCode: codes.get(c.name) ?? 0 }));
    this.write(pod, podStatus(pod, this.input(pod, failed ? 'Failed' : 'Succeeded', containers, states)));
  }

  private input(
    pod: KubeObject,
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed',
    containers: Container[],
    states: ContainerState | ContainerState[],
  ) {
    const ip = statusOf(pod).podIP;
    const podIP = phase === 'Pending' ? undefined : typeof ip === 'string' ? ip : this.ctx.podIP();
    return {
      phase,
      now: this.ctx.clock.now(),
      containers: containers.map((container, i) => ({
        container,
        state: Array.isArray(states) ? (states[i] ?? { kind: 'running' as const }) : states,
      })),
      ...(podIP ? { podIP } : {}),
    };
  }

  /** Writes the status through /status, only when it changes. */
  private write(pod: KubeObject, status: Record<string, unknown>): void {
    if (jsonEqual(pod.status, status)) return;
    this.ctx.store.updateStatus({ ...pod, status });
  }
}
