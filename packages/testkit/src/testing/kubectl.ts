/** Running the real kubectl binary against a test cluster, for fidelity tests (skipped without kubectl). */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

export function hasKubectl(): boolean {
  try {
    execFileSync('which', ['kubectl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kubectl ARGS` with `dir/kubeconfig` (write it with `cluster.writeKubeconfig`) and its cache and HOME
 * in `dir`, `input` on stdin; bounded by `timeoutMs`.
 */
export function runKubectl(
  dir: string,
  args: string[],
  input?: string,
  timeoutMs = 20000,
): Promise<KubectlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'kubectl',
      ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } },
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
