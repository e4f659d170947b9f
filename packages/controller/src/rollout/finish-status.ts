// The status fields derived from the ReplicaSets and the decisions: replica counts, the scale
// subresource's fields, conditions, and the phase and message Argo CD reads.
import { formatLabelSelector, type Rollout, type RolloutStatus, replicasOf } from '@ramp/api';
import { kubeTime, withoutUndefined } from '@ramp/kube';
import type { ReplicaSet } from '../model/kube-objects';
import { emptyPlan, type KubeEvent, type RolloutPlan } from '../model/plan';
import { CONDITION, findCondition, REASON, removeCondition, setCondition } from './conditions';
import { rolloutPhase } from './phase';
import type { PlanDraft } from './plan-draft';
import { type ProgressFacts, updateProgress } from './progress';
import { availableOf, hashOf, specReplicasOf } from './replica-sets';

export type StrategyFacts = ProgressFacts;

function sum(rss: readonly ReplicaSet[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
}

/**
 * The replica counts, HPAReplicas and selector as Argo writes them: over every ReplicaSet for a
 * canary; for a blue-green, the ready, available and HPA counts and the selector of the
 * ReplicaSet the active Service selects (when it exists), since only it serves.
 */
function writeCounts(b: PlanDraft): ReplicaSet | undefined {
  const { view, status } = b;
  const spec = view.rollout.spec;
  const all = view.snapshot.replicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  status.replicas = sum(all, 'replicas');
  status.updatedReplicas = view.newRS?.status?.replicas ?? 0;
  const activeHash = spec.strategy?.blueGreen ? status.blueGreen?.activeSelector : undefined;
  const active = activeHash ? all.find((rs) => hashOf(rs) === activeHash) : undefined;
  const counted = active ? [active] : all;
  status.readyReplicas = sum(counted, 'readyReplicas');
  status.availableReplicas = sum(counted, 'availableReplicas');
  status.HPAReplicas = sum(counted, 'replicas');
  status.selector = formatLabelSelector(active ? active.spec.selector : spec.selector);
  return active;
}

/** Argo's Available: every pod of spec.replicas available (blue-green: the active ReplicaSet full). */
function available(b: PlanDraft, active: ReplicaSet | undefined): boolean {
  const replicas = replicasOf(b.view.rollout.spec);
  if (!b.view.rollout.spec.strategy?.blueGreen) return (b.status.availableReplicas ?? 0) >= replicas;
  return !!active && specReplicasOf(active) === replicas && availableOf(active) >= replicas;
}

/**
 * RolloutPaused and RolloutResumed, as Argo records them: when the pause conditions go from none
 * to some, and when the controller (not the person, who removed them) takes the last one away.
 */
function pauseEvents(b: PlanDraft): void {
  const before = b.view.previous.pauseConditions ?? [];
  const after = b.status.pauseConditions ?? [];
  if (before.length === 0 && after.length > 0)
    b.event('Normal', 'RolloutPaused', `Rollout is paused (${after[0]!.reason})`);
  if (before.length > 0 && after.length === 0 && !b.status.abort)
    b.event('Normal', 'RolloutResumed', 'Rollout is resumed');
}

/** Available, Paused and Completed, as Argo writes them (Completed False records RolloutNotCompleted). */
function writeConditions(b: PlanDraft, active: ReplicaSet | undefined): void {
  const { view, status, nowIso } = b;
  let conditions = removeCondition(
    removeCondition(status.conditions ?? [], CONDITION.invalidSpec),
    CONDITION.trafficRouting,
  );
  conditions = available(b, active)
    ? setCondition(
        conditions,
        CONDITION.available,
        'True',
        REASON.available,
        'Rollout has minimum availability',
        nowIso,
      )
    : setCondition(
        conditions,
        CONDITION.available,
        'False',
        REASON.notAvailable,
        'Rollout does not have minimum availability',
        nowIso,
      );
  const paused = !!view.rollout.spec.paused || (status.pauseConditions ?? []).length > 0;
  // Argo writes the Paused condition with reason RolloutPaused and "Rollout is paused" also when False.
  if (paused || conditions.some((c) => c.type === CONDITION.paused && c.status === 'True')) {
    const value = paused ? 'True' : 'False';
    conditions = setCondition(
      conditions,
      CONDITION.paused,
      value,
      REASON.paused,
      'Rollout is paused',
      nowIso,
    );
  }
  // Argo's Completed: the current revision is the stable one (message and reason "RolloutCompleted").
  const completed = !!status.stableRS && status.stableRS === view.hash;
  const wasCompleted = findCondition(conditions, CONDITION.completed);
  const value = completed ? 'True' : 'False';
  conditions = setCondition(
    conditions,
    CONDITION.completed,
    value,
    REASON.completed,
    REASON.completed,
    nowIso,
  );
  if (!completed && wasCompleted?.status !== 'False')
    b.event(
      'Normal',
      'RolloutNotCompleted',
      `Rollout not completed, started update to revision ${view.revision} (${view.hash})`,
    );
  status.conditions = conditions;
}

/** The phase and message Argo CD shows, and the Healthy condition (False only once written before). */
function writePhase(b: PlanDraft): void {
  const { view, status, nowIso } = b;
  const { phase, message } = rolloutPhase(view.rollout.spec, status);
  const healthy = phase === 'Healthy';
  if (healthy || findCondition(status.conditions, CONDITION.healthy)) {
    status.conditions = setCondition(
      status.conditions ?? [],
      CONDITION.healthy,
      healthy ? 'True' : 'False',
      REASON.healthy,
      healthy ? 'Rollout is healthy' : 'Rollout is not healthy',
      nowIso,
    );
  }
  status.phase = phase;
  if (message) status.message = message;
  else delete status.message;
}

/** The status' own parts, once the decision is made: counts, pauses' events, conditions, progress, phase. */
export function finishStatus(b: PlanDraft, facts: StrategyFacts): void {
  const { view, status } = b;
  const active = writeCounts(b);
  status.currentPodHash = view.hash;
  status.observedGeneration = String(view.rollout.metadata.generation ?? 1);
  if ((status.pauseConditions ?? []).length === 0) {
    delete status.pauseConditions;
    delete status.controllerPause;
  }
  pauseEvents(b);
  writeConditions(b, active);
  updateProgress(b, facts);
  writePhase(b);
}

/**
 * An unusable spec: InvalidSpec with every problem, Degraded, and nothing else changed. Reads the
 * Rollout's metadata and status, not its spec (which may be anything), so it cannot throw.
 */
export function invalidPlan(rollout: Rollout, now: Date, message: string): RolloutPlan {
  const previous = rollout.status ?? {};
  const status: RolloutStatus = withoutUndefined(previous);
  const plan = emptyPlan(status);
  status.observedGeneration = String(rollout.metadata.generation ?? 1);
  status.conditions = setCondition(
    status.conditions ?? [],
    CONDITION.invalidSpec,
    'True',
    REASON.invalidSpec,
    message,
    kubeTime(now),
  );
  // With the InvalidSpec condition set, rolloutPhase answers from the conditions, before any spec field.
  const { phase, message: phaseMessage } = rolloutPhase(rollout.spec, status);
  status.phase = phase;
  status.message = phaseMessage;
  // The same call as PlanDraft.event (operations/docs.test.ts finds the reasons by it).
  const events = {
    event: (type: KubeEvent['type'], reason: string, text: string) =>
      plan.events.push({ type, reason, message: text }),
  };
  const before = previous.conditions?.find((c) => c.type === CONDITION.invalidSpec);
  if (before?.message !== message) events.event('Warning', REASON.invalidSpec, message);
  return plan;
}
