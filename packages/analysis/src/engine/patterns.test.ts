import { dryRunMetrics, PatternError, retentionLimits } from './patterns';

const names = ['error-rate', 'error-rate-2', 'latency'];

describe('metric name patterns', () => {
  test('searched anywhere in the name, as in Argo; ^...$ selects one exact name', () => {
    expect([...dryRunMetrics([{ metricName: 'error-rate' }], names)]).toEqual(['error-rate', 'error-rate-2']);
    expect([...dryRunMetrics([{ metricName: 'rate' }], names)]).toEqual(['error-rate', 'error-rate-2']);
    expect([...dryRunMetrics([{ metricName: '^error-rate$' }], names)]).toEqual(['error-rate']);
    expect([...dryRunMetrics([{ metricName: 'lat|-2$' }], names)]).toEqual(['error-rate-2', 'latency']);
  });

  test('"*" and ".*" mean every metric', () => {
    expect([...dryRunMetrics([{ metricName: '*' }], names)]).toEqual(names);
    expect([...dryRunMetrics([{ metricName: '.*' }], names)]).toEqual(names);
  });

  test('a rule that matches nothing (or is not a valid expression) is an error', () => {
    expect(() => dryRunMetrics([{ metricName: 'x' }], names)).toThrow(
      new PatternError("dryRun[0]: Rule didn't match any metric name(s)"),
    );
    expect(() => retentionLimits([{ metricName: '(', limit: 3 }], names)).toThrow(
      new PatternError(
        'measurementRetention[0]: metricName "(" is not a valid regular expression (RE2 syntax): ' +
          'error parsing regexp: missing closing ): `(`',
      ),
    );
    // RE2 has no lookahead: refused, not silently read as JavaScript.
    expect(() => dryRunMetrics([{ metricName: '(?=lat)' }], names)).toThrow(/not a valid regular expression/);
  });

  test('retention: default 10, later rules win, 0 keeps the default', () => {
    const limits = retentionLimits(
      [
        { metricName: '.*', limit: 20 },
        { metricName: 'latency', limit: 3 },
        { metricName: '-2$', limit: 0 },
      ],
      names,
    );
    expect(Object.fromEntries(limits)).toEqual({ 'error-rate': 20, 'error-rate-2': 10, latency: 3 });
    expect(Object.fromEntries(retentionLimits(undefined, ['a']))).toEqual({ a: 10 });
  });
});
