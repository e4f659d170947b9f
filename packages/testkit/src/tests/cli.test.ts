/** The serve command, run from the build (dist/cli.js): kubeconfig, clean stop, usage errors. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../testing/helpers';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const built = existsSync(CLI);
if (!built) {
  console.warn(`${CLI} is not built (run tsc -b first): the CLI tests are SKIPPED`);
}

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '', code: undefined as number | null | undefined };
  child.stdout.on('data', (d: Buffer) => {
    out.stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out.stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exited };
}

(built ? describe : describe.skip)('ramp-testkit serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'testkit-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('bad flags: a clear message, no stack trace, exit code 2', async () => {
    const { out, exited } = run(['serve', '--port', 'abc', '--kubeconfig', path.join(dir, 'kc')]);
    expect(await exited).toBe(2);
    expect(out.stderr).toContain('ramp-testkit: --port: invalid port "abc"');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    const unknown = run(['serve', '--nope']);
    expect(await unknown.exited).toBe(2);
    const faults = run(['serve', '--kubeconfig', path.join(dir, 'kc'), '--faults', 'error=7']);
    expect(await faults.exited).toBe(2);
    expect(faults.out.stderr).toContain('--faults: fault error: expected a fraction');
  });

  test('serves, writes the kubeconfig, stops cleanly on SIGTERM', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    const { child, out, exited } = run([
      'serve',
      '--kubeconfig',
      kubeconfig,
      '--crds',
      path.join(__dirname, '..', 'fixtures', 'rollout-crd.yaml'),
      '--log-level',
      'debug',
      '--ready-delay',
      '100',
    ]);
    try {
      const url = await waitFor(
        'the URL on stdout',
        () => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out.stdout)?.[1],
        10000,
      );
      expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: ${url}`);
      const res = await fetch(`${url}/apis/argoproj.io/v1alpha1/rollouts`, {
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(200);
      await waitFor('the request in the debug log', () =>
        out.stderr.includes('GET /apis/argoproj.io/v1alpha1/rollouts 200'),
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  test('--crds with a bundle name installs the upstream CRDs on top of the default crds/', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig-bundle');
    const { child, out, exited } = run([
      'serve',
      '--kubeconfig',
      kubeconfig,
      '--crds',
      'gateway-api-experimental',
    ]);
    try {
      const url = await waitFor(
        'the URL on stdout',
        () => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out.stdout)?.[1],
        10000,
      );
      for (const resource of ['gateway.networking.k8s.io/v1/httproutes', 'argoproj.io/v1alpha1/rollouts']) {
        const res = await fetch(`${url}/apis/${resource}`, { signal: AbortSignal.timeout(5000) });
        expect({ resource, status: res.status }).toEqual({ resource, status: 200 });
      }
      const crd = await fetch(
        `${url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tcproutes.gateway.networking.k8s.io`,
        { signal: AbortSignal.timeout(5000) },
      );
      expect(crd.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
