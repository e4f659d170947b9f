// The metric providers and the registry the engine looks them up in (keyed by provider type).
import { PrometheusProvider, type PrometheusProviderOptions } from './prometheus-provider';
import type { MetricProvider } from './provider';
import { WebProvider, type WebProviderOptions } from './web-provider';

export * from './prometheus-provider';
export * from './provider';
export { evaluateTimeExpression, parseGoDuration, parseRfc3339 } from './time-expression';
export * from './web-provider';

/** Providers by type ('prometheus', 'web', ...). Open: other packages add theirs (the Job provider). */
export type ProviderRegistry = Map<string, MetricProvider>;

export interface DefaultProvidersOptions {
  /** Where the Prometheus provider reads its fallback address variables; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  prometheus?: Omit<PrometheusProviderOptions, 'env'>;
  web?: WebProviderOptions;
}

/** A registry with the providers this package implements: prometheus and web. */
export function defaultProviders(options: DefaultProvidersOptions = {}): ProviderRegistry {
  const registry: ProviderRegistry = new Map();
  const env = options.env ?? process.env;
  for (const provider of [
    new PrometheusProvider({ ...options.prometheus, env }),
    new WebProvider(options.web),
  ]) {
    registry.set(provider.type, provider);
  }
  return registry;
}

/** Adds (or replaces) a provider under its type; returns the registry for chaining. */
export function registerProvider(registry: ProviderRegistry, provider: MetricProvider): ProviderRegistry {
  registry.set(provider.type, provider);
  return registry;
}
