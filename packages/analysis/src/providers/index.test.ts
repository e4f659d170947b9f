import type { Metric } from '@ramp/api';
import {
  defaultProviders,
  PrometheusProvider,
  type ProviderRegistry,
  registerProvider,
  WebProvider,
} from './index';
import type { MetricProvider } from './provider';

describe('defaultProviders', () => {
  it('holds prometheus and web, keyed by type, and stays open for more', async () => {
    const registry: ProviderRegistry = defaultProviders({ env: {} });
    expect([...registry.keys()]).toEqual(['prometheus', 'web']);
    expect(registry.get('prometheus')).toBeInstanceOf(PrometheusProvider);
    expect(registry.get('web')).toBeInstanceOf(WebProvider);

    const job: MetricProvider = { type: 'job', measure: async () => ({ kind: 'value', value: 1 }) };
    expect(registerProvider(registry, job).get('job')).toBe(job);
  });

  it('gives the Prometheus provider the injected env', async () => {
    const registry = defaultProviders({ env: { RAMP_PROMETHEUS_ADDRESS: 'ftp://nowhere' } });
    const metric: Metric = { name: 'm', provider: { prometheus: { query: 'up' } } };
    const outcome = await registry.get('prometheus')?.measure(metric, { now: () => new Date() });
    expect(outcome).toMatchObject({
      kind: 'error',
      message: 'prometheus address "ftp://nowhere" is not an http(s) URL',
    });
  });
});
