// What a walk changes in a corpus Rollout before creating it, so that it walks in seconds: every
// timed pause lasts 1 s (a number stays a number: `10` → `1`, `2m` → `1s`), and scaleDownDelaySeconds
// and abortScaleDownDelaySeconds above 2 become 2. A Rollout that runs analysis is refused: its
// templates would have to point at a local metric server first, and the examples' own addresses are
// never called.
import type { Manifest } from './corpus-example';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_DELAY_SECONDS = 2;
const DELAYS = ['scaleDownDelaySeconds', 'abortScaleDownDelaySeconds'] as const;

export interface ShortenedRollout {
  rollout: Manifest;
  /** Each change, as `field: before → after`. */
  changes: string[];
}

/** A copy of `rollout` with its waits shortened; throws when it runs analysis. */
export function shortenWaits(rollout: Manifest): ShortenedRollout {
  const copy = structuredClone(rollout);
  const changes: string[] = [];
  const strategy = isObj(copy.spec?.strategy) ? copy.spec.strategy : {};
  for (const [name, s] of Object.entries(strategy)) {
    if (!isObj(s)) continue;
    const at = `spec.strategy.${name}`;
    for (const field of ['analysis', 'prePromotionAnalysis', 'postPromotionAnalysis'])
      if (s[field] !== undefined && s[field] !== null)
        throw new Error(`${at}.${field}: the walk does not run analysis against the example's addresses`);
    for (const field of DELAYS) {
      const delay = s[field];
      if (typeof delay === 'number' && delay > MAX_DELAY_SECONDS) {
        s[field] = MAX_DELAY_SECONDS;
        changes.push(`${at}.${field}: ${delay} → ${MAX_DELAY_SECONDS}`);
      }
    }
    (Array.isArray(s.steps) ? s.steps : []).forEach((step: unknown, i) => {
      if (!isObj(step)) return;
      if (step.analysis !== undefined || step.experiment !== undefined)
        throw new Error(`${at}.steps[${i}]: the walk does not run analysis against the example's addresses`);
      const pause = step.pause;
      if (!isObj(pause) || pause.duration === undefined || pause.duration === null) return;
      const before = pause.duration;
      pause.duration = typeof before === 'number' ? 1 : '1s';
      changes.push(
        `${at}.steps[${i}].pause.duration: ${JSON.stringify(before)} → ${JSON.stringify(pause.duration)}`,
      );
    });
  }
  return { rollout: copy, changes };
}
