// Text helpers of the views: ages as kubectl prints them, colour, and columns aligned by visible width.

/** kubectl's age format (k8s.io/apimachinery duration.HumanDuration): 45s, 3m20s, 5h10m, 3d4h, 2y10d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) {
    return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  }
  return `${Math.floor(days / 365)}y`;
}

/** The age of an object created at `timestamp` (RFC 3339), at `now`. */
export function age(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '-';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '-' : humanDuration(now.getTime() - t);
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 94 } as const;
export type Color = keyof typeof CODES;

/** Paints text, or leaves it alone (no colour when stdout is not a terminal, or NO_COLOR). */
export type Paint = (text: string, color: Color | undefined) => string;

export const noPaint: Paint = (text) => text;
export const ansiPaint: Paint = (text, color) => (color ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text);

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** Columns a string takes on a terminal: escapes take none; every code point one. */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - visibleWidth(text)));

/** Rows as columns separated by `gap` spaces, each as wide as its widest cell; no trailing spaces. */
export function columns(rows: readonly (readonly string[])[], gap = 2): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, (widths[i] ?? 0) + gap)))
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** `Label:` and value lines, values starting at column 17 as in Argo's plugin. */
export function field(label: string, value: string | number): string {
  return `${pad(label, 17)}${value}`.trimEnd() + '\n';
}
