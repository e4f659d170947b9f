// The controller's logger: pino, JSON lines by default, or `--log-format text` for people (a tiny
// formatter stream instead of a pino-pretty dependency). Lines about a Rollout carry namespace, rollout
// and revision; lines about an AnalysisRun namespace, analysisrun and revision (child loggers bound by
// the reconcilers).
import pino, { type Logger } from 'pino';
import type { LogFormat, LogLevel } from './flags';

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go (default stdout). */
  out?: { write(text: string): unknown };
}

const FIRST_FIELDS = ['namespace', 'rollout', 'analysisrun', 'revision'];
const HIDDEN = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

function fieldValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** One JSON log line as `2025-01-01T00:00:00.000Z INFO  message namespace=a rollout=b key=value`. */
export function formatTextLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const keys = [
    ...FIRST_FIELDS.filter((k) => k in entry),
    ...Object.keys(entry).filter((k) => !HIDDEN.has(k) && !FIRST_FIELDS.includes(k)),
  ];
  const fields = keys.map((k) => `${k}=${fieldValue(entry[k])}`).join(' ');
  const level = String(entry.level ?? '')
    .toUpperCase()
    .padEnd(5);
  return `${String(entry.time ?? '')} ${level} ${String(entry.msg ?? '')}${fields ? ` ${fields}` : ''}\n`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? process.stdout;
  const pinoOptions = {
    level: options.level ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.format === 'text') {
    return pino(pinoOptions, { write: (line: string) => out.write(formatTextLine(line)) });
  }
  return options.out ? pino(pinoOptions, { write: (line: string) => out.write(line) }) : pino(pinoOptions);
}
