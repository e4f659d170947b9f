// decide(snapshot, now) → plan: every decision about one Rollout, as a pure function of the
// objects and the time. Level-triggered: deciding again on the result of applying a plan gives an
// empty plan. Validation first; then the lifecycle's start, the strategy's decision (a value), and
// the one composer that turns it into the plan.

import { kubeTime } from '@ramp/kube';
import type { RolloutPlan } from '../model/plan';
import type { RolloutSnapshot } from '../model/snapshot';
import { decideBlueGreen } from './bluegreen';
import { decideCanary } from './canary';
import { composePlan } from './compose';
import type { DecisionContext } from './decision';
import { invalidPlan } from './finish-status';
import { beginLifecycle } from './lifecycle';
import { specProblems } from './spec-problems';
import { storedForm } from './stored-form';
import { planRoutes, readTraffic, routingProblemPlan, waitingPlan } from './traffic-routing';
import { buildView } from './view';

export function decideRollout(written: RolloutSnapshot, now: Date): RolloutPlan {
  // Validation first: what follows reads the spec as typed, and an invalid one may be anything.
  const stored = { ...written, rollout: storedForm(written.rollout) };
  const problems = specProblems(written, stored);
  if (problems) return invalidPlan(written.rollout, now, problems);
  const view = buildView(stored);
  const traffic = readTraffic(view);
  if (traffic && 'waiting' in traffic) return waitingPlan(view.rollout, now);
  if (traffic && 'problem' in traffic) return routingProblemPlan(view.rollout, now, traffic.problem);
  const { status, facts } = beginLifecycle(view);
  const ctx: DecisionContext = {
    view,
    now,
    nowIso: kubeTime(now),
    status,
    lifecycle: facts,
    ...(traffic ? { traffic: traffic.facts } : {}),
  };
  const decision = view.rollout.spec.strategy?.blueGreen ? decideBlueGreen(ctx) : decideCanary(ctx);
  if (decision.invalid)
    return invalidPlan(view.rollout, now, `The Rollout "${view.name}" is invalid: ${decision.invalid}`);
  const routes = planRoutes(ctx, decision);
  if ('problem' in routes) return routingProblemPlan(view.rollout, now, routes.problem);
  return composePlan(ctx, decision, routes.writes);
}
