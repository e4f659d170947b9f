// The chaos script, planned from the seed alone before the run starts: at seeded moments, one of the
// fleet's Rollouts gets a new good image, a crash-looping one (tag ending in `bad`), an earlier image
// again (a rollback, good or bad), an abort, a retry (only after the script aborted it), a promote
// (pause conditions cleared) or a promote-full. The plan does not depend on what the cluster does, so a
// seed always gives the same script (the controller's timing still varies from run to run).
import { mulberry32 } from '@ramp/testkit';
import { imageAt } from './fleet';

export type ActionKind = 'set-image' | 'abort' | 'retry' | 'promote' | 'promote-full';

export interface Action {
  /** When, in ms from the start of the script. */
  atMs: number;
  rollout: string;
  kind: ActionKind;
  /** set-image: the image. */
  image?: string;
  /** set-image: a new good version, a new bad one, or an earlier image again. */
  why?: 'new' | 'bad' | 'rollback';
}

interface Model {
  version: number;
  image: string;
  /** Images it had, oldest first, without repeats. */
  history: string[];
  /** The script aborted it and has not retried or changed its image since. */
  aborted: boolean;
}

type Choice = 'new' | 'bad' | 'rollback' | 'abort' | 'retry' | 'promote' | 'promote-full';

/** Relative weights; retry only counts for a Rollout the script aborted. */
const WEIGHTS: Record<Choice, number> = {
  new: 22,
  bad: 14,
  rollback: 14,
  abort: 14,
  retry: 30,
  promote: 16,
  'promote-full': 8,
};

function choose(random: () => number, model: Model): Choice {
  const options = (Object.keys(WEIGHTS) as Choice[]).filter((c) => c !== 'retry' || model.aborted);
  const total = options.reduce((sum, c) => sum + WEIGHTS[c], 0);
  let r = random() * total;
  for (const c of options) {
    r -= WEIGHTS[c];
    if (r < 0) return c;
  }
  return options.at(-1)!;
}

export interface ScriptOptions {
  seed: number;
  rollouts: readonly string[];
  durationMs: number;
  /** Time between two actions, drawn uniformly in [min, max] ms. */
  gapMs?: [number, number];
}

export function planScript({ seed, rollouts, durationMs, gapMs = [120, 600] }: ScriptOptions): Action[] {
  const random = mulberry32(seed);
  const models = new Map<string, Model>(
    rollouts.map((name) => [
      name,
      { version: 1, image: imageAt(name, 1), history: [imageAt(name, 1)], aborted: false },
    ]),
  );
  const actions: Action[] = [];
  let at = gapMs[0] + random() * (gapMs[1] - gapMs[0]);
  while (at < durationMs) {
    const rollout = rollouts[Math.floor(random() * rollouts.length)]!;
    const model = models.get(rollout)!;
    const choice = choose(random, model);
    const atMs = Math.round(at);
    if (choice === 'new' || choice === 'bad' || choice === 'rollback') {
      const earlier = model.history.filter((image) => image !== model.image);
      let image: string;
      let why: 'new' | 'bad' | 'rollback' = choice;
      if (choice === 'rollback' && earlier.length > 0) {
        image = earlier[Math.floor(random() * earlier.length)]!;
      } else {
        why = choice === 'bad' ? 'bad' : 'new';
        model.version += 1;
        image = imageAt(rollout, model.version, why === 'bad');
      }
      model.image = image;
      if (!model.history.includes(image)) model.history.push(image);
      model.aborted = false;
      actions.push({ atMs, rollout, kind: 'set-image', image, why });
    } else {
      if (choice === 'abort') model.aborted = true;
      if (choice === 'retry') model.aborted = false;
      actions.push({ atMs, rollout, kind: choice });
    }
    at += gapMs[0] + random() * (gapMs[1] - gapMs[0]);
  }
  return actions;
}

export function describeAction(a: Action): string {
  const when = `+${(a.atMs / 1000).toFixed(1)}s`.padStart(7);
  const what = a.kind === 'set-image' ? `set-image ${a.image} (${a.why})` : a.kind;
  return `${when} ${a.rollout} ${what}`;
}
