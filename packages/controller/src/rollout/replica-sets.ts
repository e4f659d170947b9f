// A Rollout's ReplicaSets: which one is new (the current template), which is stable, which are
// older; their revisions; and the ReplicaSet object for a new revision.
import { type PodTemplateSpec, type Rollout, replicasOf, sameTemplate } from '@ramp/api';
import { withoutUndefined } from '@ramp/kube';
import type { ReplicaSetCounts } from '../canary';
import type { ReplicaSet } from '../model/kube-objects';
import {
  DESIRED_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  replicaSetName,
} from '../model/names';

export const revisionOf = (rs: ReplicaSet): number => {
  const n = Number(rs.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
};

export const hashOf = (rs: ReplicaSet): string | undefined => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];

export const specReplicasOf = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;
export const availableOf = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0;

export function maxRevision(replicaSets: readonly ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Newest revision first. */
export function byRevisionDesc(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(b) - revisionOf(a) || (a.metadata.name < b.metadata.name ? -1 : 1);
}

/**
 * True when every field the Rollout's template sets has the same value in the ReplicaSet's
 * template. The API server adds defaults to a ReplicaSet's pod template (dnsPolicy,
 * terminationMessagePath, ...), so a ReplicaSet created from this template by another controller
 * carries more fields, never different ones.
 */
export function templateCovers(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      wanted.length === actual.length &&
      wanted.every((w, i) => templateCovers(w, actual[i]))
    );
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([k, v]) => v === undefined || templateCovers(v, a[k]));
  }
  return wanted === actual;
}

function withoutHashLabel(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

/**
 * The ReplicaSet of the current template: the one labelled with its hash; else (adopting
 * ReplicaSets created by another controller, such as Argo Rollouts, whose hash differs) one whose
 * template matches.
 */
export function findNewReplicaSet(
  replicaSets: readonly ReplicaSet[],
  template: PodTemplateSpec,
  hash: string,
): ReplicaSet | undefined {
  const byHash = replicaSets.find((rs) => hashOf(rs) === hash);
  if (byHash) return byHash;
  const wanted = withoutHashLabel(template);
  return [...replicaSets]
    .sort(byRevisionDesc)
    .find(
      (rs) =>
        sameTemplate(rs.spec.template, wanted) || templateCovers(wanted, withoutHashLabel(rs.spec.template)),
    );
}

export function toCounts(rs: ReplicaSet | undefined): ReplicaSetCounts | undefined {
  if (!rs) return undefined;
  return {
    name: rs.metadata.name,
    specReplicas: specReplicasOf(rs),
    availableReplicas: availableOf(rs),
    currentReplicas: rs.status?.replicas ?? 0,
  };
}

/** The ReplicaSet for a new revision of the Rollout's template. */
export function buildReplicaSet(
  rollout: Rollout,
  hash: string,
  revision: number,
  replicas: number,
): ReplicaSet {
  const template = withoutUndefined(rollout.spec.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const matchLabels = { ...(rollout.spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSetName(rollout.metadata.name ?? '', hash),
      namespace: rollout.metadata.namespace ?? 'default',
      labels,
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(replicasOf(rollout.spec)),
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: rollout.metadata.name ?? '',
          uid: rollout.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas,
      minReadySeconds: rollout.spec.minReadySeconds ?? 0,
      selector: { ...(rollout.spec.selector ?? {}), matchLabels },
      template,
    },
  };
}
