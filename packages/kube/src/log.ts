// The logging interface the kube adapter and the runtime write to: pino's shape (a pino Logger fits),
// so product code logs structured fields and tests can pass a silent logger.

export interface Log {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: Record<string, unknown>): Log;
}

/** Writes nothing. */
export const silentLog: Log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLog,
};

/** An error as log fields: its message, and its code and reason when it is a KubeApiError. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const { code, reason } = err as Error & { code?: unknown; reason?: unknown };
    return { err: err.message, ...(code !== undefined ? { code } : {}), ...(reason ? { reason } : {}) };
  }
  return { err: String(err) };
}
