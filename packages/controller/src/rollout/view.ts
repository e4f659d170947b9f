// The facts every decision about a Rollout starts from: its revisions (new, stable, older), the
// current pod-template hash and revision, and the status it had.
import { podTemplateHash, type Rollout, type RolloutStatus } from '@ramp/api';
import type { ReplicaSet } from '../model/kube-objects';
import { POD_TEMPLATE_HASH_LABEL, replicaSetName } from '../model/names';
import type { RolloutSnapshot } from '../model/snapshot';
import { trafficServices } from '../routing/ping-pong';
import {
  availableOf,
  byRevisionDesc,
  findNewReplicaSet,
  hashOf,
  maxRevision,
  revisionOf,
} from './replica-sets';

export interface RolloutView {
  snapshot: RolloutSnapshot;
  rollout: Rollout;
  name: string;
  namespace: string;
  /** The status before this reconcile (never mutated). */
  previous: RolloutStatus;
  /** Hash of the current template (the label its ReplicaSet carries). */
  hash: string;
  /** The ReplicaSet of the current template, if it exists. */
  newRS?: ReplicaSet;
  /** Its name (the one to create when it does not exist). */
  newRSName: string;
  /** The revision the current template has (or gets, when its ReplicaSet is created or revived). */
  revision: number;
  /** The ReplicaSet last fully promoted, when it exists and differs from the new one. */
  stableRS?: ReplicaSet;
  /** Hash of the stable revision; equals `hash` when fully promoted. */
  stableHash?: string;
  /** ReplicaSets neither new nor stable, newest first. */
  olderRSs: ReplicaSet[];
  /** No stable revision exists and no other revision has an available pod: the first deploy. */
  initialDeploy: boolean;
  /** The template changed since the last reconcile (a new revision was pushed). */
  newRevisionPushed: boolean;
}

/**
 * The stable when status.stableRS names no ReplicaSet (its write was lost, the status was wiped, or
 * the ReplicaSet deleted) while revisions still have available pods: the one the stable (or active)
 * Service selects, else the other revision with the most available pods, newest first. Without it,
 * such a Rollout would look like a first deploy and go to the new revision at once, pods ready or
 * not.
 */
function servingStable(
  snapshot: RolloutSnapshot,
  live: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
): ReplicaSet | undefined {
  const serving = live.filter((rs) => availableOf(rs) > 0);
  const { canary, blueGreen } = snapshot.rollout.spec.strategy ?? {};
  const serviceName = blueGreen
    ? blueGreen.activeService
    : canary?.trafficRouting
      ? trafficServices(snapshot.rollout).stable || undefined
      : canary?.stableService;
  const selected = serviceName
    ? snapshot.services.get(serviceName)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]
    : undefined;
  // The Service's choice may be the new revision itself: then it already is the stable.
  const bySelector = selected ? serving.find((rs) => hashOf(rs) === selected) : undefined;
  const others = serving.filter((rs) => rs !== newRS);
  return bySelector ?? others.sort((a, b) => availableOf(b) - availableOf(a) || byRevisionDesc(a, b))[0];
}

export function buildView(snapshot: RolloutSnapshot): RolloutView {
  const { rollout } = snapshot;
  const previous = rollout.status ?? {};
  const live = snapshot.replicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const computed = podTemplateHash(rollout.spec.template ?? {}, previous.collisionCount ?? 0);
  const newRS = findNewReplicaSet(live, rollout.spec.template ?? {}, computed);
  const hash = (newRS && hashOf(newRS)) ?? computed;
  const top = maxRevision(live);
  const revision = newRS && revisionOf(newRS) === top && top > 0 ? top : top + 1;
  const recorded = previous.stableRS ? live.find((rs) => hashOf(rs) === previous.stableRS) : undefined;
  const stableCandidate = recorded ?? servingStable(snapshot, live, newRS);
  const initialDeploy = !stableCandidate;
  const stableHash = initialDeploy ? hash : stableCandidate && hashOf(stableCandidate);
  const stableRS = stableCandidate && stableCandidate !== newRS ? stableCandidate : undefined;
  return {
    snapshot,
    rollout,
    name: rollout.metadata.name ?? '',
    namespace: rollout.metadata.namespace ?? 'default',
    previous,
    hash,
    ...(newRS ? { newRS } : {}),
    newRSName: newRS?.metadata.name ?? replicaSetName(rollout.metadata.name ?? '', hash),
    revision,
    ...(stableRS ? { stableRS } : {}),
    ...(stableHash ? { stableHash } : {}),
    olderRSs: live.filter((rs) => rs !== newRS && rs !== stableRS).sort(byRevisionDesc),
    initialDeploy,
    newRevisionPushed: previous.currentPodHash !== undefined && previous.currentPodHash !== hash,
  };
}

/** The rollout has finished its update: the current template is the stable one. */
export const fullyPromoted = (view: RolloutView): boolean => view.stableHash === view.hash;
