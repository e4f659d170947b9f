import type { Metric, WebMetric } from '@ramp/api';
import { closedPort, delayed, json } from '../testing/local-server';
import { answer, ctx, measuredValue, messageOf, server, useLocalServer } from '../testing/prometheus';
import { toJsonPathPlus, WebProvider } from './web-provider';

useLocalServer();

const provider = new WebProvider({ retryMinDelayMs: 10 });

function metric(web: Partial<WebMetric>): Metric {
  return { name: 'm', provider: { web: { url: `${server.url}/status`, ...web } } };
}

const BODY = {
  data: { ok: true, value: 0.97, name: 'canary', nothing: null },
  items: [
    { name: 'a', value: 1 },
    { name: 'b', value: 2 },
  ],
};

describe('values', () => {
  it('without jsonPath, the whole parsed body', async () => {
    answer(BODY);
    expect(measuredValue(await provider.measure(metric({}), ctx))).toEqual(BODY);
    const [req] = server.requests;
    expect(req?.method).toBe('GET');
    expect(req?.url.pathname).toBe('/status');
  });

  it.each([
    ['{$.data.ok}', true],
    ['{.data.value}', 0.97],
    ['{ $.data.name }', 'canary'],
    ['{$.data.nothing}', null],
    ['{$.data}', BODY.data],
    ['{$}', BODY],
    ['{.items[1].value}', 2],
    ['{$.items[*].value}', 1],
    ['{$..value}', 0.97],
    ['{$.items[?(@.name=="b")].value}', 2],
    ['{$.items[-1:].name}', 'b'],
    ['$.data.ok', true],
  ])('jsonPath %s → %j (the first value selected)', async (jsonPath, expected) => {
    answer(BODY);
    expect(measuredValue(await provider.measure(metric({ jsonPath }), ctx))).toEqual(expected);
  });

  it('a jsonPath that selects nothing is an error', async () => {
    answer(BODY);
    expect(messageOf(await provider.measure(metric({ jsonPath: '{$.data.missing}' }), ctx))).toBe(
      `jsonPath {$.data.missing} matched nothing in the response from ${server.url}/status`,
    );
  });

  it('a JSON primitive body: {$} gives it, a deeper path matches nothing', async () => {
    answer(42);
    expect(measuredValue(await provider.measure(metric({ jsonPath: '{$}' }), ctx))).toBe(42);
    answer(false);
    expect(measuredValue(await provider.measure(metric({}), ctx))).toBe(false);
    expect(messageOf(await provider.measure(metric({ jsonPath: '{$.x}' }), ctx))).toMatch(/matched nothing/);
  });

  it('a body that is not JSON → the string, jsonPath not applied', async () => {
    server.handle((_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('OK 0.99');
    });
    expect(measuredValue(await provider.measure(metric({ jsonPath: '{$.data.ok}' }), ctx))).toBe('OK 0.99');
  });

  it('an empty 2xx body → ""', async () => {
    server.handle((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    expect(measuredValue(await provider.measure(metric({}), ctx))).toBe('');
  });
});

describe('requests', () => {
  it('POSTs jsonBody as JSON with Content-Type application/json', async () => {
    answer({ accepted: true });
    const outcome = await provider.measure(
      metric({ method: 'POST', jsonBody: { service: 'web', window: '5m' }, jsonPath: '{$.accepted}' }),
      ctx,
    );
    expect(measuredValue(outcome)).toBe(true);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ service: 'web', window: '5m' });
  });

  it('PUTs a string body as given, with no Content-Type of its own', async () => {
    answer({ ok: 1 });
    await provider.measure(metric({ method: 'PUT', body: 'plain text' }), ctx);
    const [req] = server.requests;
    expect(req?.method).toBe('PUT');
    expect(req?.body).toBe('plain text');
    expect(req?.headers['content-type']).toBeUndefined();
  });

  it('sends headers (a later key replaces an earlier one) and basic auth from the URL', async () => {
    answer({ ok: 1 });
    const url = `${server.url}/status?token=abc`.replace('http://', 'http://bot:pa%3Ass@');
    await provider.measure(
      metric({
        url,
        headers: [
          { key: 'X-Team', value: 'one' },
          { key: 'x-team', value: 'two' },
          { key: 'Accept', value: 'application/json' },
        ],
      }),
      ctx,
    );
    const [req] = server.requests;
    expect(req?.headers['x-team']).toBe('two');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('bot:pa:ss').toString('base64')}`);
    expect(req?.url.searchParams.get('token')).toBe('abc');
  });

  it('body with GET, or body and jsonBody together, are errors', async () => {
    expect(messageOf(await provider.measure(metric({ body: 'x' }), ctx))).toBe(
      'body/jsonBody can only be used with the POST or PUT method',
    );
    expect(
      messageOf(await provider.measure(metric({ method: 'POST', body: 'x', jsonBody: { a: 1 } }), ctx)),
    ).toBe('use either body or jsonBody; both cannot be set for a web metric');
    expect(server.requests).toHaveLength(0);
  });

  it('unsupported jsonPath templates are reported before any request', async () => {
    expect(messageOf(await provider.measure(metric({ jsonPath: '{.a}/{.b}' }), ctx))).toMatch(
      /^jsonPath "\{\.a\}\/\{\.b\}" is not supported/,
    );
    expect(
      messageOf(await provider.measure(metric({ jsonPath: '{range .items[*]}{.name}{end}' }), ctx)),
    ).toMatch(/is not supported/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('non-2xx → the status and the trimmed body, never the query string', async () => {
    server.handle((_req, res) => {
      res.statusCode = 503;
      res.end('  upstream\n  overloaded  ');
    });
    const message = messageOf(
      await provider.measure(metric({ url: `${server.url}/status?apikey=SECRET` }), ctx),
    );
    expect(message).toBe(
      `received non 2xx response code: 503 (Service Unavailable) from ${server.url}/status: upstream overloaded`,
    );
  });

  it('non-2xx is not retried', async () => {
    answer({ error: 'no' }, 500);
    await provider.measure(metric({}), ctx);
    expect(server.requests).toHaveLength(1);
  });

  it('a timeout → an error naming the timeout', async () => {
    server.handle(delayed(3000, (_req, res) => json(res, 200, {})));
    const started = Date.now();
    const outcome = await provider.measure(metric({ timeoutSeconds: 1 }), ctx);
    expect(messageOf(outcome)).toBe(`${server.url}/status did not answer within 1s`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('connection refused → an error naming the URL', async () => {
    const port = await closedPort();
    expect(messageOf(await provider.measure(metric({ url: `http://127.0.0.1:${port}/x` }), ctx))).toBe(
      `cannot reach http://127.0.0.1:${port}/x (connection refused)`,
    );
  });

  it('retries a reset GET; does not retry a reset POST', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) res.socket?.destroy();
      else json(res, 200, { ok: true });
    });
    expect(measuredValue(await provider.measure(metric({ jsonPath: '{$.ok}' }), ctx))).toBe(true);
    expect(calls).toBe(2);

    calls = 0;
    server.handle((_req, res) => {
      calls++;
      res.socket?.destroy();
    });
    expect(messageOf(await provider.measure(metric({ method: 'POST', jsonBody: {} }), ctx))).toBe(
      `cannot reach ${server.url}/status (connection reset)`,
    );
    expect(calls).toBe(1);
  });

  it('an invalid URL is an error', async () => {
    expect(messageOf(await provider.measure(metric({ url: 'not a url' }), ctx))).toBe(
      'web url "not a url" is not a valid URL',
    );
  });
});

describe('toJsonPathPlus', () => {
  it.each([
    [undefined, '$'],
    ['', '$'],
    ['{$}', '$'],
    ['{}', '$'],
    ['{$.a.b}', '$.a.b'],
    ['{.a.b}', '$.a.b'],
    ['{[0].a}', '$[0].a'],
    ['$.a', '$.a'],
    ['.a', '$.a'],
  ])('%j → %s', (template, path) => {
    expect(toJsonPathPlus(template)).toBe(path);
  });

  it.each(['{.a', 'x{.a}', '{.a}{.b}', 'a.b', '{range .items}'])('%j is not supported', (template) => {
    expect(() => toJsonPathPlus(template)).toThrow(/is not supported/);
  });
});
