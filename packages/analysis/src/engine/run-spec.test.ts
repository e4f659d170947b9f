import type { AnalysisTemplateSpec } from '@ramp/api';
import { webMetric } from '../testing/engine';
import { mergeArgs, runSpecFromTemplates, TemplateError } from './run-spec';

const successRate: AnalysisTemplateSpec = {
  args: [{ name: 'service-name' }, { name: 'port', value: '9090' }],
  metrics: [webMetric('success-rate', { interval: '5m' })],
  dryRun: [{ metricName: 'success-rate' }],
};
const errorRate: AnalysisTemplateSpec = {
  args: [{ name: 'service-name' }],
  metrics: [webMetric('error-rate', { interval: '5m' })],
  measurementRetention: [{ metricName: 'error-rate', limit: 20 }],
};

describe('runSpecFromTemplates', () => {
  test('metrics and args of several templates, with the caller args merged', () => {
    const spec = runSpecFromTemplates([successRate, errorRate], {
      args: [
        { name: 'service-name', value: 'checkout' },
        { name: 'not-declared', value: 'ignored' },
      ],
      dryRun: [{ metricName: 'error-rate' }],
    });
    expect(spec.metrics.map((m) => m.name)).toEqual(['success-rate', 'error-rate']);
    expect(spec.args).toEqual([
      { name: 'service-name', value: 'checkout' },
      { name: 'port', value: '9090' },
    ]);
    expect(spec.dryRun).toEqual([{ metricName: 'error-rate' }, { metricName: 'success-rate' }]);
    expect(spec.measurementRetention).toEqual([{ metricName: 'error-rate', limit: 20 }]);
  });

  test('duplicate metric names across templates', () => {
    expect(() =>
      runSpecFromTemplates([errorRate, errorRate], { args: [{ name: 'service-name', value: 'x' }] }),
    ).toThrow(new TemplateError("two metrics have the same name 'error-rate'"));
  });

  test('an arg declared twice with different values', () => {
    const a: AnalysisTemplateSpec = { args: [{ name: 'port', value: '1' }], metrics: [webMetric('a')] };
    const b: AnalysisTemplateSpec = { args: [{ name: 'port', value: '2' }], metrics: [webMetric('b')] };
    expect(() => runSpecFromTemplates([a, b])).toThrow(
      "Argument `port` specified multiple times with different values: '1', '2'",
    );
  });

  test('a required arg left without value names it', () => {
    expect(() => runSpecFromTemplates([successRate])).toThrow(/^args\.service-name was not resolved/);
  });

  test('the same dry-run rule twice', () => {
    expect(() =>
      runSpecFromTemplates([successRate], {
        args: [{ name: 'service-name', value: 'x' }],
        dryRun: [{ metricName: 'success-rate' }],
      }),
    ).toThrow("two Dry-Run metric rules have the same name 'success-rate'");
  });

  test('valueFrom from the caller replaces a template arg', () => {
    expect(
      mergeArgs(
        [{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        [{ name: 'token' }],
      ),
    ).toEqual([{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
  });

  test('the templates are not modified', () => {
    const before = JSON.stringify(successRate);
    runSpecFromTemplates([successRate], { args: [{ name: 'service-name', value: 'x' }] });
    expect(JSON.stringify(successRate)).toBe(before);
  });
});
