// The blue-green strategy: the new revision behind the preview Service, checked by
// pre-promotion analysis, paused for a person (or autoPromotionSeconds), scaled to full, then the
// active Service switched; post-promotion analysis can still switch it back.
import {
  abortScaleDownDelaySecondsOf,
  autoPromotionEnabledOf,
  type BlueGreenStrategy,
  type RolloutStatus,
  replicasOf,
  scaleDownDelaySecondsOf,
} from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { PAUSE_REASON } from '../model/names';
import { passGate, retrying, userResumed } from './analysis-gate';
import type { StrategyFacts } from './finish-status';
import { addPause, clearPauses, pauseStart, recordAbort, settleAbortAndPromoteFull } from './pause-abort';
import type { PlanBuilder } from './plan-builder';
import { promoteStable, updateDone } from './promotion';
import { availableOf, hashOf, specReplicasOf } from './replica-sets';
import { ensureNewReplicaSet } from './revisions';
import { cancelScaleDown, scaleDownAfterDelay } from './scale-down-delay';
import { fullyPromoted } from './view';

type BlueGreenStatus = NonNullable<RolloutStatus['blueGreen']>;

function bgStatus(b: PlanBuilder): BlueGreenStatus {
  b.status.blueGreen = b.status.blueGreen ?? {};
  return b.status.blueGreen;
}

const ready = (rs: ReplicaSet | undefined, count: number, b: PlanBuilder): boolean =>
  !!rs && !b.plan.createReplicaSet && specReplicasOf(rs) === count && availableOf(rs) >= count;

function point(
  b: PlanBuilder,
  bg: BlueGreenStrategy,
  active: string | undefined,
  preview: string | undefined,
): void {
  const status = bgStatus(b);
  b.pointService(bg.activeService, active);
  b.pointService(bg.previewService ?? undefined, preview);
  if (active) status.activeSelector = active;
  if (preview && bg.previewService) status.previewSelector = preview;
}

/** Old revisions: the last stable waits scaleDownDelaySeconds, the rest go at once (scaleDownDelayRevisionLimit). */
function scaleDownOld(
  b: PlanBuilder,
  bg: BlueGreenStrategy,
  keep: readonly (ReplicaSet | undefined)[],
): void {
  const limit = bg.scaleDownDelayRevisionLimit;
  let delayed = 0;
  // A revision a Service still selects after this plan keeps its pods (there was nowhere with a pod
  // to move that Service to): it goes once the Service has moved on.
  const selected = new Set(
    [bg.activeService, bg.previewService].map((name) => (name ? b.selectorAfterPlan(name) : undefined)),
  );
  for (const rs of b.view.olderRSs) {
    if (keep.includes(rs) || selected.has(hashOf(rs))) continue;
    const withinLimit = limit === undefined || delayed < limit;
    if (specReplicasOf(rs) > 0 && withinLimit) delayed += 1;
    scaleDownAfterDelay(b, rs, withinLimit ? scaleDownDelaySecondsOf(bg) : 0);
  }
}

function promotionGate(b: PlanBuilder, bg: BlueGreenStrategy, inUse: Set<string>): 'go' | 'wait' {
  const status = bgStatus(b);
  if (bg.prePromotionAnalysis) {
    const request = { type: 'PrePromotion' as const, analysis: bg.prePromotionAnalysis };
    const verdict = passGate(
      b,
      request,
      status.prePromotionAnalysisRunStatus,
      (e) => {
        status.prePromotionAnalysisRunStatus = e;
      },
      inUse,
    );
    if (verdict !== 'successful') return 'wait';
  }
  if (status.scaleUpPreviewCheckPoint || b.status.promoteFull) return 'go';
  const autoSeconds = bg.autoPromotionSeconds ?? 0;
  const manual = !autoPromotionEnabledOf(bg);
  if (!manual && autoSeconds <= 0) return 'go';
  const start = pauseStart(b, PAUSE_REASON.blueGreen);
  if (!start) {
    if (userResumed(b) && b.view.previous.currentPodHash === b.view.hash) return 'go';
    addPause(b, PAUSE_REASON.blueGreen);
    if (manual) return 'wait';
    b.wakeAt(new Date(b.now.getTime() + autoSeconds * 1000));
    return 'wait';
  }
  if (!manual) {
    const end = new Date(start.getTime() + autoSeconds * 1000);
    if (b.now.getTime() >= end.getTime()) return 'go';
    b.wakeAt(end);
  }
  return 'wait';
}

function postPromotion(
  b: PlanBuilder,
  bg: BlueGreenStrategy,
  inUse: Set<string>,
): 'promote' | 'wait' | 'failed' {
  // promote --full skips analysis, as in Argo
  if (!bg.postPromotionAnalysis || b.status.promoteFull) return 'promote';
  const status = bgStatus(b);
  const request = { type: 'PostPromotion' as const, analysis: bg.postPromotionAnalysis };
  const verdict = passGate(
    b,
    request,
    status.postPromotionAnalysisRunStatus,
    (e) => {
      status.postPromotionAnalysisRunStatus = e;
    },
    inUse,
  );
  return verdict === 'successful' ? 'promote' : verdict === 'failed' ? 'failed' : 'wait';
}

export function decideBlueGreen(b: PlanBuilder, inUse: Set<string>): StrategyFacts {
  const { view } = b;
  const bg = view.rollout.spec.strategy?.blueGreen as BlueGreenStrategy;
  const replicas = replicasOf(view.rollout.spec);
  const status = bgStatus(b);
  if (view.newRevisionPushed || retrying(b)) {
    delete status.prePromotionAnalysisRunStatus;
    delete status.postPromotionAnalysisRunStatus;
    delete status.scaleUpPreviewCheckPoint;
    if (view.newRevisionPushed) {
      delete b.status.abort;
      delete b.status.abortedAt;
      delete b.status.promoteFull;
      delete b.status.pauseConditions;
      delete b.status.controllerPause;
    }
  }
  settleAbortAndPromoteFull(b);
  const stableRS = view.stableRS;
  const facts = (complete: boolean): StrategyFacts => ({
    complete,
    analysing:
      ['Pending', 'Running'].includes(status.prePromotionAnalysisRunStatus?.status ?? '') ||
      ['Pending', 'Running'].includes(status.postPromotionAnalysisRunStatus?.status ?? ''),
  });

  if (fullyPromoted(view)) {
    const newRS = ensureNewReplicaSet(b, replicas);
    b.scale(newRS, replicas);
    cancelScaleDown(b, newRS);
    // Services go to the new revision once it has a pod to serve, or at once when no revision has one
    // (a first deploy, or one whose first version never came up): there is nothing better.
    const nothingServes = view.snapshot.replicaSets.every((rs) => rs === newRS || availableOf(rs) === 0);
    if ((nothingServes || availableOf(newRS) > 0) && !b.plan.createReplicaSet)
      point(b, bg, view.hash, view.hash);
    promoteStable(b, view.initialDeploy ? 'Initial deploy' : 'Fast rollback');
    // Older revisions go (after their delay) once the stable can take the traffic: back to a stable
    // that has no pod to serve while others do, they stay.
    if (nothingServes || ready(newRS, replicas, b)) scaleDownOld(b, bg, [newRS]);
    return facts(ready(newRS, replicas, b) && status.activeSelector === view.hash);
  }

  const previewCount = Math.min(bg.previewReplicaCount ?? replicas, replicas);
  const newRS = ensureNewReplicaSet(b, 0);
  if (stableRS) {
    b.scale(stableRS, Math.max(specReplicasOf(stableRS), replicas));
    cancelScaleDown(b, stableRS);
  }
  // The stable's hash, while it has a pod to serve: a Service is never moved onto a revision without
  // one (a first deploy that never came up is no place to send traffic back to).
  const stableHash = stableRS && availableOf(stableRS) > 0 ? view.stableHash : undefined;

  if (b.status.abort) {
    recordAbort(b);
    point(b, bg, stableHash, stableHash);
    scaleDownAfterDelay(b, newRS, abortScaleDownDelaySecondsOf(bg));
    scaleDownOld(b, bg, [stableRS]);
    return facts(false);
  }
  if (retrying(b)) delete b.status.abortedAt;

  const switched = status.activeSelector === view.hash;
  if (!switched) {
    const promoted = status.scaleUpPreviewCheckPoint || b.status.promoteFull;
    const target = promoted ? replicas : previewCount;
    b.scale(newRS, target);
    cancelScaleDown(b, newRS);
    const previewServes = !b.plan.createReplicaSet && availableOf(newRS) > 0;
    // Where the Services go, decided once: a Service is pointed once per reconcile, so the status'
    // selectors always say where its one write sends it.
    let activeTarget = stableHash;
    let previewTarget = previewServes ? view.hash : stableHash;
    if (!view.rollout.spec.paused && ready(newRS, target, b)) {
      if (!promoted && promotionGate(b, bg, inUse) === 'go') {
        status.scaleUpPreviewCheckPoint = true;
        clearPauses(b);
        b.scale(newRS, replicas);
      } else if (promoted && ready(newRS, replicas, b)) {
        activeTarget = view.hash;
        previewTarget = view.hash;
      }
    } else if (bg.prePromotionAnalysis && status.prePromotionAnalysisRunStatus) {
      inUse.add(status.prePromotionAnalysisRunStatus.name);
    }
    point(b, bg, activeTarget, previewTarget);
    scaleDownOld(b, bg, [stableRS]);
    return facts(false);
  }

  // Active already serves the new revision: post-promotion analysis decides whether it stays.
  const post = postPromotion(b, bg, inUse);
  if (post === 'failed') {
    point(b, bg, stableHash, stableHash);
    return facts(false);
  }
  // The new ReplicaSet becomes the stable only with all its pods available (they may have gone
  // since the switch); until then the old stable stays up.
  const promoted = post === 'promote' && ready(newRS, replicas, b);
  if (promoted) {
    promoteStable(b, updateDone(b, 'Completed blue-green update'));
    point(b, bg, view.hash, view.hash);
  }
  // The old stable is left alone in the reconcile that promotes: its scale-down starts (after the
  // delay) only once the status naming the new stable is stored, so a lost status write can never
  // leave the recorded stable without pods.
  scaleDownOld(b, bg, promoted ? [newRS] : [stableRS]);
  return facts(promoted);
}
