// Long-running processes for tests (the e2e suite, the chaos run), each in its own process group, so
// that stopping one stops whatever it started too; a last-resort exit hook leaves no orphans.
import { type ChildProcess, spawn } from 'node:child_process';
import { within } from './wait-for';

/** Output kept per process: the last 64 KiB. */
const OUTPUT_LIMIT = 64 * 1024;
/** How long a stop waits for an exit before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** The process groups started and not yet gone. */
export const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when a run ends without stop(): no orphans.
  process.once('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Proc {
  private output = '';
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const append = (chunk: string) => {
      this.output = (this.output + chunk).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', (e) => append(`\n[${name}: ${e.message}]\n`));
    if (child.pid !== undefined) liveGroups.add(child.pid);
    void this.exited.then(() => {
      if (child.pid !== undefined) liveGroups.delete(child.pid);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** How it ended: its exit code or signal (undefined while it runs). */
  exitStatus(): string | undefined {
    return this.hasExited() ? String(this.child.exitCode ?? this.child.signalCode) : undefined;
  }

  /** stdout and stderr, interleaved, the last 64 KiB. */
  logs(): string {
    return this.output;
  }

  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** Waits for a line of output matching `re` (bounded); fails early if the process exits. */
  async waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.output.match(re);
      if (m) return m;
      if (this.hasExited())
        throw new Error(
          `${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${re}:\n${this.tail()}`,
        );
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not print ${re} within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** The exit code once the process has exited (a signal's name if it was killed), bounded. */
  async exitCode(timeoutMs: number): Promise<number | string> {
    if (!(await within(this.exited, timeoutMs)))
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms:\n${this.tail()}`);
    return this.child.exitCode ?? this.child.signalCode ?? 'unknown';
  }

  /** Sends `signal` to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.hasExited()) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {}
  }

  /** SIGKILL to the group, and waits (bounded) for the exit. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await within(this.exited, STOP_GRACE_MS);
    this.detach();
  }

  /** SIGTERM to the group, SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.hasExited()) {
        this.signal('SIGTERM');
        if (!(await within(this.exited, STOP_GRACE_MS))) {
          this.signal('SIGKILL');
          await within(this.exited, STOP_GRACE_MS);
        }
      }
      // Whatever the group still holds (a grandchild) goes too.
      this.signal('SIGKILL');
      this.detach();
    })();
    return this.stopping;
  }

  private detach(): void {
    if (this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {}
      liveGroups.delete(this.child.pid);
    }
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

/** Starts a long-running process in its own process group, output captured. */
export function startProc(
  name: string,
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Proc {
  installExitHook();
  const child = spawn(file, args, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Proc(name, child);
}
