import { dryRunMetrics, metricNamePattern, PatternError, retentionLimits } from './patterns';

const names = ['error-rate', 'error-rate-2', 'latency'];

describe('metric name patterns', () => {
  test('anchored: the whole name must match', () => {
    expect([...dryRunMetrics([{ metricName: 'error-rate' }], names)]).toEqual(['error-rate']);
    expect([...dryRunMetrics([{ metricName: 'error-.*' }], names)]).toEqual(['error-rate', 'error-rate-2']);
  });

  test('"*" and ".*" mean every metric', () => {
    expect([...dryRunMetrics([{ metricName: '*' }], names)]).toEqual(names);
    expect([...dryRunMetrics([{ metricName: '.*' }], names)]).toEqual(names);
  });

  test('a rule that matches nothing (or is not a valid expression) is an error', () => {
    expect(() => dryRunMetrics([{ metricName: 'x' }], names)).toThrow(
      new PatternError("dryRun[0]: Rule didn't match any metric name(s)"),
    );
    expect(metricNamePattern('(')).toBeUndefined();
    expect(() => retentionLimits([{ metricName: '(', limit: 3 }], names)).toThrow(
      "measurementRetention[0]: Rule didn't match any metric name(s)",
    );
  });

  test('retention: default 10, later rules win, 0 keeps the default', () => {
    const limits = retentionLimits(
      [
        { metricName: '.*', limit: 20 },
        { metricName: 'latency', limit: 3 },
        { metricName: 'error-rate-2', limit: 0 },
      ],
      names,
    );
    expect(Object.fromEntries(limits)).toEqual({ 'error-rate': 20, 'error-rate-2': 10, latency: 3 });
    expect(Object.fromEntries(retentionLimits(undefined, ['a']))).toEqual({ a: 10 });
  });
});
