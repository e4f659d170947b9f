// Sizing a traffic-routed canary's ReplicaSets, as Argo Rollouts does: the router, not the pod
// count, splits the traffic, so the stable stays at full size (or, with dynamicStableScale, at its
// share of the traffic in place) and the canary gets the pods its weight needs, or what
// setCanaryScale says. An aborted canary keeps its pods until abortScaleDownDelaySeconds after the
// weight is back to 0; the previous stable keeps its pods scaleDownDelaySeconds after promotion.
import {
  type CanaryStep,
  DEFAULTS,
  maxSurgeOf,
  maxUnavailableOf,
  replicasOf,
  scaleDownDelaySecondsOf,
} from '@ramp/api';
import {
  atDesiredCounts,
  type CanaryScaleInput,
  desiredCanaryStableCounts,
  resolveMaxUnavailable,
  trafficWeightToReplicas,
} from '../canary';
import type { ReplicaSet } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION } from '../model/names';
import { trafficServices } from '../routing/ping-pong';
import { type DecisionContext, earlier, type ReplicaSetTarget } from './decision';
import { availableOf, hashOf, specReplicasOf, toCounts } from './replica-sets';
import { cancelScaleDown, scaleDownAfterDelay } from './scale-down-delay';
import { setWeightAt, stepsOf } from './steps';

type Canary = NonNullable<NonNullable<DecisionContext['view']['rollout']['spec']['strategy']>['canary']>;

const canaryOf = (ctx: DecisionContext): Canary => ctx.view.rollout.spec.strategy?.canary ?? {};
const maxWeightOf = (ctx: DecisionContext) => ctx.traffic?.maxWeight ?? 100;

/**
 * Argo's abort scale-down delay for a routed canary: abortScaleDownDelaySeconds (default 30 s);
 * none when it is 0, and none by default with dynamicStableScale (the canary then shrinks as its
 * traffic goes).
 */
export function abortScaleDownDelayOf(canary: Canary): number | undefined {
  const explicit = canary.abortScaleDownDelaySeconds;
  if (explicit === 0) return undefined;
  if (explicit !== undefined) return explicit;
  return canary.dynamicStableScale ? undefined : DEFAULTS.abortScaleDownDelaySeconds;
}

/** The setCanaryScale in force at step `index` (Argo's UseSetCanaryScale). */
function canaryScaleAt(ctx: DecisionContext, steps: readonly CanaryStep[], index: number, aborted: boolean) {
  if (aborted && abortScaleDownDelayOf(canaryOf(ctx)) !== undefined) return undefined;
  if (index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const scale = steps[i]?.setCanaryScale;
    if (!scale) continue;
    return scale.matchTrafficWeight ? undefined : scale;
  }
  return undefined;
}

/**
 * The traffic the stable and the canary pods carry now: the weights in place (read back), else as the
 * last status recorded them; while the canary Service selects the stable's pods (before the canary
 * has one available), the stable carries it all, whatever the weights say.
 */
export function actualWeights(ctx: DecisionContext): { canary: number; stable: number } | undefined {
  const max = maxWeightOf(ctx);
  const { view } = ctx;
  const canaryService = trafficServices(view.rollout).canary;
  const canarySelects = canaryService
    ? view.snapshot.services.get(canaryService)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]
    : undefined;
  // a canary Service on the stable's pods, or on no revision yet (all the app's pods), puts its share there
  if (canaryService && (canarySelects === undefined || canarySelects === view.stableHash) && view.stableRS)
    return { canary: 0, stable: max };
  const current = ctx.traffic?.current;
  if (current !== undefined) return { canary: current, stable: max - current };
  const recorded = ctx.view.previous.canary?.weights;
  return recorded ? { canary: recorded.canary.weight, stable: recorded.stable.weight } : undefined;
}

/**
 * Argo's GetDesiredCanaryWeight while aborting with dynamicStableScale: the canary steps back through
 * the setWeight steps as the stable's available pods grow, instead of dropping to 0 at once.
 */
export function abortStepWeight(ctx: DecisionContext): number {
  const { view } = ctx;
  const spec = replicasOf(view.rollout.spec);
  const max = maxWeightOf(ctx);
  const expected = spec - (view.stableRS ? availableOf(view.stableRS) : 0);
  const explicitDelay = canaryOf(ctx).abortScaleDownDelaySeconds !== undefined;
  const canaryReplicas = explicitDelay
    ? expected
    : Math.max(expected, view.newRS ? availableOf(view.newRS) : 0);
  const steps = stepsOf(view.rollout);
  for (let i = steps.length - 1; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined && trafficWeightToReplicas(spec, weight, max) < canaryReplicas) return weight;
  }
  return 0;
}

/** What the canary is sized for at step `index` (Argo's GetCanaryReplicasOrWeight). */
export function routedSizing(
  ctx: DecisionContext,
  index: number,
  aborted: boolean,
): { weight: number; replicas?: number } {
  const { view, status } = ctx;
  const max = maxWeightOf(ctx);
  if (status.promoteFull || !view.stableRS) return { weight: max };
  const steps = stepsOf(view.rollout);
  const scale = canaryScaleAt(ctx, steps, index, aborted);
  if (scale?.replicas !== undefined) return { weight: 0, replicas: scale.replicas };
  if (scale?.weight !== undefined) return { weight: scale.weight };
  if (aborted) return { weight: canaryOf(ctx).dynamicStableScale && view.newRS ? abortStepWeight(ctx) : 0 };
  return { weight: index >= steps.length ? max : setWeightAt(steps, index) };
}

/**
 * The replica math's input for a routed canary sized as `routedSizing` says. `planned`: the weight the
 * routers are given in this plan; each side is then sized for the larger of its share now and after it.
 */
export function routedInput(
  ctx: DecisionContext,
  index: number,
  aborted: boolean,
  planned?: number,
): CanaryScaleInput {
  const { view } = ctx;
  const canary = canaryOf(ctx);
  const sizing = routedSizing(ctx, index, aborted);
  const newRS = toCounts(view.newRS);
  const stableRS = toCounts(view.stableRS) ?? (view.stableHash === view.hash ? newRS : undefined);
  const now = actualWeights(ctx);
  const max = maxWeightOf(ctx);
  const actual =
    planned === undefined
      ? now
      : { canary: Math.max(now?.canary ?? 0, planned), stable: Math.max(now?.stable ?? 0, max - planned) };
  return {
    specReplicas: replicasOf(view.rollout.spec),
    weight: sizing.weight,
    maxWeight: maxWeightOf(ctx),
    maxSurge: maxSurgeOf(canary),
    maxUnavailable: maxUnavailableOf(canary),
    ...(newRS ? { newRS } : {}),
    ...(stableRS ? { stableRS } : {}),
    olderRSs: [],
    trafficRouted: true,
    ...(sizing.replicas !== undefined ? { canaryReplicasOverride: sizing.replicas } : {}),
    ...(canary.minPodsPerReplicaSet !== undefined
      ? { minPodsPerReplicaSet: canary.minPodsPerReplicaSet }
      : {}),
    ...(canary.dynamicStableScale ? { dynamicStableScale: true } : {}),
    ...(actual ? { actualWeights: actual } : {}),
    ...(aborted ? { aborted: true } : {}),
  };
}

/** The canary and stable are at the sizes step `index` wants, every canary pod available (Argo's AtDesiredReplicaCountsForCanary). */
export function routedAtCounts(ctx: DecisionContext, index: number, aborted = false): boolean {
  return !!ctx.view.newRS && atDesiredCounts(routedInput(ctx, index, aborted));
}

/** The new ReplicaSet while aborted: kept until the delay after the weight is back to 0 and the stable is full. */
function abortedCanary(ctx: DecisionContext, size: number): { target: ReplicaSetTarget; wakeAt?: Date } {
  const { view } = ctx;
  const newRS = view.newRS!;
  const delay = abortScaleDownDelayOf(canaryOf(ctx));
  const weightGone = ctx.traffic?.current === 0;
  const stableFull = !!view.stableRS && availableOf(view.stableRS) >= replicasOf(view.rollout.spec);
  if (delay !== undefined && view.stableRS) {
    const marked = newRS.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined;
    if (marked || (stableFull && weightGone)) return scaleDownAfterDelay(newRS, delay, ctx.now);
    return { target: { name: newRS.metadata.name } };
  }
  // no delay: down at once, but only once the routers no longer send it traffic and the stable has
  // all its pods (Argo scales it down at once; its pods may be the only ones serving)
  const dynamic = !!canaryOf(ctx).dynamicStableScale;
  if ((!weightGone || !stableFull) && !dynamic && size < specReplicasOf(newRS))
    return { target: { name: newRS.metadata.name } };
  return { target: { name: newRS.metadata.name, replicas: size } };
}

/** Revision hashes the Rollout still routes to: its status, its weights, its Services' selectors. */
function referencedHashes(ctx: DecisionContext): Set<string> {
  const { view } = ctx;
  const prev = view.previous;
  const canary = canaryOf(ctx);
  const names = [
    canary.canaryService,
    canary.stableService,
    canary.pingPong?.pingService,
    canary.pingPong?.pongService,
  ];
  const selected = names.map((name) =>
    name ? view.snapshot.services.get(name)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL] : undefined,
  );
  return new Set(
    [
      prev.stableRS,
      prev.currentPodHash,
      prev.canary?.weights?.canary.podTemplateHash,
      prev.canary?.weights?.stable.podTemplateHash,
      ...selected,
    ].filter((h): h is string => !!h),
  );
}

/**
 * The older ReplicaSets (Argo's scaleDownOldReplicaSetsForCanary with a router): pods that are not
 * available go first; a revision still routed to is kept; the previous stable (and any revision
 * already marked) waits scaleDownDelaySeconds (at once with dynamicStableScale; the ones past
 * scaleDownDelayRevisionLimit at once too); an interrupted update's revision goes at once, as no
 * traffic reaches it. All within the availability budget.
 */
function olderTargets(
  ctx: DecisionContext,
  fullyPromoted: boolean,
): { targets: ReplicaSetTarget[]; wakeAt?: Date } {
  const { view } = ctx;
  const canary = canaryOf(ctx);
  const spec = replicasOf(view.rollout.spec);
  const all = [view.newRS, view.stableRS, ...view.olderRSs].filter((rs): rs is ReplicaSet => !!rs);
  const available = all.reduce((n, rs) => n + Math.min(availableOf(rs), specReplicasOf(rs)), 0);
  const limits = { maxSurge: maxSurgeOf(canary), maxUnavailable: maxUnavailableOf(canary) };
  let budget = available - (spec - resolveMaxUnavailable(limits, spec));
  const referenced = referencedHashes(ctx);
  const targets: ReplicaSetTarget[] = [];
  let wakeAt: Date | undefined;
  let delayed = 0;
  const limit = canary.scaleDownDelayRevisionLimit;
  for (const rs of view.olderRSs) {
    const size = specReplicasOf(rs);
    if (size > availableOf(rs)) targets.push({ name: rs.metadata.name, replicas: availableOf(rs) });
    if (referenced.has(hashOf(rs) ?? '')) continue;
    if (size === 0) {
      targets.push(cancelScaleDown(rs));
      continue;
    }
    if (budget <= 0) break;
    const marked = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined;
    let down: { target: ReplicaSetTarget; wakeAt?: Date } = {
      target: { name: rs.metadata.name, replicas: 0 },
    };
    if ((fullyPromoted || marked) && !canary.dynamicStableScale) {
      delayed += 1;
      const within = limit === undefined || delayed <= limit;
      down = scaleDownAfterDelay(rs, within ? scaleDownDelaySecondsOf(canary) : 0, ctx.now);
    }
    targets.push(down.target);
    wakeAt = earlier(wakeAt, down.wakeAt);
    const to = down.target.replicas ?? size;
    budget -= Math.min(availableOf(rs), size) - Math.min(availableOf(rs), to);
  }
  return { targets, ...(wakeAt ? { wakeAt } : {}) };
}

/** This reconcile's sizes for a routed canary at step `index`: new, stable, older ReplicaSets. */
export function routedTargets(
  ctx: DecisionContext,
  index: number,
  aborted: boolean,
  fullyPromoted: boolean,
  planned?: number,
): { targets: ReplicaSetTarget[]; wakeAt?: Date } {
  const { view } = ctx;
  const counts = desiredCanaryStableCounts(routedInput(ctx, index, aborted, planned));
  const targets: ReplicaSetTarget[] = [];
  let wakeAt: Date | undefined;
  if (aborted && view.newRS && !fullyPromoted) {
    const kept = abortedCanary(ctx, counts.canary);
    targets.push(kept.target);
    wakeAt = kept.wakeAt;
  } else {
    targets.push({ name: view.newRSName, replicas: keepAvailable(ctx, counts.canary, counts.stable) });
    if (view.newRS) targets.push(cancelScaleDown(view.newRS));
  }
  if (view.stableRS)
    targets.push(
      { name: view.stableRS.metadata.name, replicas: counts.stable },
      cancelScaleDown(view.stableRS),
    );
  const older = olderTargets(ctx, fullyPromoted);
  return {
    targets: [...targets, ...older.targets],
    ...(earlier(wakeAt, older.wakeAt) ? { wakeAt: earlier(wakeAt, older.wakeAt)! } : {}),
  };
}

/**
 * The canary's size, raised so that scaling it down never takes the available pods below
 * replicas - maxUnavailable while the other revisions lack them (the stable's pods all failing, say):
 * Argo's routed math scales the canary to its share whatever the stable has; Ramp keeps the pods that
 * serve until others can.
 */
function keepAvailable(ctx: DecisionContext, canary: number, stableSize: number): number {
  const { view } = ctx;
  const newRS = view.newRS;
  if (!newRS || canary >= availableOf(newRS)) return canary;
  const spec = replicasOf(view.rollout.spec);
  const limits = { maxSurge: maxSurgeOf(canaryOf(ctx)), maxUnavailable: maxUnavailableOf(canaryOf(ctx)) };
  const floor = spec - resolveMaxUnavailable(limits, spec);
  const stable = view.stableRS ? Math.min(availableOf(view.stableRS), stableSize) : 0;
  const others =
    stable + view.olderRSs.reduce((n, rs) => n + Math.min(availableOf(rs), specReplicasOf(rs)), 0);
  return Math.max(canary, Math.min(availableOf(newRS), floor - others));
}

/**
 * Argo's IsDynamicallyRollingBackToStable: with dynamicStableScale, the template went back to the
 * stable while a canary still carried traffic; until the stable revision has all its pods available,
 * that canary keeps its weight (and its Service), so the stable is never given more than it can carry.
 */
export function rollingBackDynamically(ctx: DecisionContext): boolean {
  const { view } = ctx;
  if (!canaryOf(ctx).dynamicStableScale || view.stableHash !== view.hash) return false;
  const recorded = view.previous.canary?.weights?.canary;
  if (!recorded?.podTemplateHash || recorded.podTemplateHash === view.hash || recorded.weight <= 0)
    return false;
  return !view.newRS || availableOf(view.newRS) < replicasOf(view.rollout.spec);
}

/**
 * The stable a promotion replaces, marked with its scale-down deadline in the promoting plan itself:
 * scaleDownDelaySeconds from the promotion, whatever comes next (a new revision right after the
 * promotion must not find it unmarked and take it as an interrupted update's, to be scaled down at
 * once). None with dynamicStableScale (it goes at once, once no Service selects it).
 */
export function markReplacedStable(ctx: DecisionContext): ReplicaSetTarget | undefined {
  const stable = ctx.view.stableRS;
  const canary = canaryOf(ctx);
  if (!ctx.traffic || !stable || canary.dynamicStableScale) return undefined;
  const delay = scaleDownDelaySecondsOf(canary);
  if (delay <= 0 || stable.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]) return undefined;
  const { target } = scaleDownAfterDelay(stable, delay, ctx.now);
  return { name: target.name, ...(target.annotations ? { annotations: target.annotations } : {}) };
}
