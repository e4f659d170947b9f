/** A tiny leveled logger writing to stderr. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, silent: 3 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export function createLogger(
  level: LogLevel = 'warn',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const at = (l: LogLevel) => (message: string) => {
    if (ORDER[l] >= ORDER[level] && level !== 'silent')
      write(`${new Date().toISOString()} testkit ${l}: ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn') };
}

export function isLogLevel(value: string): value is LogLevel {
  return value in ORDER;
}
