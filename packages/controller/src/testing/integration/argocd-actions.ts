// Argo CD's view of a Rollout, as its resource customizations for argoproj.io/Rollout define it
// (argo-cd resource_customizations/argoproj.io/Rollout: health.lua, actions/discovery.lua and the
// action scripts), restated here as the facts they encode: the health Argo CD shows, which actions
// it offers, and the change each action makes. Argo CD applies an action's change as merge patches
// of the object and of its status subresource, which is what `runAction` does.
import type { Rollout } from '@ramp/api';
import type { Harness } from './harness';

export type ArgoCdAction =
  | 'restart'
  | 'resume'
  | 'abort'
  | 'retry'
  | 'pause'
  | 'promote-full'
  | 'skip-current-step';

/** health.lua, for a Rollout whose status has a phase (Ramp always writes one). */
export function argoCdHealth(ro: Rollout): { status: string; message: string } {
  const observed = Number(ro.status?.observedGeneration);
  if (!ro.status || (Number.isFinite(observed) && observed !== (ro.metadata.generation ?? 0)))
    return { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' };
  const phase = ro.status.phase ?? '';
  return { status: phase === 'Paused' ? 'Suspended' : phase, message: ro.status.message ?? '' };
}

/** discovery.lua: the actions Argo CD offers (enabled) for the Rollout as it is. */
export function argoCdActions(ro: Rollout): Set<ArgoCdAction> {
  const status = ro.status ?? {};
  const paused = status.pauseConditions ? status.pauseConditions.length > 0 : !!ro.spec.paused;
  const fullyPromoted = status.currentPodHash === status.stableRS;
  const steps = ro.spec.strategy?.canary?.steps;
  const enabled = new Set<ArgoCdAction>(['restart']);
  if (paused) enabled.add('resume');
  if (!fullyPromoted && !status.abort) enabled.add('abort');
  if (!fullyPromoted && status.abort) enabled.add('retry');
  if (!fullyPromoted && !status.abort && !ro.spec.paused) enabled.add('pause');
  if (ro.status && !fullyPromoted) enabled.add('promote-full');
  if (ro.spec.strategy?.canary && steps && status.currentStepIndex !== steps.length)
    enabled.add('skip-current-step');
  return enabled;
}

/** What each action script changes: [spec fields, status fields] (null removes a field). */
function changes(ro: Rollout, action: ArgoCdAction): [Record<string, unknown>, Record<string, unknown>] {
  const status = ro.status ?? {};
  switch (action) {
    case 'abort':
      return [{}, { abort: true }];
    case 'retry':
      return [{}, { abort: null }];
    case 'pause':
      return [{ paused: true }, {}];
    case 'promote-full':
      return [{}, { promoteFull: true }];
    case 'restart':
      return [{ restartAt: `${new Date().toISOString().slice(0, 19)}Z` }, {}];
    case 'resume':
      return [
        ro.spec.paused ? { paused: false } : {},
        (status.pauseConditions ?? []).length > 0 ? { pauseConditions: null } : {},
      ];
    case 'skip-current-step': {
      const steps = ro.spec.strategy?.canary?.steps ?? [];
      const index = status.currentStepIndex ?? 0;
      if (index >= steps.length) return [{}, {}];
      return [
        {},
        {
          ...((status.pauseConditions ?? []).length > 0 ? { pauseConditions: null } : {}),
          currentStepIndex: index + 1,
        },
      ];
    }
  }
}

/** Runs an action as Argo CD does; refuses one that Argo CD would not offer. */
export async function runAction(h: Harness, name: string, action: ArgoCdAction): Promise<void> {
  const ro = h.rollout(name);
  if (!argoCdActions(ro).has(action)) throw new Error(`Argo CD does not offer ${action} on ${name} now`);
  const [spec, status] = changes(ro, action);
  if (Object.keys(spec).length > 0) await h.patchSpec(name, spec);
  if (Object.keys(status).length > 0) await h.patchRolloutStatus(name, status);
}
