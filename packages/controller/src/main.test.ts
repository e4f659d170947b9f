import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster, waitFor } from '@ramp/testkit';
import { controllerOptions, loadKubeConfig, main } from './main';
import { emptyPlan } from './model/plan';
import { parseFlags } from './runtime/flags';
import type { DecideFn } from './runtime/rollout-controller';

let cluster: TestCluster;
let stderr: string[];
let stdout: string[];

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await cluster.stop();
});

beforeEach(() => {
  stderr = [];
  stdout = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => stderr.push(String(s)) > 0);
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => stdout.push(String(s)) > 0);
});

afterEach(() => jest.restoreAllMocks());

test('--help prints the usage and exits 0', async () => {
  await expect(main(['--help'])).resolves.toBe(0);
  expect(stdout.join('')).toContain('Usage: ramp-controller');
});

test('a bad flag: one clear line, the usage, exit 2, no stack trace', async () => {
  await expect(main(['--rollout-threads', 'many'])).resolves.toBe(2);
  const text = stderr.join('');
  expect(text).toMatch(
    /^ramp-controller: --rollout-threads must be a whole number of at least 1, got "many"\n/,
  );
  expect(text).not.toMatch(/\n\s+at /);
});

test('a missing kubeconfig file or no cluster at all: exit 2 with a message', async () => {
  await expect(main(['--kubeconfig', '/nonexistent/kubeconfig'])).resolves.toBe(2);
  expect(stderr.join('')).toMatch(/^ramp-controller: .*\/nonexistent\/kubeconfig/);
  expect(() => loadKubeConfig({}, {})).toThrow(
    'pass --kubeconfig FILE, set KUBECONFIG, or run inside a cluster',
  );
});

test('KUBECONFIG is honoured when --kubeconfig is not given', () => {
  const file = join(tmpdir(), `ramp-main-${process.pid}.kubeconfig`);
  cluster.writeKubeconfig(file);
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = file;
  try {
    expect(loadKubeConfig({}).getCurrentCluster()?.server).toBe(cluster.url);
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
});

test("the metric providers take the Prometheus address of metrics that name none from the process's environment", async () => {
  const parsed = parseFlags([], {});
  if (parsed.kind !== 'run') throw new Error(`unexpected ${parsed.kind}`);
  const metric = { name: 'm', provider: { prometheus: { query: 'up' } } };
  const measure = (env: NodeJS.ProcessEnv) =>
    controllerOptions(parsed.flags, env)
      .providers?.get('prometheus')
      ?.measure(metric, { now: () => new Date() });
  await expect(measure({ RAMP_PROMETHEUS_ADDRESS: 'ftp://nowhere' })).resolves.toMatchObject({
    kind: 'error',
    message: 'prometheus address "ftp://nowhere" is not an http(s) URL',
  });
  await expect(measure({})).resolves.toMatchObject({
    kind: 'error',
    message: expect.stringContaining('prometheus address is not configured'),
  });
  expect([...(controllerOptions(parsed.flags, {}).providers?.keys() ?? [])]).toEqual(['prometheus', 'web']);
});

test('runs until SIGTERM, then stops cleanly with exit code 0', async () => {
  const file = join(tmpdir(), `ramp-main-run-${process.pid}.kubeconfig`);
  writeFileSync(file, cluster.kubeconfigYaml());
  let decided = 0;
  const decide: DecideFn = (s) => {
    decided++;
    return emptyPlan(s.rollout.status ?? {});
  };
  cluster.store.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'm', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } } } },
  });
  const listeners = process.listenerCount('SIGTERM');
  const sigint = process.listenerCount('SIGINT');
  const running = main(
    [
      '--kubeconfig',
      file,
      '--log-level',
      'silent',
      '--rollout-threads',
      '2',
      '--metrics-port=0',
      '--health-port=0',
    ],
    decide,
  );
  await waitFor('a reconcile', () => decided > 0);
  expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
  process.emit('SIGTERM', 'SIGTERM');
  await expect(running).resolves.toBe(0);
  expect(process.listenerCount('SIGTERM')).toBe(listeners);
  expect(process.listenerCount('SIGINT')).toBe(sigint);
});
