// A pod's line in the tree: its status as `kubectl get pods` words it, ready containers and restarts.
import type { Pod } from '../kube/model';

export interface PodInfo {
  name: string;
  status: string;
  icon: string;
  created?: string;
  /** Ready containers / containers, e.g. `1/1`. */
  ready: string;
  restarts: number;
}

function initStatus(pod: Pod): { reason: string; restarts: number } | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  let restarts = 0;
  for (const [i, c] of statuses.entries()) {
    restarts += c.restartCount ?? 0;
    const terminated = c.state?.terminated;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (terminated) {
      if (terminated.reason) return { reason: `Init:${terminated.reason}`, restarts };
      return {
        reason: terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`,
        restarts,
      };
    }
    const waiting = c.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return { reason: `Init:${waiting}`, restarts };
    return { reason: `Init:${i}/${pod.spec?.initContainers?.length ?? statuses.length}`, restarts };
  }
  return undefined;
}

export function podStatus(pod: Pod): { status: string; ready: string; restarts: number } {
  const total = pod.spec?.containers?.length ?? 0;
  let reason = pod.status?.reason || pod.status?.phase || 'Unknown';
  let restarts = 0;
  let ready = 0;
  const init = initStatus(pod);
  if (init) {
    reason = init.reason;
    restarts = init.restarts;
  } else {
    let running = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        running = true;
        ready += 1;
      }
    }
    if (reason === 'Completed' && running) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { status: reason, ready: `${ready}/${total}`, restarts };
}

export function podIcon(status: string): string {
  if (status.startsWith('Init:')) return '◌';
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return '✖';
  if (status.endsWith('Error') || status.startsWith('Err')) return '⚠';
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return '◌';
    case 'Running':
    case 'Completed':
      return '✔';
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return '✖';
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return '⚠';
    case 'Unknown':
      return '?';
    default:
      return ' ';
  }
}

export function podInfo(pod: Pod): PodInfo {
  const { status, ready, restarts } = podStatus(pod);
  return {
    name: pod.metadata.name,
    status,
    icon: podIcon(status),
    created: pod.metadata.creationTimestamp,
    ready,
    restarts,
  };
}
