// A real ramp-controller process for tests, started from the TypeScript sources (register-ts.cjs), with
// its JSON log lines collected and ways to signal it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@ramp/testkit';
import { REPO_ROOT } from './yaml';

export class ControllerProcess {
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ msg: line, unparsed: true });
        }
        nl = pending.indexOf('\n');
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `ramp-controller ARGS` with `env` added to this process' environment. */
  static start(args: string[], env: NodeJS.ProcessEnv = {}): ControllerProcess {
    const register = join(__dirname, 'register-ts.cjs');
    const main = join(REPO_ROOT, 'packages/controller/src/main.ts');
    const child = spawn(process.execPath, ['--no-warnings', '-r', register, main, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControllerProcess(child);
  }

  /** The first log line `match` accepts, waiting for it at most `timeoutMs`. */
  line(what: string, match: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000) {
    return waitFor(`${what} (stderr: ${this.stderr.slice(-500)})`, () => this.lines.find(match), timeoutMs);
  }

  /** The health port, once the servers listen. */
  async healthPort(): Promise<number> {
    const line = await this.line('the servers to listen', (l) => l.msg === 'serving metrics and health');
    return Number(line.healthPort);
  }

  async metricsPort(): Promise<number> {
    const line = await this.line('the servers to listen', (l) => l.msg === 'serving metrics and health');
    return Number(line.metricsPort);
  }

  /** Its lease identity (logged at start). */
  async identity(): Promise<string> {
    const line = await this.line('the identity', (l) => l.msg === 'attempting to acquire the leader lease');
    return String(line.identity);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Resolves with the exit, killing the process (SIGKILL) if it is not gone after `timeoutMs`. */
  async exit(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
