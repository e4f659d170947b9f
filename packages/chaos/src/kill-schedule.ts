// When the controller is SIGKILLed, and for how long it stays down, planned from the seed: `count`
// moments spread over the chaos window (uniform, sorted), each followed by a restart after a seeded
// delay; a kill never comes before the previous restart plus a moment, and none after the window.
import { mulberry32 } from '@ramp/testkit';

export interface Kill {
  /** ms from the start of the chaos window. */
  atMs: number;
  /** How long the controller stays down before it is started again. */
  downMs: number;
}

export interface KillOptions {
  seed: number;
  count: number;
  durationMs: number;
  downMs?: [number, number];
  /** The least time the controller runs between a restart and the next kill. */
  minUpMs?: number;
}

export function planKills({
  seed,
  count,
  durationMs,
  downMs = [100, 1500],
  minUpMs = 200,
}: KillOptions): Kill[] {
  // Its own stream, so the kills do not move when the script's length changes.
  const random = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  const moments = Array.from({ length: count }, () => Math.round((0.03 + 0.9 * random()) * durationMs)).sort(
    (a, b) => a - b,
  );
  const kills: Kill[] = [];
  let earliest = 0;
  for (const moment of moments) {
    const atMs = Math.max(moment, earliest);
    const down = Math.round(downMs[0] + random() * (downMs[1] - downMs[0]));
    if (atMs + down >= durationMs) break;
    kills.push({ atMs, downMs: down });
    earliest = atMs + down + minUpMs + Math.round(random() * minUpMs);
  }
  return kills;
}
