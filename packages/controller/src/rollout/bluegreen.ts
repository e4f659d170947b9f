// The blue-green strategy: the new revision behind the preview Service, checked by pre-promotion
// analysis, paused for a person (or autoPromotionSeconds), scaled to full, then the active Service
// switched; post-promotion analysis can still switch it back. Decided from the context alone and
// returned as a value.
import {
  abortScaleDownDelaySecondsOf,
  type BlueGreenStrategy,
  type RolloutAnalysisRunStatus,
  type RolloutStatus,
  replicasOf,
  scaleDownDelaySecondsOf,
} from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { PAUSE_REASON, POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { evaluateGate, type GateOutcome } from './analysis-gate';
import { promotionWait } from './bluegreen-pause';
import type {
  DecisionContext,
  ReplicaSetTarget,
  ServiceTarget,
  StrategyDecision,
  Transition,
} from './decision';
import { earlier, gather } from './decision';
import { updateDone } from './lifecycle';
import { applyPauseChanges, type PauseChange } from './pauses';
import { availableOf, hashOf, specReplicasOf } from './replica-sets';
import { cancelScaleDown, scaleDownAfterDelay } from './scale-down-delay';
import { fullyPromoted } from './view';

type BlueGreenStatus = NonNullable<RolloutStatus['blueGreen']>;

/** What one of the branches below decided; `frame` completes it into the strategy's decision. */
interface Part {
  targets: ReplicaSetTarget[];
  active?: string;
  preview?: string;
  status?: Partial<BlueGreenStatus>;
  gates?: (GateOutcome | undefined)[];
  pause?: PauseChange;
  transition?: Transition;
  complete?: boolean;
  wakeAt?: Date;
}

const bgOf = (ctx: DecisionContext) => ctx.view.rollout.spec.strategy?.blueGreen as BlueGreenStrategy;

/** At `count` replicas, all of them available (a ReplicaSet being created is not). */
const ready = (rs: ReplicaSet | undefined, count: number): boolean =>
  !!rs && specReplicasOf(rs) === count && availableOf(rs) >= count;

/** The Services a part points, once each: the status' selectors say where the one write sends them. */
function services(bg: BlueGreenStrategy, part: Part): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  if (part.active) out.push({ name: bg.activeService, hash: part.active });
  if (bg.previewService && part.preview) out.push({ name: bg.previewService, hash: part.preview });
  return out;
}

/** Old revisions: the last stable waits scaleDownDelaySeconds, the rest go at once (scaleDownDelayRevisionLimit). */
function scaleDownOld(
  ctx: DecisionContext,
  keep: readonly (ReplicaSet | undefined)[],
  pointed: ServiceTarget[],
) {
  const bg = bgOf(ctx);
  const limit = bg.scaleDownDelayRevisionLimit;
  let delayed = 0;
  // A revision a Service still selects after this decision keeps its pods (there was nowhere with a
  // pod to move that Service to): it goes once the Service has moved on.
  const selectedAfter = (name: string | undefined) =>
    name
      ? (pointed.find((s) => s.name === name)?.hash ??
        ctx.view.snapshot.services.get(name)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL])
      : undefined;
  const selected = new Set([selectedAfter(bg.activeService), selectedAfter(bg.previewService ?? undefined)]);
  const targets: ReplicaSetTarget[] = [];
  let wakeAt: Date | undefined;
  for (const rs of ctx.view.olderRSs) {
    if (keep.includes(rs) || selected.has(hashOf(rs))) continue;
    const withinLimit = limit === undefined || delayed < limit;
    if (specReplicasOf(rs) > 0 && withinLimit) delayed += 1;
    const down = scaleDownAfterDelay(rs, withinLimit ? scaleDownDelaySecondsOf(bg) : 0, ctx.now);
    targets.push(down.target);
    wakeAt = earlier(wakeAt, down.wakeAt);
  }
  return { targets, wakeAt };
}

/** The template is the stable one (a first deploy, a rollback to the stable): to full size at once. */
function promoted(ctx: DecisionContext): Part {
  const { view } = ctx;
  const replicas = replicasOf(view.rollout.spec);
  const newRS = view.newRS;
  // Services go to the new revision once it has a pod to serve, or at once when no revision has one
  // (a first deploy, or one whose first version never came up): there is nothing better.
  const nothingServes = view.snapshot.replicaSets.every((rs) => rs === newRS || availableOf(rs) === 0);
  const point = !!newRS && (nothingServes || availableOf(newRS) > 0);
  const targets: ReplicaSetTarget[] = [{ name: view.newRSName, replicas }];
  if (newRS) targets.push(cancelScaleDown(newRS));
  const part: Part = {
    targets,
    ...(point ? { active: view.hash, preview: view.hash } : {}),
    transition: { kind: 'promote', reason: view.initialDeploy ? 'Initial deploy' : 'Fast rollback' },
  };
  // Older revisions go (after their delay) once the stable can take the traffic: back to a stable
  // that has no pod to serve while others do, they stay.
  const old =
    nothingServes || ready(newRS, replicas)
      ? scaleDownOld(ctx, [newRS], services(bgOf(ctx), part))
      : { targets: [], wakeAt: undefined };
  const activeAfter = part.active ?? ctx.status.blueGreen?.activeSelector;
  return {
    ...part,
    targets: [...targets, ...old.targets],
    ...(old.wakeAt ? { wakeAt: old.wakeAt } : {}),
    complete: ready(newRS, replicas) && activeAfter === view.hash,
  };
}

/** The stable kept at full size; its hash while it has a pod to serve (else no Service goes there). */
function stableFrame(ctx: DecisionContext): { targets: ReplicaSetTarget[]; hash?: string } {
  const { stableRS } = ctx.view;
  if (!stableRS) return { targets: [] };
  const replicas = replicasOf(ctx.view.rollout.spec);
  const targets = [
    { name: stableRS.metadata.name, replicas: Math.max(specReplicasOf(stableRS), replicas) },
    cancelScaleDown(stableRS),
  ];
  return availableOf(stableRS) > 0 && ctx.view.stableHash
    ? { targets, hash: ctx.view.stableHash }
    : { targets };
}

/** Aborted: traffic on the stable, the new revision scaled down after abortScaleDownDelaySeconds. */
function aborted(ctx: DecisionContext): Part {
  const stable = stableFrame(ctx);
  const targets = [...stable.targets];
  const { newRS } = ctx.view;
  const down = newRS
    ? scaleDownAfterDelay(newRS, abortScaleDownDelaySecondsOf(bgOf(ctx)), ctx.now)
    : { target: { name: ctx.view.newRSName, replicas: 0 } };
  targets.push(down.target);
  const part: Part = { targets, ...(stable.hash ? { active: stable.hash, preview: stable.hash } : {}) };
  const old = scaleDownOld(ctx, [ctx.view.stableRS], services(bgOf(ctx), part));
  return { ...part, targets: [...targets, ...old.targets], wakeAt: earlier(down.wakeAt, old.wakeAt) };
}

/** The pre-promotion analysis, when there is one. */
function prePromotion(ctx: DecisionContext): GateOutcome | undefined {
  const analysis = bgOf(ctx).prePromotionAnalysis;
  if (!analysis) return undefined;
  const recorded = ctx.status.blueGreen?.prePromotionAnalysisRunStatus;
  return evaluateGate(ctx, { type: 'PrePromotion', analysis }, recorded);
}

/** Before the switch: the preview scaled and served, the promotion gate, then full size and the switch. */
function previewing(ctx: DecisionContext): Part {
  const { view } = ctx;
  const bg = bgOf(ctx);
  const replicas = replicasOf(view.rollout.spec);
  const stable = stableFrame(ctx);
  const newRS = view.newRS;
  const checkpoint = !!ctx.status.blueGreen?.scaleUpPreviewCheckPoint || !!ctx.status.promoteFull;
  const size = checkpoint ? replicas : Math.min(bg.previewReplicaCount ?? replicas, replicas);
  const targets = [...stable.targets, { name: view.newRSName, replicas: size }];
  if (newRS) targets.push(cancelScaleDown(newRS));
  const previewServes = !!newRS && availableOf(newRS) > 0;
  const part: Part = { targets, ...(stable.hash ? { active: stable.hash } : {}) };
  const previewTarget = previewServes ? view.hash : stable.hash;
  if (previewTarget) part.preview = previewTarget;
  if (!view.rollout.spec.paused && ready(newRS, size)) {
    if (!checkpoint) Object.assign(part, gatePromotion(ctx, targets));
    else if (ready(newRS, replicas)) Object.assign(part, { active: view.hash, preview: view.hash });
  } else if (bg.prePromotionAnalysis && ctx.status.blueGreen?.prePromotionAnalysisRunStatus) {
    const entry = ctx.status.blueGreen.prePromotionAnalysisRunStatus;
    part.gates = [{ kind: 'waiting', entry, runs: { inUse: [entry.name], create: [] }, events: [] }];
  }
  const old = scaleDownOld(ctx, [view.stableRS], services(bg, part));
  return { ...part, targets: [...part.targets, ...old.targets], wakeAt: earlier(part.wakeAt, old.wakeAt) };
}

/** The promotion gate passed: the scale-up to full size starts (the checkpoint records it). */
function gatePromotion(ctx: DecisionContext, targets: ReplicaSetTarget[]): Partial<Part> {
  const pre = prePromotion(ctx);
  const status = pre && pre.kind !== 'invalid' ? { prePromotionAnalysisRunStatus: pre.entry } : {};
  const failed = pre?.kind === 'failed' ? pre : undefined;
  const passed = !pre || pre.kind === 'successful';
  const wait = passed ? promotionWait(ctx) : undefined;
  const go = passed && wait?.go;
  return {
    gates: [pre],
    status: { ...status, ...(go ? { scaleUpPreviewCheckPoint: true } : {}) },
    ...(pre?.kind === 'inconclusive' ? { pause: { add: PAUSE_REASON.inconclusiveAnalysis } } : {}),
    ...(wait?.pause ? { pause: wait.pause } : {}),
    ...(go ? { pause: { clear: true as const } } : {}),
    ...(wait?.wakeAt ? { wakeAt: wait.wakeAt } : {}),
    ...(failed?.abortMessage ? { transition: { kind: 'abort' as const, message: failed.abortMessage } } : {}),
    targets: go
      ? [...targets, { name: ctx.view.newRSName, replicas: replicasOf(ctx.view.rollout.spec) }]
      : targets,
  };
}

/** After the switch: post-promotion analysis decides whether the new revision stays, and promotes it. */
function switched(ctx: DecisionContext): Part {
  const { view } = ctx;
  const bg = bgOf(ctx);
  const replicas = replicasOf(view.rollout.spec);
  const analysis = ctx.status.promoteFull ? undefined : bg.postPromotionAnalysis; // --full skips it
  const recorded = ctx.status.blueGreen?.postPromotionAnalysisRunStatus;
  const post = analysis ? evaluateGate(ctx, { type: 'PostPromotion', analysis }, recorded) : undefined;
  const status = post && post.kind !== 'invalid' ? { postPromotionAnalysisRunStatus: post.entry } : {};
  const stable = stableFrame(ctx);
  const base = { targets: stable.targets, status, gates: [post] };
  const pause = post?.kind === 'inconclusive' ? { add: PAUSE_REASON.inconclusiveAnalysis } : undefined;
  if (post?.kind === 'failed')
    return {
      ...base,
      ...(stable.hash ? { active: stable.hash, preview: stable.hash } : {}),
      ...(post.abortMessage ? { transition: { kind: 'abort', message: post.abortMessage } } : {}),
    };
  // The new ReplicaSet becomes the stable only with all its pods available (they may have gone since
  // the switch); until then the old stable stays up. It is left alone in the reconcile that
  // promotes: its scale-down starts only once the status naming the new stable is stored.
  const promote = (!post || post.kind === 'successful') && ready(view.newRS, replicas);
  const part: Part = {
    ...base,
    ...(pause ? { pause } : {}),
    ...(promote
      ? {
          active: view.hash,
          preview: view.hash,
          transition: { kind: 'promote', reason: updateDone(ctx.status, 'Completed blue-green update') },
        }
      : {}),
  };
  const old = scaleDownOld(ctx, promote ? [view.newRS] : [view.stableRS], services(bg, part));
  return {
    ...part,
    targets: [...part.targets, ...old.targets],
    ...(old.wakeAt ? { wakeAt: old.wakeAt } : {}),
    complete: promote,
  };
}

const analysing = (entry: RolloutAnalysisRunStatus | undefined) =>
  entry?.status === 'Pending' || entry?.status === 'Running';

/** A branch's part as the strategy's decision: its status, pauses, runs and events put together. */
function frame(ctx: DecisionContext, part: Part): StrategyDecision {
  const bg = bgOf(ctx);
  const gates = (part.gates ?? []).filter(
    (g): g is Exclude<GateOutcome, { kind: 'invalid' }> => !!g && g.kind !== 'invalid',
  );
  const invalid = (part.gates ?? []).find((g) => g?.kind === 'invalid');
  const blueGreen: BlueGreenStatus = { ...(ctx.status.blueGreen ?? {}), ...(part.status ?? {}) };
  if (part.active) blueGreen.activeSelector = part.active;
  if (part.preview && bg.previewService) blueGreen.previewSelector = part.preview;
  const pauses = applyPauseChanges(ctx.status.pauseConditions, [part.pause], ctx.nowIso);
  const gathered = gather([...gates, { wakeAt: part.wakeAt }]);
  return {
    replicaSets: part.targets,
    services: services(bg, part),
    ...gathered,
    status: { blueGreen },
    pauses,
    ...(part.transition ? { transition: part.transition } : {}),
    progress: {
      complete: part.complete ?? false,
      analysing:
        analysing(blueGreen.prePromotionAnalysisRunStatus) ||
        analysing(blueGreen.postPromotionAnalysisRunStatus),
    },
    ...(invalid?.kind === 'invalid' ? { invalid: invalid.message } : {}),
  };
}

export function decideBlueGreen(ctx: DecisionContext): StrategyDecision {
  const { view } = ctx;
  if (fullyPromoted(view)) return frame(ctx, promoted(ctx));
  if (ctx.status.abort) return frame(ctx, aborted(ctx));
  if (ctx.status.blueGreen?.activeSelector !== view.hash) return frame(ctx, previewing(ctx));
  return frame(ctx, switched(ctx));
}
