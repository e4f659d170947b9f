// Taking, resuming and stopping one measurement through a provider, and turning what the provider
// says into a Measurement (the verdict comes from the metric's conditions).
import type { Measurement, Metric } from '@ramp/api';
import { kubeTime } from '@ramp/kube';
import { type ProviderContext, type ProviderOutcome, providerTypeOf } from '../providers/provider';
import { METRIC_TERMINATED } from './messages';
import { type ConditionEvaluator, errorMessage, formatValue, judge } from './verdict';

/**
 * A provider that decides the phase itself instead of giving a value to judge (a Job: it Succeeded or
 * Failed). Providers that only implement MetricProvider never return it.
 */
export interface ProviderVerdict {
  kind: 'verdict';
  phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string;
  metadata?: Record<string, string>;
}
export type MeasureOutcome = ProviderOutcome | ProviderVerdict;

/** What the engine needs of a provider; every MetricProvider is one. */
export interface EngineProvider {
  readonly type: string;
  measure(metric: Metric, ctx: ProviderContext): Promise<MeasureOutcome>;
  resume?(metric: Metric, measurement: Measurement, ctx: ProviderContext): Promise<MeasureOutcome>;
  terminate?(metric: Metric, measurement: Measurement, ctx: ProviderContext): Promise<void>;
}

/** Providers by type ('prometheus', 'web', 'job'); the providers' ProviderRegistry is one. */
export type EngineProviders = ReadonlyMap<string, EngineProvider>;

export interface MeasureDeps {
  providers: EngineProviders;
  evaluate: ConditionEvaluator;
  ctx: ProviderContext;
}

type Found = { provider: EngineProvider } | { error: string };

function findProvider(metric: Metric, providers: EngineProviders): Found {
  const type = providerTypeOf(metric);
  if (!type) return { error: `metric "${metric.name}" has no provider` };
  const provider = providers.get(type);
  return provider ? { provider } : { error: `provider "${type}" is not available` };
}

/** The measurement after the provider's outcome, keeping what `base` already holds (startedAt, metadata). */
function toMeasurement(
  metric: Metric,
  outcome: MeasureOutcome,
  base: Measurement,
  deps: MeasureDeps,
): Measurement {
  const metadata = { ...base.metadata, ...outcome.metadata };
  const m: Measurement = { phase: 'Running', startedAt: base.startedAt };
  if (Object.keys(metadata).length > 0) m.metadata = metadata;
  const finished = () => kubeTime(deps.ctx.now());
  switch (outcome.kind) {
    case 'running':
      m.resumeAt = kubeTime(outcome.resumeAt);
      return m;
    case 'error':
      return { ...m, phase: 'Error', message: errorMessage(outcome.message), finishedAt: finished() };
    case 'verdict': {
      // An Error says why, always; the other phases carry a message only when the provider gave one.
      const message = outcome.phase === 'Error' ? errorMessage(outcome.message) : outcome.message;
      return { ...m, phase: outcome.phase, ...(message ? { message } : {}), finishedAt: finished() };
    }
    case 'value': {
      const verdict = judge(metric, outcome.value, deps.evaluate);
      const value = formatValue(outcome.value);
      return {
        ...m,
        phase: verdict.phase,
        ...(verdict.message ? { message: verdict.message } : {}),
        ...(value !== '' ? { value } : {}),
        finishedAt: finished(),
      };
    }
  }
}

function failed(base: Measurement, message: string, deps: MeasureDeps): Measurement {
  const m: Measurement = { ...base, phase: 'Error', message, finishedAt: kubeTime(deps.ctx.now()) };
  delete m.resumeAt;
  return m;
}

/** Takes a new measurement of the metric (args substituted). Never throws. */
export async function takeMeasurement(metric: Metric, deps: MeasureDeps): Promise<Measurement> {
  const base: Measurement = { phase: 'Running', startedAt: kubeTime(deps.ctx.now()) };
  const found = findProvider(metric, deps.providers);
  if ('error' in found) return failed(base, found.error, deps);
  try {
    return toMeasurement(metric, await found.provider.measure(metric, deps.ctx), base, deps);
  } catch (err) {
    return failed(base, errorMessage(err), deps);
  }
}

/** Looks again at an in-flight measurement. Never throws. */
export async function resumeMeasurement(
  metric: Metric,
  measurement: Measurement,
  deps: MeasureDeps,
): Promise<Measurement> {
  const found = findProvider(metric, deps.providers);
  if ('error' in found) return failed(measurement, found.error, deps);
  const { provider } = found;
  if (!provider.resume)
    return failed(measurement, `provider "${provider.type}" cannot resume a measurement`, deps);
  try {
    return toMeasurement(metric, await provider.resume(metric, measurement, deps.ctx), measurement, deps);
  } catch (err) {
    return failed(measurement, errorMessage(err), deps);
  }
}

/**
 * Stops an in-flight measurement because the run is ending. It finishes Successful with the message
 * "Metric Terminated" (as Argo's job provider), or Error when the provider could not stop it.
 */
export async function terminateMeasurement(
  metric: Metric,
  measurement: Measurement,
  deps: MeasureDeps,
): Promise<Measurement> {
  const found = findProvider(metric, deps.providers);
  try {
    if ('provider' in found && found.provider.terminate)
      await found.provider.terminate(metric, measurement, deps.ctx);
  } catch (err) {
    return failed(measurement, errorMessage(err), deps);
  }
  const m: Measurement = {
    ...measurement,
    phase: 'Successful',
    message: METRIC_TERMINATED,
    finishedAt: kubeTime(deps.ctx.now()),
  };
  delete m.resumeAt;
  return m;
}
