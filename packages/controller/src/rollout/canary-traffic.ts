// What a routed canary asks of its routers, as Argo's reconcileTrafficRouting decides it: 0 once
// promoted or aborted (with dynamicStableScale, stepping down as the stable grows) and while the new
// revision has no available pod; a step's weight only once the canary's pods for it are available
// (else the previous step's); the maximum after the last step. Managed routes are in force only
// during an update that has canary pods. The status records the weights (status.canary.weights),
// verified once the routing objects carry them.
import { replicasOf } from '@ramp/api';
import type { KubeEvent } from '../model/plan';
import { managedRouteNames, managedRoutesAt } from '../routing/managed-routes';
import { trafficServices } from '../routing/ping-pong';
import type { DecisionContext, TrafficDecision } from './decision';
import { availableOf } from './replica-sets';
import { abortStepWeight, actualWeights, rollingBackDynamically, routedAtCounts } from './routed-scale';
import { stepsOf } from './steps';

/** Where the canary stands: the step reached, and whether it is aborted or done. */
export interface CanaryPosition {
  index: number;
  aborted: boolean;
  fullyPromoted: boolean;
}

/** The last setWeight strictly before `index` (0 when none). */
function weightBefore(ctx: DecisionContext, index: number): number {
  const steps = stepsOf(ctx.view.rollout);
  for (let i = Math.min(index, steps.length) - 1; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** The last setWeight at or before `index` (0 when none), the maximum past the last step. */
function weightAt(ctx: DecisionContext, index: number, max: number): number {
  const steps = stepsOf(ctx.view.rollout);
  return index >= steps.length ? max : weightBefore(ctx, index + 1);
}

/** Argo's calculateDesiredWeightOnAbortOrStableRollback. */
function abortWeight(ctx: DecisionContext, max: number): number {
  const { view } = ctx;
  const spec = replicasOf(view.rollout.spec);
  const canary = view.rollout.spec.strategy?.canary;
  if (!canary?.dynamicStableScale || !view.stableRS || !view.newRS || spec === 0) return 0;
  const desired = abortStepWeight(ctx);
  const stableShare = Math.floor((max * availableOf(view.stableRS)) / spec);
  const expected = Math.max(0, max - stableShare);
  const current = actualWeights(ctx)?.canary;
  if (current === undefined) return Math.max(expected, desired);
  if (desired <= 0) return Math.min(expected, current);
  // the stable is still growing: the canary keeps its traffic
  if (stableShare < max - desired) return current;
  return Math.min(desired, current);
}

/** The canary weight the routers should carry now. */
function desiredWeight(ctx: DecisionContext, at: CanaryPosition, max: number): number {
  const { view, status } = ctx;
  if (rollingBackDynamically(ctx)) return actualWeights(ctx)?.canary ?? 0;
  if (at.fullyPromoted) return 0;
  if (at.aborted) return abortWeight(ctx, max);
  if (!view.newRS || availableOf(view.newRS) === 0) return 0;
  if (status.promoteFull) {
    if (view.rollout.spec.strategy?.canary?.dynamicStableScale)
      return Math.floor((max * availableOf(view.newRS)) / Math.max(1, replicasOf(view.rollout.spec)));
    return actualWeights(ctx)?.canary ?? 0;
  }
  if (!routedAtCounts(ctx, at.index)) return weightBefore(ctx, at.index);
  return weightAt(ctx, at.index, max);
}

/** The stable has the available pods its share needs (Argo's checkReplicasAvailable). */
function stableCanCarry(ctx: DecisionContext, weight: number, max: number): boolean {
  const { view } = ctx;
  if (!view.stableRS) return true;
  const need = Math.floor(((max - weight) * replicasOf(view.rollout.spec)) / max);
  return availableOf(view.stableRS) >= need;
}

/**
 * The pod-template hashes the canary and stable destinations select (Istio's DestinationRule subsets).
 * The canary's is the new ReplicaSet's during an update (while rolling back dynamically, the previous
 * canary's, which still takes traffic, as Argo's); once the rollout is done, or aborted and its canary
 * weight is 0, the canary destination selects the stable's pods again, as it did before the update.
 */
function hashesToSelect(
  ctx: DecisionContext,
  at: CanaryPosition,
  weight: number,
): { canaryHash?: string; stableHash?: string } {
  const { view } = ctx;
  const stableHash = view.stableHash;
  // the new ReplicaSet's hash from the reconcile that creates it (Argo's is empty until it exists,
  // which unlabels the canary subset for one reconcile); the weight is 0 until its pods are available
  let canaryHash: string | undefined = view.hash;
  if (rollingBackDynamically(ctx)) canaryHash = view.previous.canary?.weights?.canary.podTemplateHash;
  else if (at.fullyPromoted || (at.aborted && weight === 0)) canaryHash = stableHash;
  return { ...(canaryHash ? { canaryHash } : {}), ...(stableHash ? { stableHash } : {}) };
}

function weightEvent(before: number | undefined, after: number): KubeEvent[] {
  if (before === after) return [];
  const change = before === undefined ? `to ${after}` : `from ${before} to ${after}`;
  return [{ type: 'Normal', reason: 'TrafficWeightUpdated', message: `Traffic weight updated ${change}` }];
}

/**
 * The routers' part of a routed canary's decision, or undefined for a canary without routers (or one
 * whose stable lacks the pods for the new split: the routes then stay as they are, as Argo's do).
 */
export function decideTraffic(
  ctx: DecisionContext,
  at: CanaryPosition,
): { traffic: TrafficDecision; events: KubeEvent[] } | undefined {
  const facts = ctx.traffic;
  if (!facts) return undefined;
  const { view } = ctx;
  const max = facts.maxWeight;
  const services = trafficServices(view.rollout);
  const weight = desiredWeight(ctx, at, max);
  if (!stableCanCarry(ctx, weight, max) && facts.current !== undefined && facts.current !== weight)
    return undefined;
  const updating =
    !at.fullyPromoted &&
    !at.aborted &&
    !ctx.status.promoteFull &&
    !!view.newRS &&
    availableOf(view.newRS) > 0;
  const names = managedRouteNames(view.rollout);
  const managedRoutes = updating ? managedRoutesAt(stepsOf(view.rollout), at.index, names) : [];
  const canaryHash = view.newRS ? view.hash : undefined;
  const stableHash = view.stableHash;
  const weights = {
    canary: {
      weight,
      ...(canaryHash ? { podTemplateHash: canaryHash } : {}),
      ...(services.canary ? { serviceName: services.canary } : {}),
    },
    stable: {
      weight: max - weight,
      ...(stableHash ? { podTemplateHash: stableHash } : {}),
      ...(services.stable ? { serviceName: services.stable } : {}),
    },
    ...(facts.routers.every((r) => r.verifiable !== false) ? { verified: facts.current === weight } : {}),
  };
  const intent = {
    weight,
    maxWeight: max,
    managedRoutes,
    managedNames: names,
    ...hashesToSelect(ctx, at, weight),
  };
  return {
    traffic: { intent, weights },
    events: weightEvent(view.previous.canary?.weights?.canary.weight, weight),
  };
}
