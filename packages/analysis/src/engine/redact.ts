// Secret arg values never leave the engine: every text it writes (measurement message, value and
// metadata, metric and run messages, events, errors) has each secret replaced by "*****".
import type { Measurement } from '@ramp/api';

export const REDACTED = '*****';

export interface Redactor {
  /** The text with every secret replaced. */
  text(value: string): string;
  /** A copy of the measurement with its message, value and metadata redacted. */
  measurement(m: Measurement): Measurement;
  /** Whether any secret is known (when none, redaction is the identity). */
  readonly active: boolean;
}

/** A redactor for these secret values (empty values are ignored; longer ones are replaced first). */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const list = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  const text = (value: string): string => {
    let out = value;
    for (const secret of list) out = out.split(secret).join(REDACTED);
    return out;
  };
  const measurement = (m: Measurement): Measurement => {
    if (list.length === 0) return m;
    const out: Measurement = { ...m };
    if (out.message !== undefined) out.message = text(out.message);
    if (out.value !== undefined) out.value = text(out.value);
    if (out.metadata !== undefined) {
      out.metadata = Object.fromEntries(Object.entries(out.metadata).map(([k, v]) => [text(k), text(v)]));
    }
    return out;
  };
  return { text, measurement, active: list.length > 0 };
}

export const noRedaction: Redactor = createRedactor([]);
