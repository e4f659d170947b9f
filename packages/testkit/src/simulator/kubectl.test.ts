/**
 * End to end over HTTP with the real kubectl and the real clock (short delays, bounded waits): a ReplicaSet
 * created with `kubectl create -f` shows READY = replicas; a Job satisfies `kubectl wait --for=condition=...`.
 * Skipped, saying so, when kubectl is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestCluster, type TestCluster } from '../index';
import { waitFor } from '../testing/helpers';

function hasKubectl(): boolean {
  try {
    execFileSync('which', ['kubectl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasKubectl();
if (!available) console.warn('kubectl is not installed: the simulator end-to-end test is SKIPPED');

let cluster: TestCluster;
let dir: string;

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args],
      { timeout: 10_000, env: { ...process.env, HOME: dir } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${err.message} ${stderr}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input ?? '');
  });
}

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

const job = (name: string, script: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, "${script}"]
`;

(available ? describe : describe.skip)('the simulator seen by kubectl', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'testkit-sim-'));
    cluster = await startTestCluster({ crdsDir: [], simulator: true, readyDelayMs: 200, jobDurationMs: 200 });
    cluster.writeKubeconfig(path.join(dir, 'kubeconfig'));
  });

  afterAll(async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('kubectl create -f: the ReplicaSet becomes READY 3/3, its pods Running', async () => {
    expect(await kubectl(['create', '-f', '-'], RS)).toContain('replicaset.apps/web created');
    await waitFor('kubectl get rs to show READY 3', async () =>
      /^web\s+3\s+3\s+3\s+\d+s$/m.test(await kubectl(['get', 'rs', 'web'])),
    );
    const pods = await kubectl(['get', 'pods', '-l', 'app=web']);
    expect(pods.match(/^web-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+/gm)).toHaveLength(3);
    await kubectl(['scale', 'rs', 'web', '--replicas', '1']);
    await waitFor('kubectl get rs to show 1 1 1', async () =>
      /^web\s+1\s+1\s+1\s+/m.test(await kubectl(['get', 'rs', 'web'])),
    );
  });

  test('kubectl wait: one Job completes, one fails', async () => {
    await kubectl(['create', '-f', '-'], job('pass', 'sleep 0.1 && exit 0'));
    await kubectl(['create', '-f', '-'], job('fail', 'sleep 0.1 && exit 1'));
    expect(await kubectl(['wait', '--for=condition=Complete', 'job/pass', '--timeout=5s'])).toContain(
      'job.batch/pass condition met',
    );
    expect(await kubectl(['wait', '--for=condition=Failed', 'job/fail', '--timeout=5s'])).toContain(
      'job.batch/fail condition met',
    );
    expect(await kubectl(['get', 'jobs'])).toMatch(/^fail\s+Failed\s+0\/1\s+/m);
  });
});
