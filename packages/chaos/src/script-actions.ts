// The script's actions, made through testkit's store (no HTTP, so no injected fault hits them), as the
// people and tools of an Argo Rollouts install make them: the image with a JSON patch of the spec (as
// `kubectl argo rollouts set image`), the rest as merge patches of the status subresource, as Argo CD's
// actions and the kubectl plugin send them (packages/cli/src/commands/rollout-actions.ts): abort
// {abort: true}, retry {abort: false}, promote {pauseConditions: null} (Argo CD's resume), promote-full
// {promoteFull: true}. And the finale, which ends what the script started.
import { badImagePredicate, type ClusterStore } from '@ramp/testkit';
import { NAMESPACE, RO } from './fleet';
import { imageOfRollout, type RolloutState, replicaSetOfHash } from './rollout-state';
import type { Action } from './script-plan';

export const isBadImage = badImagePredicate(undefined);

const STATUS_PATCHES = {
  abort: { abort: true },
  retry: { abort: false },
  promote: { pauseConditions: null },
  'promote-full': { promoteFull: true },
} as const;

/** Makes the action; returns the error when the store refused it (the run records it). */
export function applyAction(store: ClusterStore, action: Action): string | undefined {
  try {
    if (action.kind === 'set-image') {
      const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: action.image }];
      store.patch(RO, 'Rollout', action.rollout, NAMESPACE, patch, 'json');
    } else {
      store.patchStatus(RO, 'Rollout', action.rollout, NAMESPACE, { status: STATUS_PATCHES[action.kind] });
    }
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The script's last word, once faults and kills are over, for each Rollout as it is then: a bad image
 * is aborted (if it is not already); a good one is retried if aborted, then promoted fully unless its
 * stable ReplicaSet already runs it. So every Rollout has one end state to converge to: Healthy on its
 * image, or aborted back to its stable (see convergence.ts).
 */
export function finaleActions(states: RolloutState[], atMs: number): Action[] {
  const actions: Action[] = [];
  for (const state of states) {
    const rollout = state.rollout.metadata.name ?? '';
    const status = state.rollout.status ?? {};
    const image = imageOfRollout(state.rollout);
    if (isBadImage(image)) {
      if (status.abort !== true) actions.push({ atMs, rollout, kind: 'abort' });
      continue;
    }
    if (status.abort === true) actions.push({ atMs, rollout, kind: 'retry' });
    if (replicaSetOfHash(state, status.stableRS)?.image !== image)
      actions.push({ atMs, rollout, kind: 'promote-full' });
  }
  return actions;
}
