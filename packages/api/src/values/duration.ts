// Durations as Argo reads them: Go duration strings ("30s", "1h30m", "1.5h", "300ms") and,
// where Argo takes an IntOrString (pause.duration), a bare number or numeric string of seconds.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Parses a Go duration string (time.ParseDuration). "0" alone is allowed, as in Go. */
export function parseGoDuration(text: string): DurationResult {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return { ok: true, ms: 0 };
  if (s === '') return { ok: false, reason: 'is empty' };
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return { ok: false, reason: 'has no unit' };
  if (!GO_DURATION.test(s)) return { ok: false, reason: 'is not a duration' };
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  if (s.startsWith('-')) ms = -ms;
  if (!Number.isFinite(ms) || Math.abs(ms) > 9.2e15) return { ok: false, reason: 'is too long' };
  return { ok: true, ms };
}

/** Argo's RolloutPause.DurationSeconds: an integer is seconds, a numeric string is seconds, else a Go duration. */
export function parseSecondsOrDuration(value: number | string): DurationResult {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { ok: false, reason: 'is not a whole number of seconds' };
    return { ok: true, ms: value * 1000 };
  }
  const s = value.trim();
  if (/^[+-]?\d+$/.test(s)) return { ok: true, ms: Number(s) * 1000 };
  return parseGoDuration(s);
}

/** "1h30m0s"-style text for messages (whole seconds; sub-second values in ms). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let rest = Math.round(ms / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
