// The reports (JSON, JUnit), Secret redaction, templates composed across files, and the flags that
// change the run (--arg, --prometheus-address), on a fake clock against a local HTTP server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '@ramp/analysis/testing';
import {
  analyze,
  type FakeServer,
  promVector,
  startFakeServer,
  templateYaml,
  writeFiles,
} from '../testing/analyze';

let server: FakeServer;
let ratio = 0.2;
beforeAll(async () => {
  server = await startFakeServer((req) =>
    req.path === '/api/v1/query'
      ? promVector(ratio)
      : req.path === '/echo'
        ? { body: { seen: req.query.get('token') ?? '' } }
        : { body: { ratio } },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  ratio = 0.2;
  server.requests.length = 0;
});

const webMetric = (extra: string, path = '/ratio', jsonPath = '{$.ratio}') =>
  `${extra}\nprovider:\n  web:\n    url: ${server.url}${path}\n    jsonPath: "${jsonPath}"`;
const file = (name: string, text: string) => join(writeFiles({ [name]: text }), name);

describe('-o json', () => {
  test('one JSON object: verdict, exit code, Argo message, status and every measurement', async () => {
    const t = file(
      't.yaml',
      templateYaml('ratio', webMetric('interval: 5s\nfailureLimit: 2\nsuccessCondition: result < 0.05')),
    );
    const run = await analyze(['-f', t, '-o', 'json', '--duration', '1m'], {
      clock: new FakeClock('2026-11-21T10:00:00Z'),
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report).toMatchObject({
      phase: 'Failed',
      exitCode: 1,
      message: 'Metric "ratio" assessed Failed due to failed (3) > failureLimit (2)',
      stoppedBy: null,
      templates: ['AnalysisTemplate/ratio'],
      startedAt: '2026-11-21T10:00:00.000Z',
      finishedAt: '2026-11-21T10:00:10.000Z',
      status: { phase: 'Failed', metricResults: [{ name: 'ratio', phase: 'Failed', failed: 3, count: 3 }] },
    });
    expect(report.measurements).toHaveLength(3);
    expect(report.measurements[2]).toMatchObject({ metric: 'ratio', phase: 'Failed', value: '0.2' });
    // The progress goes to stderr, so stdout is only the JSON.
    expect(run.err).toContain('10:00:10  ratio  value 0.2  Failed  failed 3/2');
  });
});

describe('--junit', () => {
  test('a testcase per metric: <failure> with Argo message, measurements in <system-out>', async () => {
    const dir = writeFiles({
      't.yaml': `${templateYaml('bad-ratio', webMetric('interval: 5s\nfailureLimit: 1\nsuccessCondition: result < 0.05'))}---
${templateYaml('down', webMetric('successCondition: result < 0.05', '/ratio', '{$.nope}'))}`,
    });
    const report = join(dir, 'report.xml');
    const run = await analyze(
      ['-f', join(dir, 't.yaml'), '--template', 'bad-ratio', '--junit', report, '--duration', '1m'],
      {
        clock: new FakeClock('2026-11-21T10:00:00Z'),
      },
    );
    expect(run.code).toBe(1);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain('<testsuite name="AnalysisTemplate/bad-ratio" tests="1" failures="1" errors="0"');
    expect(xml).toContain(
      '<failure type="Failed" message="Metric &quot;bad-ratio&quot; assessed Failed due to failed (2) &gt; failureLimit (1)">',
    );
    expect(xml).toContain(
      '<system-out>10:00:00  bad-ratio  value 0.2  Failed  failed 1/1  errors 0/4  inconclusive 0/0\n' +
        '10:00:05  bad-ratio  value 0.2  Failed  failed 2/1  errors 0/4  inconclusive 0/0\n</system-out>',
    );

    const errored = await analyze(['-f', join(dir, 't.yaml'), '--template', 'down', '--junit', report], {
      clock: new FakeClock(),
    });
    expect(errored.code).toBe(3);
    const xml2 = readFileSync(report, 'utf8');
    expect(xml2).toContain('tests="1" failures="0" errors="1"');
    expect(xml2).toMatch(
      /<error type="Error" message="Metric &quot;down&quot; assessed Error due to consecutiveErrors \(5\) &gt; consecutiveErrorLimit \(4\): &quot;Error Message: [^"]+">/,
    );
  });

  test('--timeout: the metrics still running get an <error type="Timeout">', async () => {
    const dir = writeFiles({
      't.yaml': templateYaml('slow', webMetric('interval: 10s\nsuccessCondition: result < 0.5')),
    });
    const report = join(dir, 'report.xml');
    const run = await analyze(
      ['-f', join(dir, 't.yaml'), '--duration', '1h', '--timeout', '15s', '--junit', report],
      {
        clock: new FakeClock(),
      },
    );
    expect(run.code).toBe(3);
    expect(readFileSync(report, 'utf8')).toContain(
      '<error type="Timeout" message="gave up: the analysis did not complete within --timeout 15s (still running: slow)">',
    );
  });
});

describe('args', () => {
  test('valueFrom args come from --arg (split at the first "="); Secret values are ***** everywhere', async () => {
    const dir = writeFiles({
      't.yaml': templateYaml(
        'secret-check',
        webMetric(
          'successCondition: result.seen == "expected"',
          '/echo?token={{args.token}}&env={{args.env}}',
          '{$}',
        ),
        `args:
- name: token
  valueFrom:
    secretKeyRef: {name: api, key: token}
- name: env
  valueFrom:
    fieldRef: {fieldPath: "metadata.labels['env']"}`,
      ),
    });
    const report = join(dir, 'report.xml');
    const args = [
      '-f',
      join(dir, 't.yaml'),
      '--arg',
      'token=s3cr3t=x',
      '--arg',
      'env=staging',
      '--junit',
      report,
    ];
    const text = await analyze(args, { clock: new FakeClock() });
    const json = await analyze([...args, '-o', 'json'], { clock: new FakeClock() });
    expect(server.requests[0]?.query.get('token')).toBe('s3cr3t=x');
    expect(server.requests[0]?.query.get('env')).toBe('staging');
    expect(text.code).toBe(1);
    expect(text.err).toBe('');
    for (const output of [text.out, json.out, json.err, readFileSync(report, 'utf8')]) {
      expect(output).not.toContain('s3cr3t');
      expect(output).toContain('*****');
    }
    expect(text.out).toContain('value {"seen":"*****"}  Failed');
    expect(JSON.parse(json.out).status.metricResults[0].measurements[0].value).toBe('{"seen":"*****"}');
  });

  test('a valueFrom arg without --arg is an input error that says how to give it', async () => {
    const t = file(
      't.yaml',
      templateYaml(
        's',
        webMetric(''),
        'args:\n- name: token\n  valueFrom:\n    secretKeyRef: {name: api, key: token}',
      ),
    );
    const run = await analyze(['-f', t], { clock: new FakeClock() });
    expect(run.code).toBe(4);
    expect(run.err).toContain(
      'arg "token" comes from key "token" of Secret "api", which kubectl ramp analyze cannot read (it has no cluster); give the value with --arg token=VALUE',
    );
  });

  test('an --arg no template declares is noted, not fatal', async () => {
    ratio = 0.01;
    const t = file('t.yaml', templateYaml('r', webMetric('successCondition: result < 0.05')));
    const run = await analyze(['-f', t, '--arg', 'typo=1'], { clock: new FakeClock() });
    expect(run.code).toBe(0);
    expect(run.err).toBe('warning: --arg typo: no template declares an arg of that name; it is not used\n');
  });
});

describe('templates', () => {
  test('spec.templates are found in the other files; a ClusterAnalysisTemplate runs the same', async () => {
    ratio = 0.01;
    const dir = writeFiles({
      'top.yaml': templateYaml(
        'top',
        webMetric('successCondition: result < 0.05'),
        'templates:\n- templateName: base\n  clusterScope: true',
      ),
      'base.yaml': templateYaml(
        'base',
        `successCondition: result[0] < {{args.max}}\nprovider:\n  prometheus:\n    address: http://prometheus.invalid:9090\n    query: up`,
        'args:\n- name: max\n  value: "0.05"',
        'ClusterAnalysisTemplate',
      ),
    });
    const files = ['-f', join(dir, 'top.yaml'), '-f', join(dir, 'base.yaml')];
    const run = await analyze([...files, '--template', 'top', '--prometheus-address', server.url], {
      clock: new FakeClock(),
    });
    expect(run.out).toContain('Running AnalysisTemplate/top: 2 metrics (top, base)');
    expect(run.code).toBe(0);
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/api/v1/query', '/ratio']);

    ratio = 0.2;
    const alone = await analyze(
      [...files, '--template', 'ClusterAnalysisTemplate/base', '--prometheus-address', server.url],
      {
        clock: new FakeClock(),
      },
    );
    expect(alone.out).toContain('Running ClusterAnalysisTemplate/base: 1 metric (base)');
    expect(alone.code).toBe(1);
  });
});
