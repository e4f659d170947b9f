import { closedPort, json } from '../testing/local-server';
import {
  answer,
  ctx,
  measuredValue,
  messageOf,
  metric,
  provider,
  QUERY,
  server,
  success,
  useFakePrometheus,
} from '../testing/prometheus';
import { PrometheusProvider, parseSampleValue } from './prometheus-provider';

useFakePrometheus();

describe('result shapes', () => {
  it('scalar → number', async () => {
    answer(success({ resultType: 'scalar', result: [1714557600, '0.25'] }));
    expect(measuredValue(await provider().measure(metric({}), ctx))).toBe(0.25);
  });

  it('instant vector → number[] in the order Prometheus returns the series', async () => {
    answer(
      success({
        resultType: 'vector',
        result: [
          { metric: { pod: 'b' }, value: [1714557600, '3'] },
          { metric: { pod: 'a' }, value: [1714557600, '1.5'] },
          { metric: { pod: 'c' }, value: [1714557600, '-2e-3'] },
        ],
      }),
    );
    expect(measuredValue(await provider().measure(metric({}), ctx))).toEqual([3, 1.5, -0.002]);
  });

  it('empty vector → []', async () => {
    answer(success({ resultType: 'vector', result: [] }));
    expect(measuredValue(await provider().measure(metric({}), ctx))).toEqual([]);
  });

  it('matrix → one flat number[] of every sample, series after series', async () => {
    answer(
      success({
        resultType: 'matrix',
        result: [
          {
            metric: { pod: 'a' },
            values: [
              [1, '11'],
              [2, '12'],
            ],
          },
          {
            metric: { pod: 'b' },
            values: [
              [1, '13'],
              [2, '14'],
            ],
          },
        ],
      }),
    );
    expect(measuredValue(await provider().measure(metric({}), ctx))).toEqual([11, 12, 13, 14]);
  });

  it('string → string', async () => {
    answer(success({ resultType: 'string', result: [1714557600, 'hello'] }));
    expect(measuredValue(await provider().measure(metric({}), ctx))).toBe('hello');
  });

  it('NaN, +Inf and -Inf are preserved', async () => {
    answer(
      success({
        resultType: 'vector',
        result: [
          { metric: {}, value: [1, 'NaN'] },
          { metric: {}, value: [1, '+Inf'] },
          { metric: {}, value: [1, '-Inf'] },
        ],
      }),
    );
    const value = measuredValue(await provider().measure(metric({}), ctx)) as number[];
    expect(value).toHaveLength(3);
    expect(value[0]).toBeNaN();
    expect(value[1]).toBe(Number.POSITIVE_INFINITY);
    expect(value[2]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('a scalar NaN is NaN', async () => {
    answer(success({ resultType: 'scalar', result: [1, 'NaN'] }));
    expect(measuredValue(await provider().measure(metric({}), ctx))).toBeNaN();
  });

  it('parseSampleValue rejects what is not a Prometheus number', () => {
    expect(() => parseSampleValue('abc')).toThrow('"abc" is not a number');
    expect(() => parseSampleValue('')).toThrow('is not a number');
    expect(parseSampleValue('1e3')).toBe(1000);
  });

  it('native histograms are an error, not a wrong number', async () => {
    answer(success({ resultType: 'vector', result: [{ metric: {}, histogram: [1, { count: '3' }] }] }));
    expect(messageOf(await provider().measure(metric({}), ctx))).toMatch(/native histogram/);
  });
});

describe('request', () => {
  it('POSTs the query as a form to /api/v1/query and records it in metadata', async () => {
    answer(success({ resultType: 'scalar', result: [1, '1'] }));
    const outcome = await provider().measure(metric({ query: `  ${QUERY}\n` }), ctx);
    expect(outcome).toEqual({ kind: 'value', value: 1, metadata: { ResolvedPrometheusQuery: QUERY } });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url.pathname).toBe('/api/v1/query');
    expect(req?.params.get('query')).toBe(QUERY);
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('falls back to GET when POST is refused with 405', async () => {
    server.handle((req, res) => {
      if (req.method === 'POST') {
        res.statusCode = 405;
        res.end('method not allowed');
      } else json(res, 200, success({ resultType: 'scalar', result: [1, '7'] }));
    });
    expect(measuredValue(await provider().measure(metric({}), ctx))).toBe(7);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(server.requests[1]?.url.searchParams.get('query')).toBe(QUERY);
  });

  it('gives up before the GET when the refused POST used the whole timeout (timed on the injected clock)', async () => {
    server.handle((_req, res) => {
      res.statusCode = 405;
      res.end('method not allowed');
    });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = {
      now: () => {
        const at = now;
        now += 6_000; // every look at the clock finds 6 s gone: the POST took longer than the 5 s budget
        return at;
      },
    };
    const outcome = await new PrometheusProvider({ env: {}, clock }).measure(metric({ timeout: 5 }), ctx);
    expect(messageOf(outcome)).toBe(`Prometheus at ${server.url} did not answer within 5s`);
    expect(server.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('keeps a path prefix of the address', async () => {
    answer(success({ resultType: 'vector', result: [] }));
    await provider().measure(metric({ address: `${server.url}/prom/` }), ctx);
    expect(server.requests[0]?.url.pathname).toBe('/prom/api/v1/query');
  });

  it('sends the headers and basic auth from user:pass@ in the address, and never echoes the password', async () => {
    server.handle((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const address = server.url.replace('http://', 'http://reader:s%40cret@');
    const outcome = await provider().measure(
      metric({ address, headers: [{ key: 'X-Scope-OrgID', value: 'tenant-a' }] }),
      ctx,
    );
    const [req] = server.requests;
    expect(req?.headers['x-scope-orgid']).toBe('tenant-a');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('reader:s@cret').toString('base64')}`);
    expect(JSON.stringify(outcome)).not.toMatch(/s%40cret|s@cret|reader/);
    expect(messageOf(outcome)).toBe(
      `Prometheus at ${server.url} answered HTTP 500 Internal Server Error: boom`,
    );
  });

  it('reads the address from RAMP_PROMETHEUS_ADDRESS, then ARGO_ROLLOUTS_PROMETHEUS_ADDRESS, when the metric has none', async () => {
    answer(success({ resultType: 'scalar', result: [1, '1'] }));
    const dead = `http://127.0.0.1:${await closedPort()}`;
    expect(
      measuredValue(
        await provider({ RAMP_PROMETHEUS_ADDRESS: server.url }).measure(metric({ address: '' }), ctx),
      ),
    ).toBe(1);
    expect(
      measuredValue(
        await provider({ ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: server.url }).measure(
          metric({ address: undefined }),
          ctx,
        ),
      ),
    ).toBe(1);
    // RAMP_ wins over ARGO_; the metric's own address wins over both.
    const both = provider({ RAMP_PROMETHEUS_ADDRESS: server.url, ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: dead });
    expect(measuredValue(await both.measure(metric({ address: '' }), ctx))).toBe(1);
    const metricWins = provider({ RAMP_PROMETHEUS_ADDRESS: dead });
    expect(measuredValue(await metricWins.measure(metric({}), ctx))).toBe(1);
  });

  it('without any address, says where to set one', async () => {
    expect(messageOf(await provider().measure(metric({ address: '' }), ctx))).toBe(
      'prometheus address is not configured (set provider.prometheus.address, or RAMP_PROMETHEUS_ADDRESS or ARGO_ROLLOUTS_PROMETHEUS_ADDRESS on the controller)',
    );
  });

  it('rejects an address that is not an http(s) URL, without echoing credentials', async () => {
    expect(messageOf(await provider().measure(metric({ address: 'prometheus:9090' }), ctx))).toMatch(
      /not an http\(s\) URL|not a valid URL/,
    );
    const message = messageOf(await provider().measure(metric({ address: 'ftp://u:pw@host/x' }), ctx));
    expect(message).toBe('prometheus address "ftp://host/x" is not an http(s) URL');
  });

  it('an empty query and a negative timeout are errors', async () => {
    expect(messageOf(await provider().measure(metric({ query: ' ' }), ctx))).toBe(
      'prometheus query is empty',
    );
    expect(messageOf(await provider().measure(metric({ timeout: -1 }), ctx))).toBe(
      'prometheus timeout should not be negative',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports unsupported authentication instead of querying without it', async () => {
    const outcome = await provider().measure(
      metric({ authentication: { oauth2: { tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c' } } }),
      ctx,
    );
    expect(messageOf(outcome)).toBe('prometheus authentication.oauth2 is not supported by Ramp yet');
    expect(server.requests).toHaveLength(0);
  });

  it('records Prometheus warnings in metadata', async () => {
    answer(success({ resultType: 'vector', result: [] }, { warnings: ['w1', 'w2'] }));
    const outcome = await provider().measure(metric({}), ctx);
    expect(outcome.metadata?.['warnings']).toBe('"w1", "w2"');
  });
});
