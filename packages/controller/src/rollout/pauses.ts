// Pause conditions as values: a strategy starts from the list the lifecycle left, adds the pauses it
// waits in and ends the ones that are over, and returns the list (compose.ts writes it, with
// controllerPause, into the status). The RolloutPaused and RolloutResumed events come from
// finish-status.ts, which sees the list change.
import type { PauseCondition } from '@ramp/api';
import type { PAUSE_REASON } from '../model/names';
import type { PauseOutcome } from './decision';

export type PauseReason = (typeof PAUSE_REASON)[keyof typeof PAUSE_REASON];

/** When the pause for `reason` started, if there is one. */
export function pauseStart(conditions: readonly PauseCondition[], reason: PauseReason): Date | undefined {
  const found = conditions.find((p) => p.reason === reason);
  return found ? new Date(found.startTime) : undefined;
}

/** A change of the pause list: a pause starts (now), one ends, or all end. */
export type PauseChange = { add: PauseReason } | { remove: PauseReason } | { clear: true };

/** The pause list after `changes`, in order; `added` when one of them started a pause. */
export function applyPauseChanges(
  from: readonly PauseCondition[] | undefined,
  changes: readonly (PauseChange | undefined)[],
  nowIso: string,
): PauseOutcome {
  let conditions = [...(from ?? [])];
  let added = false;
  for (const change of changes) {
    if (!change) continue;
    if ('clear' in change) conditions = [];
    else if ('remove' in change) conditions = conditions.filter((p) => p.reason !== change.remove);
    else if (!conditions.some((p) => p.reason === change.add)) {
      conditions.push({ reason: change.add, startTime: nowIso });
      added = true;
    }
  }
  return { conditions, added };
}
