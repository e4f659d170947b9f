// Usage and input errors exit 4 and say what to do; nothing is measured.
import { join, resolve } from 'node:path';
import { FakeClock } from '@ramp/analysis/testing';
import { analyze, type FakeServer, startFakeServer, templateYaml, writeFiles } from '../testing/analyze';

const seed = resolve(__dirname, '..', '..', '..', '..', 'examples', 'analysis-template.yaml');
let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer(() => ({ body: { ratio: 0.01 } }));
});
afterAll(() => server.close());

const web = (name: string, extra = 'successCondition: result < 0.05', spec = '', kind?: string) =>
  templateYaml(
    name,
    `${extra}\nprovider:\n  web:\n    url: ${server.url}/\n    jsonPath: "{$.ratio}"`,
    spec,
    kind,
  );

async function usage(args: string[]) {
  const run = await analyze(args, { clock: new FakeClock() });
  expect(run.code).toBe(4);
  expect(run.out).toBe('');
  expect(server.requests).toHaveLength(0);
  return run.err;
}

describe('kubectl ramp analyze: usage and input errors exit 4', () => {
  test('no -f', async () => {
    expect(await usage([])).toBe(
      'error: analyze needs -f FILE: the YAML file holding the AnalysisTemplate to run\n',
    );
  });

  test('an unknown flag, a flag without its value, a bad -o or duration', async () => {
    expect(await usage(['-f', seed, '--bogus'])).toBe(
      "error: unknown option '--bogus' (run kubectl ramp analyze --help for usage)\n",
    );
    expect(await usage(['-f', seed, '--duration'])).toContain(
      "option '--duration <duration>' argument missing",
    );
    expect(await usage(['-f', seed, '-o', 'yaml'])).toContain(
      '-o yaml is not an output format; use text or json',
    );
    expect(await usage(['-f', seed, '--duration', '30'])).toContain(
      '--duration "30" has no unit; write "30s" for seconds',
    );
    expect(await usage(['-f', seed, '--timeout', '0s'])).toContain('--timeout "0s" is not more than 0');
    expect(await usage(['-f', seed, '--prometheus-address', 'localhost:9090'])).toContain(
      'is not an http(s) URL',
    );
    expect(await usage(['-f', seed, '--junit', '/no/such/folder/report.xml'])).toContain(
      'the folder /no/such/folder does not exist',
    );
  });

  test('a missing file', async () => {
    expect(await usage(['-f', '/no/such/template.yaml'])).toContain(
      '/no/such/template.yaml does not exist; check the path given to -f',
    );
  });

  test('bad --arg: not NAME=VALUE, or the same name twice', async () => {
    expect(await usage(['-f', seed, '--arg', 'prometheus-address'])).toContain(
      '--arg "prometheus-address" is not NAME=VALUE; write e.g. --arg prometheus-address=http://127.0.0.1:9090',
    );
    expect(await usage(['-f', seed, '--arg', '=x'])).toContain('is not NAME=VALUE');
    expect(await usage(['-f', seed, '--arg', 'a=1', '--arg', 'a=2'])).toContain('--arg a is given twice');
  });

  test('several templates without --template lists them; an unknown one too', async () => {
    const dir = writeFiles({
      'all.yaml': `${web('first')}---\n${web('second', undefined, '', 'ClusterAnalysisTemplate')}`,
    });
    const file = join(dir, 'all.yaml');
    expect(await usage(['-f', file])).toContain(
      'the files hold 2 templates (AnalysisTemplate/first, ClusterAnalysisTemplate/second); choose one with --template NAME',
    );
    expect(await usage(['-f', file, '--template', 'third'])).toContain(
      '--template third: no such template in the files; they hold AnalysisTemplate/first, ClusterAnalysisTemplate/second',
    );
  });

  test('a file without templates', async () => {
    const dir = writeFiles({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n' });
    expect(await usage(['-f', join(dir, 'svc.yaml')])).toContain(
      'no AnalysisTemplate or ClusterAnalysisTemplate in',
    );
  });

  test('an invalid template: every finding with file, line and path, then exit 4', async () => {
    const dir = writeFiles({
      't.yaml': web('broken', 'interval: 5\nfailureLimit: lots\nsuccessCondition: result[0] <'),
    });
    const err = await usage(['-f', join(dir, 't.yaml'), '--duration', '1m']);
    expect(err).toContain(
      't.yaml:8: AnalysisTemplate/broken: spec.metrics[0].interval: expected a string, got the number 5; quote it: "5"',
    );
    expect(err).toContain(
      't.yaml:9: AnalysisTemplate/broken: spec.metrics[0].failureLimit: the string "lots" is not a whole number',
    );
    expect(err).toContain(
      't.yaml:10: AnalysisTemplate/broken: spec.metrics[0].successCondition: column 12: expected an expression after <',
    );
    expect(err).toContain(
      'error: AnalysisTemplate/broken is invalid (3 errors above); fix them and run again',
    );
  });

  test('a condition made invalid by an arg is caught before the run', async () => {
    const dir = writeFiles({
      't.yaml': web('limit', 'successCondition: "result < {{args.max}}"', 'args:\n- name: max'),
    });
    expect(await usage(['-f', join(dir, 't.yaml'), '--arg', 'max=('])).toContain(
      'metric "limit" successCondition (args substituted):',
    );
    expect(await usage(['-f', join(dir, 't.yaml')])).toContain(
      'arg "max" has no value in the template; give it with --arg max=VALUE',
    );
  });

  test('a referenced template missing from the files', async () => {
    const dir = writeFiles({
      't.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: top}\nspec:\n  templates:\n  - templateName: base\n    clusterScope: true\n`,
    });
    expect(await usage(['-f', join(dir, 't.yaml')])).toContain(
      'AnalysisTemplate/top spec.templates[0] references ClusterAnalysisTemplate "base", which is not in the files given; add its file with another -f',
    );
  });

  test('a job metric cannot run without a cluster', async () => {
    const dir = writeFiles({
      't.yaml': templateYaml(
        'job',
        'provider:\n  job:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox',
      ),
    });
    expect(await usage(['-f', join(dir, 't.yaml')])).toContain(
      'metric "job" uses the job provider, which kubectl ramp analyze cannot run',
    );
  });
});
