import type { Metric } from '@ramp/api';
import { ArgsError, resolveArgs, secretValues, substituteMetric, substituteText } from './args';

describe('resolveArgs', () => {
  test('plain values, secrets and fields', async () => {
    const resolved = await resolveArgs(
      [
        { name: 'service', value: 'api' },
        { name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
        { name: 'env', valueFrom: { fieldRef: { fieldPath: "metadata.labels['env']" } } },
      ],
      {
        secretKeyRef: async (ref) => `s3cr3t-${ref.name}-${ref.key}`,
        fieldRef: async () => 'prod',
      },
    );
    expect(resolved).toEqual([
      { name: 'service', value: 'api' },
      { name: 'token', value: 's3cr3t-creds-token', secret: true },
      { name: 'env', value: 'prod' },
    ]);
    expect(secretValues(resolved)).toEqual(['s3cr3t-creds-token']);
  });

  test('an arg without value names the arg (every declared arg needs one, as in Argo)', async () => {
    await expect(resolveArgs([{ name: 'service-name' }])).rejects.toThrow(
      new ArgsError('argument "service-name" was not supplied'),
    );
  });

  test('a valueFrom the resolver cannot serve, or a lookup that fails', async () => {
    const secretArg = { name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } };
    await expect(resolveArgs([secretArg])).rejects.toThrow(
      'argument "token": valueFrom.secretKeyRef cannot be resolved here',
    );
    await expect(
      resolveArgs([secretArg], {
        secretKeyRef: async () => {
          throw new Error("key 'token' does not exist in secret 'creds'");
        },
      }),
    ).rejects.toThrow("key 'token' does not exist in secret 'creds'");
  });

  test('a secret wins over a plain value', async () => {
    const resolved = await resolveArgs(
      [{ name: 't', value: 'plain', valueFrom: { secretKeyRef: { name: 'a', key: 'b' } } }],
      { secretKeyRef: async () => 'hidden' },
    );
    expect(resolved).toEqual([{ name: 't', value: 'hidden', secret: true }]);
  });
});

describe('substitution', () => {
  const args = [
    { name: 'service', value: 'checkout' },
    { name: 'limit', value: '4' },
    { name: 'address', value: 'http://prom:9090' },
  ];

  test('everywhere in a metric, including limits given as strings and the job spec', () => {
    const metric: Metric = {
      name: 'error-rate',
      interval: '30s',
      failureLimit: '{{args.limit}}',
      count: '{{ args.limit }}',
      successCondition: 'result[0] < {{args.limit}}',
      provider: {
        prometheus: {
          address: '{{args.address}}',
          query: 'sum(rate(http_errors{service="{{args.service}}"}[1m]))',
          headers: [{ key: 'X-Service', value: '{{args.service}}' }],
        },
        job: { spec: { template: { spec: { containers: [{ name: 'c', args: ['{{args.service}}'] }] } } } },
      },
    };
    const out = substituteMetric(metric, args);
    expect(out.failureLimit).toBe('4');
    expect(out.count).toBe('4');
    expect(out.successCondition).toBe('result[0] < 4');
    expect(out.provider.prometheus).toEqual({
      address: 'http://prom:9090',
      query: 'sum(rate(http_errors{service="checkout"}[1m]))',
      headers: [{ key: 'X-Service', value: 'checkout' }],
    });
    expect(JSON.stringify(out.provider.job)).toContain('"args":["checkout"]');
    expect(metric.failureLimit).toBe('{{args.limit}}'); // the input is left alone
  });

  test('a placeholder no arg fills', () => {
    expect(() => substituteText('{{ args.missing }}', new Map())).toThrow(
      new ArgsError('failed to resolve {{ args.missing }}'),
    );
  });

  test('other {{...}} text is left as it is', () => {
    expect(substituteText('{{ $labels.pod }} {{args.a}}', new Map([['a', 'x']]))).toBe('{{ $labels.pod }} x');
  });
});
