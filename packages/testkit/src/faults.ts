/**
 * Seeded, deterministic fault injection: errors (500/503/429 with Retry-After), added latency, watch streams
 * cut every N seconds, write conflicts. The same seed and the same sequence of requests give the same faults.
 *
 * Spec string: `error=0.05,latency=20-80ms,watch-cut=10s,conflict=0.1,seed=42`
 *   error=P        fraction of requests answered with an error (codes= chooses among them, default 500/503/429)
 *   codes=A/B/C    the error codes to draw from (500, 503, 429)
 *   retry-after=D  the Retry-After of 429s and 503s (default 1s)
 *   latency=D|A-B  added latency, fixed or uniform in a range (ms or s)
 *   watch-cut=D    watch streams are ended (cleanly, as on a server timeout) after D
 *   conflict=P     fraction of writes (PUT, PATCH) answered 409 Conflict
 *   seed=N         PRNG seed (default 1)
 */

import { mulberry32 } from './prng';

export interface FaultSpec {
  /** Fraction (0..1) of requests answered with an error. */
  errorRate?: number;
  errorCodes?: (500 | 503 | 429)[];
  retryAfterSeconds?: number;
  latencyMs?: number | [number, number];
  watchCutMs?: number;
  /** Fraction (0..1) of PUT/PATCH requests answered 409 Conflict. */
  conflictRate?: number;
  seed?: number;
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}" (expected e.g. 50ms, 2s, 1m)`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}

function fraction(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new Error(`fault ${name}: expected a fraction between 0 and 1, got "${text}"`);
  return n;
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out: FaultSpec = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault "${part}": expected name=value`);
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (name) {
      case 'error':
        out.errorRate = fraction(name, value);
        break;
      case 'codes': {
        const codes = value.split(/[/|]/).map(Number);
        for (const c of codes)
          if (c !== 500 && c !== 503 && c !== 429)
            throw new Error(`fault codes: ${c} is not one of 500, 503, 429`);
        out.errorCodes = codes as (500 | 503 | 429)[];
        break;
      }
      case 'retry-after':
        out.retryAfterSeconds = Math.max(0, Math.round(parseDuration(value) / 1000));
        break;
      case 'latency': {
        const m = /^(\d+(?:\.\d+)?)(ms|s)?-(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
        if (m) {
          const unit = m[4] ?? m[2] ?? 'ms';
          out.latencyMs = [parseDuration(m[1]! + (m[2] ?? unit)), parseDuration(m[3]! + unit)];
        } else out.latencyMs = parseDuration(value);
        break;
      }
      case 'watch-cut':
        out.watchCutMs = parseDuration(value);
        break;
      case 'conflict':
        out.conflictRate = fraction(name, value);
        break;
      case 'seed': {
        const n = Number(value);
        if (!Number.isInteger(n)) throw new Error(`fault seed: expected an integer, got "${value}"`);
        out.seed = n;
        break;
      }
      default:
        throw new Error(
          `unknown fault "${name}" (known: error, codes, retry-after, latency, watch-cut, conflict, seed)`,
        );
    }
  }
  return out;
}

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; code: 500 | 503 | 429; latencyMs: number }
  | { kind: 'conflict'; latencyMs: number };

export class FaultInjector {
  private random: () => number;
  /** Writes to these resources (by plural) answered 500 while their count lasts: failWrites(). */
  private readonly failing = new Map<string, number>();

  constructor(private spec: FaultSpec = {}) {
    this.random = mulberry32(spec.seed ?? 1);
  }

  get watchCutMs(): number | undefined {
    return this.spec.watchCutMs;
  }

  get retryAfterSeconds(): number {
    return this.spec.retryAfterSeconds ?? 1;
  }

  /** Replaces the spec (and restarts the PRNG from its seed). */
  configure(spec: FaultSpec): void {
    this.spec = spec;
    this.random = mulberry32(spec.seed ?? 1);
  }

  /**
   * The next `count` writes (POST, PUT, PATCH, DELETE) to the resource `plural` are answered 500, for a
   * test to stop a client between two writes as a crash would (0 stops failing them).
   */
  failWrites(plural: string, count: number): void {
    if (count > 0) this.failing.set(plural, count);
    else this.failing.delete(plural);
  }

  /** Whether this request is one failWrites() asked to fail (counting it down). Draws nothing. */
  failsWrite(method: string, plural: string | undefined): boolean {
    if (method === 'GET' || plural === undefined) return false;
    const left = this.failing.get(plural);
    if (!left) return false;
    this.failWrites(plural, left - 1);
    return true;
  }

  /** Decides the fate of one request. Draws the same number of values every time, so runs stay aligned. */
  decide(method: string): FaultDecision {
    const s = this.spec;
    const rError = this.random();
    const rCode = this.random();
    const rLatency = this.random();
    const rConflict = this.random();
    let latencyMs = 0;
    if (typeof s.latencyMs === 'number') latencyMs = s.latencyMs;
    else if (s.latencyMs) latencyMs = s.latencyMs[0] + rLatency * (s.latencyMs[1] - s.latencyMs[0]);
    if (s.errorRate && rError < s.errorRate) {
      const codes = s.errorCodes && s.errorCodes.length > 0 ? s.errorCodes : ([500, 503, 429] as const);
      const code = codes[Math.min(codes.length - 1, Math.floor(rCode * codes.length))]!;
      return { kind: 'error', code, latencyMs };
    }
    if (s.conflictRate && (method === 'PUT' || method === 'PATCH') && rConflict < s.conflictRate) {
      return { kind: 'conflict', latencyMs };
    }
    return { kind: 'none', latencyMs };
  }
}
