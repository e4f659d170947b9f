// Args in a step (substitution, secrets, missing args) and specs the engine refuses.
import type { AnalysisRunSpec } from '@ramp/api';
import {
  at,
  drive,
  failure,
  providersOf,
  ScriptedProvider,
  T0,
  value,
  valuesProvider,
  webMetric,
} from '../testing/engine';
import { stepRun } from './step-run';

describe('args', () => {
  const metric = webMetric('m', {
    failureLimit: '{{args.limit}}',
    successCondition: 'result < 5',
    interval: '{{args.every}}',
    count: 3,
    provider: { web: { url: 'http://api/{{args.service}}?token={{args.token}}' } },
  });
  const spec: AnalysisRunSpec = {
    args: [
      { name: 'service', value: 'checkout' },
      { name: 'limit', value: '1' },
      { name: 'every', value: '20s' },
      { name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
    ],
    metrics: [metric],
  };
  const argResolver = { secretKeyRef: async () => 'hunter2' };

  test('substituted before measuring, including limits and the interval', async () => {
    const provider = new ScriptedProvider('web', [value(9), value(1), value(9)]);
    const { status } = await drive(spec, provider, { argResolver });
    expect(provider.calls[0]?.metric.provider.web?.url).toBe('http://api/checkout?token=hunter2');
    expect(provider.calls.map((c) => c.at)).toEqual([at(0), at(20), at(40)]);
    expect(status.message).toBe('Metric "m" assessed Failed due to failed (2) > failureLimit (1)');
    expect(JSON.stringify(status)).not.toContain('hunter2');
  });

  test('secret values are redacted from measurements and messages', async () => {
    const provider = new ScriptedProvider('web', [
      {
        kind: 'error',
        message: 'GET http://api/checkout?token=hunter2: 401',
        metadata: { url: 'token=hunter2' },
      },
    ]);
    const { status, steps } = await drive(
      { ...spec, metrics: [{ ...metric, consecutiveErrorLimit: 0 }] },
      provider,
      { argResolver },
    );
    const text = JSON.stringify({ status, steps });
    expect(text).not.toContain('hunter2');
    expect(status.message).toBe(
      'Metric "m" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0): "Error Message: GET http://api/checkout?token=*****: 401"',
    );
    expect(status.metricResults?.[0]?.measurements?.[0]?.metadata).toEqual({ url: 'token=*****' });
  });

  test('a missing arg ends the run in Error, naming it', async () => {
    const { status, events } = await drive({ ...spec, args: [{ name: 'service' }] }, valuesProvider(1));
    expect(status).toMatchObject({
      phase: 'Error',
      message: 'Unable to resolve metric arguments: argument "service" was not supplied',
      completedAt: T0,
    });
    expect(events).toEqual([
      { type: 'Warning', reason: 'AnalysisRunError', message: 'Analysis Completed. Result: Error' },
    ]);
  });

  test('a placeholder for an undeclared arg', async () => {
    const { status } = await drive(
      { metrics: [webMetric('m', { successCondition: 'result < {{args.max}}' })] },
      valuesProvider(1),
    );
    expect(status.message).toBe('Unable to resolve metric arguments: failed to resolve {{args.max}}');
  });

  test('a secret the resolver cannot read', async () => {
    const { status } = await drive(spec, valuesProvider(1), {
      argResolver: {
        secretKeyRef: async () => {
          throw new Error('secrets "creds" not found');
        },
      },
    });
    expect(status.message).toBe('Unable to resolve metric arguments: secrets "creds" not found');
  });

  test('pre-resolved args are used as given (secret ones redacted)', async () => {
    const provider = new ScriptedProvider('web', [failure('token hunter2 refused')]);
    const args = [
      { name: 'service', value: 'checkout' },
      { name: 'limit', value: '1' },
      { name: 'every', value: '20s' },
      { name: 'token', value: 'hunter2', secret: true },
    ];
    const step = await stepRun({ spec, now: at(0), providers: providersOf(provider), args });
    expect(step.measurements[0]?.measurement.message).toBe('token ***** refused');
  });
});

describe('invalid specs end the run in Error', () => {
  test.each([
    [[webMetric('a'), webMetric('a')], "Analysis spec invalid: metrics[1]: duplicate name 'a'"],
    [
      [webMetric('a', { count: 3 })],
      'Analysis spec invalid: metrics[0]: interval must be specified when count > 1',
    ],
    [
      [webMetric('a', { interval: '30' })],
      'Analysis spec invalid: metrics[0]: invalid interval string: time: missing unit in duration "30"',
    ],
    [
      [webMetric('a', { count: 2, interval: '1m', failureLimit: 3 })],
      'Analysis spec invalid: metrics[0]: count must be >= failureLimit',
    ],
    [[{ name: 'a', provider: {} }], 'Analysis spec invalid: metrics[0]: no provider specified'],
    [[], 'Analysis spec invalid: no metrics specified'],
  ])('%j', async (metrics, message) => {
    const { status } = await drive({ metrics }, valuesProvider(1));
    expect(status).toMatchObject({ phase: 'Error', message });
  });
});
