// The one interface every metric provider implements (prometheus, web, job, ...). A provider
// knows how to take one measurement; the engine knows when, and how to judge the value.
import type { Measurement, Metric } from '@ramp/api';

export interface ProviderContext {
  /** Aborted when the run is terminated or the caller gives up; providers stop their I/O. */
  signal?: AbortSignal;
  /** The injected clock. */
  now(): Date;
}

/**
 * What one measurement produced:
 * - `value`: the result the conditions see as `result` (a number, number[], string, object, ...);
 * - `error`: the measurement could not be taken or read (phase Error, with this message);
 * - `running`: a long-running measurement (a Job) that the engine resumes at `resumeAt`.
 */
export type ProviderOutcome =
  | { kind: 'value'; value: unknown; metadata?: Record<string, string> }
  | { kind: 'error'; message: string; metadata?: Record<string, string> }
  | { kind: 'running'; resumeAt: Date; metadata: Record<string, string> };

export interface MetricProvider {
  /** The provider's key under `metric.provider`: 'prometheus', 'web', 'job'. */
  readonly type: string;
  /** Takes a measurement. `metric` has its {{args}} already substituted. */
  measure(metric: Metric, ctx: ProviderContext): Promise<ProviderOutcome>;
  /** Looks again at a `running` measurement (its metadata says what to look at). */
  resume?(metric: Metric, measurement: Measurement, ctx: ProviderContext): Promise<ProviderOutcome>;
  /** Stops a `running` measurement when the run ends (deletes the Job, ...). */
  terminate?(metric: Metric, measurement: Measurement, ctx: ProviderContext): Promise<void>;
}

/** The provider type a metric uses: the first key set under `metric.provider`. */
export function providerTypeOf(metric: Metric): string | undefined {
  return Object.entries(metric.provider).find(([, v]) => v !== undefined && v !== null)?.[0];
}
