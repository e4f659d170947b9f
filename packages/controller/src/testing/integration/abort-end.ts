// How every abort must end: the stable revision back at spec.replicas, all of it available, every
// Service the Rollout names on the stable, the canary scaled away.
import type { Rollout } from '@ramp/api';
import type { Harness } from './harness';
import { servicesOf } from './observer';

export async function waitForAbortEnd(h: Harness, name: string, timeoutMs = 10_000): Promise<Rollout> {
  return h.waitFor(
    `Rollout ${name}'s abort to end with the stable at full and every Service on it`,
    () => {
      const ro = h.rollout(name);
      const { abort, phase, stableRS, currentPodHash } = ro.status ?? {};
      if (!abort || phase !== 'Degraded' || !stableRS || stableRS === currentPodHash) return undefined;
      const replicas = ro.spec.replicas ?? 1;
      const stable = h.replicaSet(name, stableRS);
      if (stable?.spec.replicas !== replicas || stable.status?.availableReplicas !== replicas)
        return undefined;
      if (!servicesOf(ro).every((svc) => h.selected(svc) === stableRS)) return undefined;
      if (ro.spec.strategy?.canary && h.replicaSet(name, currentPodHash)?.spec.replicas !== 0)
        return undefined;
      return ro;
    },
    timeoutMs,
  );
}
