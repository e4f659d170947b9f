import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metric, PrometheusMetric } from '@ramp/api';
import { PrometheusProvider, parseSampleValue } from './prometheus-provider';
import type { ProviderContext, ProviderOutcome } from './provider';
import { closedPort, delayed, json, type LocalServer, startLocalServer } from './test-support/local-server';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const ctx: ProviderContext = { now: () => NOW };
const QUERY = 'sum(rate(x[1m]))';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function metric(prometheus: Partial<PrometheusMetric>): Metric {
  return { name: 'm', provider: { prometheus: { address: server.url, query: QUERY, ...prometheus } } };
}

function provider(env: Record<string, string> = {}): PrometheusProvider {
  return new PrometheusProvider({ env, retryMinDelayMs: 10 });
}

function success(data: unknown, extra: Record<string, unknown> = {}) {
  return { status: 'success', data, ...extra };
}

function answer(body: unknown, status = 200): void {
  server.handle((_req, res) => json(res, status, body));
}

function measuredValue(outcome: ProviderOutcome): unknown {
  if (outcome.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

function messageOf(outcome: ProviderOutcome): string {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

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

describe('range queries', () => {
  it('evaluates start/end against the injected clock and sends step in seconds', async () => {
    answer(
      success({
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [1, '1'],
              [2, 'NaN'],
            ],
          },
        ],
      }),
    );
    const outcome = await provider().measure(
      metric({ rangeQuery: { start: 'now() - duration("5m")', end: 'now()', step: '1m' } }),
      ctx,
    );
    const value = measuredValue(outcome) as number[];
    expect(value[0]).toBe(1);
    expect(value[1]).toBeNaN();
    const [req] = server.requests;
    expect(req?.url.pathname).toBe('/api/v1/query_range');
    expect(req?.params.get('start')).toBe(String((NOW.getTime() - 300_000) / 1000) + '.000');
    expect(req?.params.get('end')).toBe(`${NOW.getTime() / 1000}.000`);
    expect(req?.params.get('step')).toBe('60');
    expect(outcome.metadata).toEqual({
      ResolvedPrometheusQuery: QUERY,
      rangeQueryStart: '2024-05-01T09:55:00.000Z',
      rangeQueryEnd: '2024-05-01T10:00:00.000Z',
      rangeQueryStep: '60s',
    });
  });

  it('takes RFC 3339 times and date("...")', async () => {
    answer(success({ resultType: 'matrix', result: [] }));
    const outcome = await provider().measure(
      metric({
        rangeQuery: {
          start: 'date("2024-05-01T08:00:00Z") - duration("30m")',
          end: '2024-05-01T10:00:00+02:00',
          step: '90s',
        },
      }),
      ctx,
    );
    expect(measuredValue(outcome)).toEqual([]);
    expect(outcome.metadata?.['rangeQueryStart']).toBe('2024-05-01T07:30:00.000Z');
    expect(outcome.metadata?.['rangeQueryEnd']).toBe('2024-05-01T08:00:00.000Z');
    expect(server.requests[0]?.params.get('step')).toBe('90');
  });

  it('end defaults to now()', async () => {
    answer(success({ resultType: 'matrix', result: [] }));
    const outcome = await provider().measure(
      metric({ rangeQuery: { start: 'now() - duration("1h")', step: '5m' } }),
      ctx,
    );
    expect(outcome.metadata?.['rangeQueryEnd']).toBe(NOW.toISOString());
  });

  it.each([
    [
      { start: 'now() - duration("??")', end: 'now()', step: '1m' },
      'failed to parse rangeQuery.start as time: time: invalid duration "??"',
    ],
    [
      { start: 'now()', end: 'now() - duration("5")', step: '1m' },
      'failed to parse rangeQuery.end as time: time: missing unit in duration "5"',
    ],
    [
      { start: 'now()', end: 'now()', step: '??' },
      'failed to parse rangeQuery.step as duration: time: invalid duration "??"',
    ],
    [{ start: 'now()', end: 'now()', step: '0s' }, 'rangeQuery.step must be positive, got "0s"'],
    [{ end: 'now()', step: '1m' }, 'rangeQuery.start is required (e.g. now() - duration("5m"))'],
    [{ start: 'now()', end: 'now()' }, 'rangeQuery.step is required (e.g. "1m")'],
  ])('%j → error %s', async (rangeQuery, message) => {
    expect(messageOf(await provider().measure(metric({ rangeQuery }), ctx))).toBe(message);
    expect(server.requests).toHaveLength(0);
  });

  it('an unsupported expression says what is supported', async () => {
    const message = messageOf(
      await provider().measure(
        metric({
          rangeQuery: { start: 'date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC")', step: '1m' },
        }),
        ctx,
      ),
    );
    expect(message).toMatch(
      /^failed to parse rangeQuery.start as time: date\(\) with a layout or a time zone is not supported/,
    );
  });
});

describe('errors', () => {
  it("a Prometheus error response → an error carrying Prometheus' own message", async () => {
    answer(
      { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' },
      400,
    );
    const outcome = await provider().measure(metric({ query: 'sum(' }), ctx);
    expect(outcome).toEqual({
      kind: 'error',
      message: 'Prometheus returned bad_data: 1:5: parse error: unexpected end of input',
      metadata: { ResolvedPrometheusQuery: 'sum(' },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('a 503 with a Prometheus error body is reported, not retried', async () => {
    answer({ status: 'error', errorType: 'unavailable', error: 'not ready' }, 503);
    expect(messageOf(await provider().measure(metric({}), ctx))).toBe(
      'Prometheus returned unavailable: not ready',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('an HTTP error with a text body → the status and the trimmed body', async () => {
    server.handle((_req, res) => {
      res.statusCode = 502;
      res.end(`\n  <html>  bad\n gateway ${'x'.repeat(1000)}  </html>\n`);
    });
    const message = messageOf(await provider().measure(metric({}), ctx));
    expect(
      message.startsWith(`Prometheus at ${server.url} answered HTTP 502 Bad Gateway: <html> bad gateway xxx`),
    ).toBe(true);
    expect(message.endsWith('…')).toBe(true);
    expect(message.length).toBeLessThan(700);
  });

  it('a 200 that is not JSON is an error', async () => {
    server.handle((_req, res) => {
      res.end('<html>login page</html>');
    });
    expect(messageOf(await provider().measure(metric({}), ctx))).toBe(
      `Prometheus at ${server.url} sent a response that is not Prometheus JSON: <html>login page</html>`,
    );
  });

  it('connection refused → an error naming the address, at once (not retried)', async () => {
    const port = await closedPort();
    const started = Date.now();
    const outcome = await provider().measure(metric({ address: `http://127.0.0.1:${port}` }), ctx);
    expect(messageOf(outcome)).toBe(
      `cannot reach Prometheus at http://127.0.0.1:${port} (connection refused)`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a timeout → an error naming the timeout', async () => {
    server.handle(
      delayed(3000, (_req, res) => json(res, 200, success({ resultType: 'scalar', result: [1, '1'] }))),
    );
    const started = Date.now();
    const outcome = await provider().measure(metric({ timeout: 1 }), ctx);
    const elapsed = Date.now() - started;
    expect(messageOf(outcome)).toBe(`Prometheus at ${server.url} did not answer within 1s`);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it('a caller abort stops the request', async () => {
    server.handle(
      delayed(3000, (_req, res) => json(res, 200, success({ resultType: 'scalar', result: [1, '1'] }))),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await provider().measure(metric({}), { ...ctx, signal: controller.signal });
    expect(messageOf(outcome)).toBe(`request to Prometheus at ${server.url} aborted`);
  });

  it('retries a connection reset, inside the timeout, and then answers', async () => {
    let calls = 0;
    server.handle((req, res) => {
      calls++;
      if (calls === 1) {
        res.socket?.destroy();
        return;
      }
      expect(req.params.get('query')).toBe(QUERY);
      json(res, 200, success({ resultType: 'scalar', result: [1, '42'] }));
    });
    expect(measuredValue(await provider().measure(metric({}), ctx))).toBe(42);
    expect(calls).toBe(2);
  });

  it('gives up after the retries and says the connection was reset', async () => {
    server.handle((_req, res) => {
      res.socket?.destroy();
    });
    const message = messageOf(
      await new PrometheusProvider({ env: {}, retries: 2, retryMinDelayMs: 5 }).measure(metric({}), ctx),
    );
    expect(message).toBe(`cannot reach Prometheus at ${server.url} (connection reset)`);
    expect(server.requests).toHaveLength(3);
  });
});

const openssl = hasOpenssl();
(openssl ? describe : describe.skip)(
  `insecure TLS${openssl ? '' : ' (skipped: openssl is not installed)'}`,
  () => {
    let tlsServer: LocalServer;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ramp-tls-'));
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ]),
        { stdio: 'ignore', timeout: 20_000 },
      );
      tlsServer = await startLocalServer({
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      });
      tlsServer.handle((_req, res) => json(res, 200, success({ resultType: 'scalar', result: [1, '5'] })));
    });
    afterAll(async () => {
      await tlsServer?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies certificates unless insecure is set', async () => {
      const strict = await provider().measure(metric({ address: tlsServer.url }), ctx);
      expect(messageOf(strict)).toMatch(
        /^TLS handshake with Prometheus at https:\/\/127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT/,
      );
      expect(messageOf(strict)).toMatch(/set insecure: true/);
      expect(
        measuredValue(await provider().measure(metric({ address: tlsServer.url, insecure: true }), ctx)),
      ).toBe(5);
    });
  },
);

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
