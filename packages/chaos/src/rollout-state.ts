// One Rollout as the monitor sees it in one stored state: the Rollout, its ReplicaSets with the pods
// they keep, and where the strategy's Services point. Built by the monitor from the store's changes;
// read by the invariants and the convergence check; printed in reports.
import type { Rollout } from '@ramp/api';

export const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';

export interface ReplicaSetState {
  name: string;
  uid: string;
  hash: string;
  image: string;
  specReplicas: number;
  /** Every pod it controls (its controller owner reference), whatever their state. */
  pods: number;
  /** The pods it controls that are Ready and not being deleted (crash-looping pods never are). */
  readyPods: number;
  /**
   * min(spec.replicas, readyPods): the ready pods it keeps, i.e. that serve now and are not about to
   * be removed by a scale-down already decided. "Available pods" everywhere in this package.
   */
  available: number;
}

export interface ServiceState {
  name: string;
  exists: boolean;
  /** The rollouts-pod-template-hash its selector names, if any. */
  hash?: string;
}

export interface RolloutState {
  rollout: Rollout;
  /** The ReplicaSets the Rollout controls, oldest first. */
  replicaSets: ReplicaSetState[];
  /** The strategy's Services (stable, canary, active, preview), in that order. */
  services: ServiceState[];
}

export const imageOfRollout = (ro: Rollout): string => ro.spec.template?.spec?.containers?.[0]?.image ?? '';

export const replicaSetOfHash = (
  state: RolloutState,
  hash: string | undefined,
): ReplicaSetState | undefined => (hash ? state.replicaSets.find((rs) => rs.hash === hash) : undefined);

/** The available pods summed over the Rollout's ReplicaSets. */
export const availableOf = (state: RolloutState): number =>
  state.replicaSets.reduce((sum, rs) => sum + rs.available, 0);

/** A few lines a person can read: status, ReplicaSets (spec, pods, ready, available), Services. */
export function describeState(state: RolloutState): string {
  const ro = state.rollout;
  const s = ro.status ?? {};
  const pauses = (s.pauseConditions ?? []).map((p) => p.reason).join(',');
  const lines = [
    `Rollout ${ro.metadata.name} (replicas ${ro.spec.replicas ?? 1}, generation ${ro.metadata.generation}, ` +
      `image ${imageOfRollout(ro)}): phase=${s.phase ?? '-'} observedGeneration=${s.observedGeneration ?? '-'} ` +
      `stableRS=${s.stableRS ?? '-'} currentPodHash=${s.currentPodHash ?? '-'} step=${s.currentStepIndex ?? '-'}` +
      `${s.abort ? ' abort' : ''}${s.promoteFull ? ' promoteFull' : ''}${pauses ? ` paused(${pauses})` : ''}` +
      `${s.message ? ` message=${JSON.stringify(s.message)}` : ''}`,
  ];
  for (const rs of state.replicaSets) {
    const role = [rs.hash === s.stableRS ? 'stable' : '', rs.hash === s.currentPodHash ? 'current' : '']
      .filter(Boolean)
      .join('+');
    lines.push(
      `  ReplicaSet ${rs.name} ${rs.image}${role ? ` (${role})` : ''}: spec ${rs.specReplicas}, ` +
        `pods ${rs.pods}, ready ${rs.readyPods}, available ${rs.available}`,
    );
  }
  for (const svc of state.services) {
    lines.push(`  Service ${svc.name} → ${svc.exists ? (svc.hash ?? '(no hash in selector)') : '(missing)'}`);
  }
  return lines.join('\n');
}
