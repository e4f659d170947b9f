/** Fidelity with the real kubectl binary (skipped, saying so, when kubectl is not installed). */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestCluster, type TestCluster } from '../index';
import { FIXTURES, waitFor } from '../testing/helpers';

function hasKubectl(): boolean {
  try {
    execFileSync('which', ['kubectl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasKubectl();
if (!available) {
  console.warn('kubectl is not installed (`which kubectl` failed): the kubectl fidelity tests are SKIPPED');
}
const describeKubectl = available ? describe : describe.skip;

let cluster: TestCluster;
let dir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kubectl(args: string[], input?: string, timeoutMs = 20000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'kubectl',
      ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, HOME: dir },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kubectl ${args.join(' ')} timed out after ${timeoutMs}ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const run = await kubectl(args, input);
  if (run.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
  return run.stdout;
}

// biome-ignore lint/suspicious/noExplicitAny: the assertions dig freely into kubectl's JSON output.
async function json(args: string[]): Promise<Record<string, any>> {
  return JSON.parse(await ok([...args, '-o', 'json']));
}

describeKubectl('kubectl', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'testkit-kubectl-'));
    cluster = await startTestCluster({ crdsDir: [] });
    cluster.writeKubeconfig(path.join(dir, 'kubeconfig'));
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('create -f of a CRD (no --validate=false needed), then api-resources lists it', async () => {
    expect(await ok(['create', '-f', path.join(FIXTURES, 'rollout-crd.yaml')])).toContain(
      'customresourcedefinition.apiextensions.k8s.io/rollouts.argoproj.io created',
    );
    const resources = await ok(['api-resources']);
    expect(resources).toMatch(/^rollouts\s+ro\s+argoproj\.io\/v1alpha1\s+true\s+Rollout$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  test('create -f of a CR, get -o json and the default table', async () => {
    expect(await ok(['create', '-f', path.join(FIXTURES, 'rollout.yaml')])).toContain(
      'rollout.argoproj.io/web created',
    );
    const ro = await json(['get', 'rollout', 'web']);
    expect(ro.spec.replicas).toBe(3);
    expect(ro.metadata.generation).toBe(1);
    const table = await ok(['get', 'ro']);
    expect(table).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(table).toMatch(/^web\s+3\s+\d+s\n$/m);
    expect(await ok(['get', 'ro', '-o', 'wide'])).toMatch(/PHASE/);
    expect(await ok(['get', 'namespaces'])).toMatch(/^default\s+Active\s+\d+s$/m);
  });

  test('strict validation happens on the server: unknown fields are refused', async () => {
    const bad = (
      await ok(['create', '-f', path.join(FIXTURES, 'rollout.yaml'), '--dry-run=client', '-o', 'json'])
    ).replace('"replicas": 3', '"replicas": 3, "replicaz": 4');
    const run = await kubectl(['create', '-f', '-'], bad.replace('"name": "web"', '"name": "web2"'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown field "spec.replicaz"');
  });

  test('patch --type merge, --type json, and the default strategic patch on a Deployment', async () => {
    await ok(['patch', 'ro', 'web', '--type', 'merge', '-p', '{"spec":{"paused":true}}']);
    await ok([
      'patch',
      'ro',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":4}]',
    ]);
    const ro = await json(['get', 'ro', 'web']);
    expect([ro.spec.paused, ro.spec.replicas, ro.metadata.generation]).toEqual([true, 4, 3]);
    const strategicOnCr = await kubectl(['patch', 'ro', 'web', '-p', '{"spec":{"paused":false}}']);
    expect(strategicOnCr.code).not.toBe(0);
    expect(strategicOnCr.stderr).toContain('application/strategic-merge-patch+json is not supported');
    await ok(['apply', '-f', path.join(FIXTURES, 'deployment.yaml')]);
    await ok([
      'patch',
      'deployment',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}',
    ]);
    const dep = await json(['get', 'deploy', 'web']);
    expect(
      dep.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
    ).toEqual(['web=nginx:2', 'sidecar=busybox:1.36']);
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'blue' }]);
  });

  test('apply -f: create, unchanged, configured (strategic for built-ins, merge for custom resources)', async () => {
    const deployment = path.join(FIXTURES, 'deployment.yaml');
    expect(await ok(['apply', '-f', deployment])).toContain('deployment.apps/web configured');
    expect(await ok(['apply', '-f', deployment])).toContain('deployment.apps/web unchanged');
    const dep = await json(['get', 'deploy', 'web']);
    expect(dep.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    const changed = (
      await ok(['create', '-f', path.join(FIXTURES, 'rollout.yaml'), '--dry-run=client', '-o', 'yaml'])
    ).replace('replicas: 3', 'replicas: 6');
    const first = await kubectl(['apply', '-f', '-'], changed);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('rollout.argoproj.io/web configured');
    expect((await json(['get', 'ro', 'web'])).spec.replicas).toBe(6);
    expect(await ok(['apply', '-f', '-'], changed)).toContain('rollout.argoproj.io/web unchanged');
  });

  test('scale a custom resource (scale subresource) and a ReplicaSet', async () => {
    expect(await ok(['scale', 'ro', 'web', '--replicas', '5'])).toContain('rollout.argoproj.io/web scaled');
    expect((await json(['get', 'ro', 'web'])).spec.replicas).toBe(5);
    const rs = (
      await ok(['create', '-f', path.join(FIXTURES, 'deployment.yaml'), '--dry-run=client', '-o', 'yaml'])
    )
      .replace('kind: Deployment', 'kind: ReplicaSet')
      .replace(/name: web$/m, 'name: web-rs');
    await ok(['create', '-f', '-'], rs);
    expect(await ok(['scale', 'rs', 'web-rs', '--replicas', '7'])).toContain('replicaset.apps/web-rs scaled');
    expect(await ok(['get', 'rs'])).toMatch(/^web-rs\s+7\s+0\s+0\s+\d+s$/m);
  });

  test('get -w prints the table, then a row per change', async () => {
    const child = spawn(
      'kubectl',
      [
        '--kubeconfig',
        path.join(dir, 'kubeconfig'),
        '--cache-dir',
        path.join(dir, 'cache'),
        'get',
        'ro',
        '-w',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: dir },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await waitFor('the initial table', () => /^web\s+5/m.test(out), 15000);
      await ok(['patch', 'ro', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":8}}']);
      await waitFor('the row of the change', () => /^web\s+8/m.test(out), 15000);
      expect(out.match(/^NAME/gm)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('delete waits for the object to be gone', async () => {
    expect(await ok(['delete', 'ro', 'web'])).toContain('rollout.argoproj.io "web" deleted');
    const missing = await kubectl(['get', 'ro', 'web']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Error from server (NotFound): rollouts.argoproj.io "web" not found');
    expect(await ok(['delete', 'deployment', 'web'])).toContain('deployment.apps "web" deleted');
  });
});
