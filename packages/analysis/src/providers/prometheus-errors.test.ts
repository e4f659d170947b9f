import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, delayed, json, type LocalServer, startLocalServer } from '../testing/local-server';
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
import { PrometheusProvider } from './prometheus-provider';

useFakePrometheus();

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
