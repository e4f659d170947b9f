// kubectl ramp analyze on a fake clock: every exit code, the text report, --duration, --timeout and
// Ctrl-C (an injected AbortSignal), against a local HTTP server (web metrics and a fake Prometheus).
import { join, resolve } from 'node:path';
import type { MetricProvider } from '@ramp/analysis';
import { FakeClock } from '@ramp/analysis/testing';
import {
  analyze,
  type FakeServer,
  promVector,
  startFakeServer,
  templateYaml,
  writeFiles,
} from '../testing/analyze';

const repo = resolve(__dirname, '..', '..', '..', '..');
const seed = join(repo, 'examples', 'analysis-template.yaml');
const T0 = '2026-11-21T10:00:00Z';

let server: FakeServer;
let ratio = 0.01;

beforeAll(async () => {
  server = await startFakeServer((req) =>
    req.path === '/api/v1/query' ? promVector(ratio) : { body: { ratio } },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  ratio = 0.01;
  server.answer((req) => (req.path === '/api/v1/query' ? promVector(ratio) : { body: { ratio } }));
});

const webMetric = (extra: string) => `${extra.trim()}
provider:
  web:
    url: ${server.url}/ratio
    jsonPath: "{$.ratio}"`;

function template(extra: string, spec = ''): string {
  return join(writeFiles({ 't.yaml': templateYaml('error-ratio', webMetric(extra), spec) }), 't.yaml');
}

describe('kubectl ramp analyze: exit codes', () => {
  test('0 Successful: the seed template against a fake Prometheus, stopped by --duration', async () => {
    const clock = new FakeClock(T0);
    const run = await analyze(
      ['-f', seed, '--arg', `prometheus-address=${server.url}`, '--duration', '12s'],
      { clock },
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Running AnalysisTemplate/analyse-request: 1 metric (analyse-request)');
    const lines = run.out.split('\n').filter((l) => / {2}analyse-request {2}/.test(l));
    expect(lines).toEqual([
      '10:00:00  analyse-request  value [0.01]  Successful  failed 0/4  errors 0/4  inconclusive 0/0',
      '10:00:05  analyse-request  value [0.01]  Successful  failed 0/4  errors 0/4  inconclusive 0/0',
      '10:00:10  analyse-request  value [0.01]  Successful  failed 0/4  errors 0/4  inconclusive 0/0',
    ]);
    expect(run.out).toContain('Result: Successful (exit 0)');
    expect(run.out).toContain('Reason: stopped after --duration 12s, as asked (Run Terminated)');
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-21T10:00:12.000Z');
  });

  test('1 Failed: five failed measurements with failureLimit 4, and why', async () => {
    ratio = 0.2;
    const clock = new FakeClock(T0);
    const run = await analyze(['-f', seed, '--arg', `prometheus-address=${server.url}`, '--duration', '1h'], {
      clock,
    });
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      '10:00:20  analyse-request  value [0.2]  Failed  failed 5/4  errors 0/4  inconclusive 0/0',
    );
    expect(run.out).toContain(
      'Reason: Metric "analyse-request" assessed Failed due to failed (5) > failureLimit (4)',
    );
    expect(run.out).toContain('analyse-request: Failed, 5 measurements: 0 successful, 5 failed');
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-21T10:00:20.000Z');
  });

  test('2 Inconclusive: neither condition holds', async () => {
    ratio = 0.07;
    const run = await analyze(
      ['-f', template('successCondition: result < 0.05\nfailureCondition: result > 0.1')],
      { clock: new FakeClock(T0) },
    );
    expect(run.code).toBe(2);
    expect(run.out).toContain('Reason: Metric "error-ratio" assessed Inconclusive due to inconclusive (1)');
  });

  test('3 Error: the endpoint fails five times in a row (retried every 10 s)', async () => {
    server.answer(() => ({ status: 503, body: 'overloaded' }));
    const clock = new FakeClock(T0);
    const run = await analyze(['-f', template('successCondition: result < 0.05')], { clock });
    expect(run.code).toBe(3);
    expect(run.out).toMatch(/10:00:40 {2}error-ratio {2}Error {2}failed 0\/0 {2}errors 5\/4 .*503/);
    expect(run.out).toMatch(
      /Reason: Metric "error-ratio" assessed Error due to consecutiveErrors \(5\) > consecutiveErrorLimit \(4\): "Error Message: .*503/,
    );
  });

  test('3 Error: --timeout gives up, names what was still running', async () => {
    const clock = new FakeClock(T0);
    const run = await analyze(
      [
        '-f',
        template('interval: 10s\nsuccessCondition: result < 0.05'),
        '--duration',
        '1h',
        '--timeout',
        '35s',
      ],
      { clock },
    );
    expect(run.code).toBe(3);
    expect(run.out).toContain(
      'Reason: gave up: the analysis did not complete within --timeout 35s (still running: error-ratio)',
    );
    expect(run.out.match(/Successful {2}failed/g)).toHaveLength(4); // 0, 10, 20, 30 s
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-21T10:00:35.000Z');
  });

  test('3 Error: --timeout also stops a measurement that hangs', async () => {
    const clock = new FakeClock(T0);
    const hanging: MetricProvider = {
      type: 'web',
      measure: (_metric, ctx) =>
        new Promise((done) => {
          clock.advance(60_000); // the measurement takes a minute...
          ctx.signal?.addEventListener('abort', () => done({ kind: 'error', message: 'stopped' }));
        }),
    };
    const run = await analyze(['-f', template('successCondition: result < 0.05'), '--timeout', '30s'], {
      clock,
      providers: new Map([['web', hanging]]),
    });
    expect(run.code).toBe(3);
    expect(run.out).toContain('gave up: the analysis did not complete within --timeout 30s');
  });

  test('Ctrl-C (an aborted signal) terminates the run: what was measured, and the phase so far', async () => {
    const clock = new FakeClock(T0);
    const ctrlC = new AbortController();
    clock.onSleep = (c) => {
      if (c.now() >= Date.parse('2026-11-21T10:00:20Z')) ctrlC.abort();
    };
    ratio = 0.2; // failing, but within failureLimit 4
    const run = await analyze(
      ['-f', template('interval: 10s\nfailureLimit: 4\nsuccessCondition: result < 0.05'), '--duration', '1h'],
      { clock, signal: ctrlC.signal },
    );
    expect(run.out.match(/Failed {2}failed \d\/4/g)).toEqual(['Failed  failed 1/4', 'Failed  failed 2/4']);
    expect(run.out).toContain('Reason: interrupted: Run Terminated');
    expect(run.out).toContain('Result: Successful (exit 0)');
    expect(run.code).toBe(0);
  });

  test('Ctrl-C before the first measurement: nothing measured, exit 0', async () => {
    const clock = new FakeClock(T0);
    const ctrlC = new AbortController();
    ctrlC.abort();
    ratio = 0.2;
    const run = await analyze(['-f', template('successCondition: result < 0.05')], {
      clock,
      signal: ctrlC.signal,
    });
    expect(run.out).not.toMatch(/value/);
    expect(run.code).toBe(0);
  });

  test('colour only when asked (a terminal)', async () => {
    const plain = await analyze(['-f', template('successCondition: result < 0.05')], {
      clock: new FakeClock(T0),
    });
    expect(plain.out).not.toContain('\u001b[');
    const coloured = await analyze(['-f', template('successCondition: result < 0.05')], {
      clock: new FakeClock(T0),
      color: true,
    });
    expect(coloured.out).toContain('\u001b[32mSuccessful\u001b[0m');
  });
});
