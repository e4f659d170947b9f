// Commands that end: kubectl, kubectl ramp, the demo.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT } from './paths';
import { installExitHook, liveGroups } from './processes';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** How long it ran, in ms. */
  ms: number;
}

/**
 * Runs a command to its end, never throws on its exit code. Bounded: after timeoutMs its whole
 * process group (what it started too, e.g. the demo's Prometheus) gets SIGKILL, exit code 124.
 */
export function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const started = Date.now();
  installExitHook();
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: ROOT,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    if (pgid !== undefined) liveGroups.add(pgid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      if (pgid !== undefined) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {}
      }
    }, options.timeoutMs ?? 30_000);
    const finish = (code: number, extra = '') => {
      clearTimeout(timer);
      if (pgid !== undefined) {
        // Anything it left behind in its group goes too.
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {}
        liveGroups.delete(pgid);
      }
      resolve({ code, stdout, stderr: stderr + extra, ms: Date.now() - started });
    };
    child.once('error', (e) => finish(127, `\n${e.message}`));
    child.once('close', (code, signal) =>
      timedOut
        ? finish(124, `\n(killed after the time limit of ${options.timeoutMs ?? 30_000} ms)`)
        : finish(code ?? (signal ? 128 : 1)),
    );
  });
}

/** PATH with bin/ first, so `kubectl ramp` runs bin/kubectl-ramp. */
export function envWithBin(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}`, ...extra };
}
