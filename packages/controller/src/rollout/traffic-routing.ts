// A routed canary's routers around the decision: before it, what the routing objects carry (or why
// they cannot be used, or that their cache has not listed yet); after it, the writes each router
// plans for the decision's intent. A router that cannot act stops the Rollout where it is: the status
// gets the TrafficRouting condition naming the object, the field and the fix, and nothing is written
// to any other object until the routing objects are fixed.
import { ROUTERS_RAMP_RUNS, type Rollout, type RolloutStatus } from '@ramp/api';
import { kubeTime, withoutUndefined } from '@ramp/kube';
import { emptyPlan, type RolloutPlan } from '../model/plan';
import type { RouteObjects, RouterProblem, RouteWrite } from '../routing/router';
import { maxWeightOf, routersFor } from '../routing/routers';
import { CONDITION, REASON, setCondition } from './conditions';
import type { DecisionContext, StrategyDecision, TrafficFacts } from './decision';
import { rolloutPhase } from './phase';
import type { RolloutView } from './view';

/** How often a Rollout looks again while the routing caches list for the first time. */
const WAIT_MS = 1000;

export type TrafficRead = { facts: TrafficFacts } | { problem: RouterProblem } | { waiting: string };

/** The routing objects as nothing has listed them yet (a snapshot built without routing caches). */
const NOTHING_LISTED: RouteObjects = {
  get: () => undefined,
  list: () => [],
  state: () => ({ listed: false }),
};

/** The routers of a routed canary and the weight their objects carry; undefined without trafficRouting. */
export function readTraffic(view: RolloutView): TrafficRead | undefined {
  const rollout = view.rollout;
  if (rollout.spec.strategy?.blueGreen || !rollout.spec.strategy?.canary?.trafficRouting) return undefined;
  const routers = routersFor(rollout);
  if (routers.length === 0) {
    return {
      problem: {
        object: `Rollout ${view.namespace}/${view.name}`,
        field: 'spec.strategy.canary.trafficRouting',
        message: `names no router Ramp runs; ${ROUTERS_RAMP_RUNS}: add one of them, or remove trafficRouting`,
      },
    };
  }
  const objects = view.snapshot.routes ?? NOTHING_LISTED;
  const weights: (number | undefined)[] = [];
  for (const router of routers) {
    const read = router.read(objects);
    if (!('weight' in read)) return read;
    weights.push(read.weight);
  }
  const current = weights.every((w) => w === weights[0]) ? weights[0] : undefined;
  return { facts: { routers, objects, current, maxWeight: maxWeightOf(rollout) } };
}

/** Every router's writes for the decision's intent, or the first problem one finds. */
export function planRoutes(
  ctx: DecisionContext,
  decision: StrategyDecision,
): { writes: RouteWrite[] } | { problem: RouterProblem } {
  const facts = ctx.traffic;
  if (!facts || !decision.traffic) return { writes: [] };
  const writes: RouteWrite[] = [];
  for (const router of facts.routers) {
    const plan = router.plan(facts.objects, decision.traffic.intent);
    if ('problem' in plan) return plan;
    writes.push(...plan.writes);
  }
  return { writes };
}

export function describeProblem(problem: RouterProblem): string {
  return `${problem.object}${problem.field ? `: ${problem.field}` : ''}: ${problem.message}`;
}

/** Nothing to do until the routing caches have listed (no write; look again soon). */
export function waitingPlan(rollout: Rollout, now: Date): RolloutPlan {
  return { ...emptyPlan(withoutUndefined(rollout.status ?? {})), wakeAt: new Date(now.getTime() + WAIT_MS) };
}

/**
 * The Rollout waits for its routing objects: the TrafficRouting condition (False, TrafficRoutingError)
 * and the phase say why, a Warning event when the reason is new, and nothing else is written.
 */
export function routingProblemPlan(rollout: Rollout, now: Date, problem: RouterProblem): RolloutPlan {
  const previous = rollout.status ?? {};
  const status: RolloutStatus = withoutUndefined(previous);
  const plan = emptyPlan(status);
  const message = describeProblem(problem);
  status.conditions = setCondition(
    status.conditions ?? [],
    CONDITION.trafficRouting,
    'False',
    REASON.trafficRoutingError,
    message,
    kubeTime(now),
  );
  const phase = rolloutPhase(rollout.spec, status);
  status.phase = phase.phase;
  status.message = phase.message;
  const before = previous.conditions?.find((c) => c.type === CONDITION.trafficRouting);
  if (before?.message !== message || before.status !== 'False')
    plan.events.push({ type: 'Warning', reason: REASON.trafficRoutingError, message });
  return plan;
}
