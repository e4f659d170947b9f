// The status fields derived from the ReplicaSets and the decisions: replica counts, the scale
// subresource's fields, conditions, and the phase and message Argo CD reads.
import { maxUnavailableOf, type Rollout, type RolloutStatus, replicasOf } from '@ramp/api';
import { resolveMaxUnavailable } from '../canary';
import type { ReplicaSet } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { emptyPlan, type KubeEvent, type RolloutPlan } from '../model/plan';
import { CONDITION, REASON, removeCondition, setCondition } from './conditions';
import { rolloutPhase } from './phase';
import { kubeTime, type PlanBuilder } from './plan-builder';
import { type ProgressFacts, updateProgress } from './progress';

export interface StrategyFacts extends ProgressFacts {
  /** Pods that serve production traffic and count for the HPA and the Available condition (default: all available pods). */
  servingAvailable?: number;
  /** The hash the scale subresource's selector adds (blue-green: the active revision). */
  selectorHash?: string;
}

function formatSelector(matchLabels: Record<string, string>): string {
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function sum(rss: readonly ReplicaSet[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
}

export function finishStatus(b: PlanBuilder, facts: StrategyFacts): void {
  const { view, status, nowIso } = b;
  const spec = view.rollout.spec;
  const all = view.snapshot.replicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const replicas = replicasOf(spec);
  status.replicas = sum(all, 'replicas');
  status.updatedReplicas = view.newRS?.status?.replicas ?? 0;
  status.readyReplicas = sum(all, 'readyReplicas');
  status.availableReplicas = sum(all, 'availableReplicas');
  const serving = facts.servingAvailable ?? status.availableReplicas;
  status.HPAReplicas = serving;
  status.currentPodHash = view.hash;
  status.observedGeneration = String(view.rollout.metadata.generation ?? 1);
  const matchLabels = { ...(spec.selector?.matchLabels ?? {}) };
  if (facts.selectorHash) matchLabels[POD_TEMPLATE_HASH_LABEL] = facts.selectorHash;
  status.selector = formatSelector(matchLabels);
  if ((status.pauseConditions ?? []).length === 0) {
    delete status.pauseConditions;
    delete status.controllerPause;
  }

  let conditions = removeCondition(status.conditions ?? [], CONDITION.invalidSpec);
  const strategy = spec.strategy?.canary ?? spec.strategy?.blueGreen ?? {};
  const minAvailable =
    replicas - resolveMaxUnavailable({ maxSurge: 0, maxUnavailable: maxUnavailableOf(strategy) }, replicas);
  conditions =
    serving >= minAvailable
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
  const paused = !!spec.paused || (status.pauseConditions ?? []).length > 0;
  if (paused)
    conditions = setCondition(
      conditions,
      CONDITION.paused,
      'True',
      REASON.paused,
      'Rollout is paused',
      nowIso,
    );
  else if (conditions.some((c) => c.type === CONDITION.paused && c.status === 'True')) {
    conditions = setCondition(
      conditions,
      CONDITION.paused,
      'False',
      REASON.resumed,
      'Rollout is resumed',
      nowIso,
    );
  }
  const revisionText = `revision ${view.revision} (${view.hash})`;
  conditions = facts.complete
    ? setCondition(
        conditions,
        CONDITION.completed,
        'True',
        REASON.completed,
        `Rollout completed update to ${revisionText}`,
        nowIso,
      )
    : setCondition(
        conditions,
        CONDITION.completed,
        'False',
        REASON.completed,
        `Rollout not completed, started update to ${revisionText}`,
        nowIso,
      );
  status.conditions = conditions;
  updateProgress(b, facts);

  const { phase, message } = rolloutPhase(spec, status);
  status.conditions =
    phase === 'Healthy'
      ? setCondition(
          status.conditions ?? [],
          CONDITION.healthy,
          'True',
          REASON.healthy,
          'Rollout is healthy',
          nowIso,
        )
      : setCondition(
          status.conditions ?? [],
          CONDITION.healthy,
          'False',
          REASON.healthy,
          'Rollout is not healthy',
          nowIso,
        );
  status.phase = phase;
  if (message) status.message = message;
  else delete status.message;
}

/**
 * An unusable spec: InvalidSpec with every problem, Degraded, and nothing else changed. Reads the
 * Rollout's metadata and status, not its spec (which may be anything), so it cannot throw.
 */
export function invalidPlan(rollout: Rollout, now: Date, message: string): RolloutPlan {
  const previous = rollout.status ?? {};
  const status: RolloutStatus = structuredClone(previous);
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
  // The same call as PlanBuilder.event (operations/docs.test.ts finds the reasons by it).
  const events = {
    event: (type: KubeEvent['type'], reason: string, text: string) =>
      plan.events.push({ type, reason, message: text }),
  };
  const before = previous.conditions?.find((c) => c.type === CONDITION.invalidSpec);
  if (before?.message !== message) events.event('Warning', REASON.invalidSpec, message);
  return plan;
}
