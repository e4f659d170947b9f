// decide(snapshot, now) → plan: every decision about one Rollout, as a pure function of the
// objects and the time. Level-triggered: deciding again on the result of applying a plan gives an
// empty plan.
import { replicasOf } from '@ramp/api';
import type { RolloutPlan } from '../model/plan';
import type { RolloutSnapshot } from '../model/snapshot';
import { cleanUpAnalysisRuns, terminateUnusedRuns } from './analysis-history';
import { decideBlueGreen } from './bluegreen';
import { decideCanary } from './canary';
import { finishStatus, invalidPlan, type StrategyFacts } from './finish-status';
import { PlanBuilder } from './plan-builder';
import { planRestart } from './restart';
import { cleanUpHistory } from './revisions';
import { specProblems } from './spec-problems';
import { storedForm } from './stored-form';
import { buildView } from './view';

function canaryFacts(b: PlanBuilder): StrategyFacts {
  const { view, status } = b;
  const replicas = replicasOf(view.rollout.spec);
  // Every other ReplicaSet without pods, the one that was stable until this reconcile included (so
  // the reconcile that promotes, with the old pods already gone, also completes: Argo's
  // status.replicas == spec.replicas).
  const others = view.stableRS ? [...view.olderRSs, view.stableRS] : view.olderRSs;
  const olderEmpty = others.every((rs) => (rs.status?.replicas ?? 0) === 0);
  const step = status.canary?.currentStepAnalysisRunStatus?.status;
  return {
    complete:
      status.stableRS === view.hash && (view.newRS?.status?.availableReplicas ?? 0) >= replicas && olderEmpty,
    analysing: step === 'Pending' || step === 'Running',
  };
}

export function decideRollout(written: RolloutSnapshot, now: Date): RolloutPlan {
  // Validation first: what follows reads the spec as typed, and an invalid one may be anything.
  const problems = specProblems(written);
  if (problems) return invalidPlan(written.rollout, now, problems);
  const snapshot = { ...written, rollout: storedForm(written.rollout) };
  const view = buildView(snapshot);
  const b = new PlanBuilder(view, now);
  const inUse = new Set<string>();
  let facts: StrategyFacts;
  if (view.rollout.spec.strategy?.blueGreen) {
    facts = decideBlueGreen(b, inUse);
  } else {
    decideCanary(b, inUse);
    facts = canaryFacts(b);
  }
  if (b.invalid) return invalidPlan(view.rollout, now, `The Rollout "${view.name}" is invalid: ${b.invalid}`);
  b.recordRevision();
  if (!b.status.abort) planRestart(b);
  terminateUnusedRuns(b, inUse);
  cleanUpAnalysisRuns(b, inUse);
  cleanUpHistory(b, [view.newRS, view.stableRS]);
  finishStatus(b, facts);
  return b.plan;
}
