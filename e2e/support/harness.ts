// The e2e harness: starts the real processes (bin/ramp-testkit serve with its workload simulator,
// bin/ramp-controller, bin/ramp-traffic, and Prometheus when a scenario needs it) on free ports,
// drives them with the real kubectl and `kubectl ramp`, and stops them all (process groups, so no
// leftovers), also when a test fails. Every wait has a deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin');
export const EXAMPLES = path.join(ROOT, 'examples');

export const KUBECTL = process.env['RAMP_E2E_KUBECTL'] ?? '/usr/bin/kubectl';

const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 5_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The build: once, before any launcher runs, so parallel test files do not race to build.

/**
 * Runs `tsc -b` (bounded) under a lock shared by the jest workers: the launchers build when a
 * source is newer than their entry point, and two builds at once would write the same files.
 */
export async function ensureBuilt(timeoutMs = 240_000): Promise<void> {
  const lock = path.join(os.tmpdir(), `ramp-e2e-build-${hashOf(ROOT)}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the whole bound is left over from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > timeoutMs) rmdirSync(lock);
      } catch {}
      if (Date.now() > deadline) throw new Error(`another e2e build held ${lock} for ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  try {
    const result = await run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b'], {
      timeoutMs: Math.max(1_000, deadline - Date.now()),
    });
    if (result.code !== 0)
      throw new Error(`tsc -b failed (${result.code}):\n${result.stdout}${result.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

function hashOf(text: string): string {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16);
}

// ---------------------------------------------------------------------------------------------
// Commands that end: kubectl, kubectl ramp, the demo.

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

// ---------------------------------------------------------------------------------------------
// Long-running processes, each in its own process group.

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
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
export function startProc(name: string, file: string, args: string[], env?: NodeJS.ProcessEnv): Proc {
  installExitHook();
  const child = spawn(file, args, {
    cwd: ROOT,
    env: env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Proc(name, child);
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Polling.

/** Polls `check` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** One GET on 127.0.0.1 returning the parsed JSON body (bounded). */
export function getJson<T>(url: string, timeoutMs = 2_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch (e) {
          reject(e);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Objects.

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface RolloutJson {
  metadata: { name: string; generation?: number; uid?: string };
  spec: {
    replicas?: number;
    paused?: boolean;
    template: { spec: { containers: { name: string; image: string }[] } };
    strategy: { canary?: { steps?: unknown[] }; blueGreen?: Record<string, unknown> };
  };
  status?: {
    phase?: string;
    message?: string;
    abort?: boolean;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    observedGeneration?: string | number;
    pauseConditions?: { reason: string; startTime?: string }[] | null;
    controllerPause?: boolean;
    blueGreen?: { activeSelector?: string; previewSelector?: string; scaleUpPreviewCheckPoint?: boolean };
    canary?: { currentBackgroundAnalysisRunStatus?: { name?: string; status?: string; message?: string } };
    conditions?: Condition[];
    replicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
}

export interface ReplicaSetJson {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface AnalysisRunJson {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    message?: string;
    metricResults?: {
      name: string;
      phase?: string;
      failed?: number;
      successful?: number;
      measurements?: { phase: string; startedAt?: string; finishedAt?: string; value?: string }[];
    }[];
  };
}

export interface ServiceJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { selector?: Record<string, string> };
}

export interface EventJson {
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string };
}

export const imageOfRs = (rs: ReplicaSetJson) => rs.spec.template.spec.containers[0]?.image ?? '';
export const hashOfRs = (rs: ReplicaSetJson) => rs.metadata.labels?.['rollouts-pod-template-hash'] ?? '';

/** Reads a YAML file of examples/ (or any path), all its documents. */
export function readYaml<T = Record<string, unknown>>(file: string): T[] {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(EXAMPLES, file), 'utf8');
  return text
    .split(/^---\s*$/m)
    .map((doc) => parseYaml(doc) as T | null)
    .filter((doc): doc is T => doc !== null && doc !== undefined);
}

/** Objects as one kubectl input: YAML documents. */
export const toYaml = (docs: unknown[]): string => docs.map((d) => stringifyYaml(d)).join('---\n');

// ---------------------------------------------------------------------------------------------
// A stack: the processes of one scenario.

export interface StackOptions {
  /** Simulator: how long pods take to become ready (ms). Default 150. */
  readyDelayMs?: number;
  /** Start the traffic app for pods matching this selector. */
  trafficSelector?: string;
  /** Requests per second of the traffic app. Default 100. */
  trafficRate?: number;
}

export class Stack {
  readonly dir: string;
  readonly kubeconfig: string;
  testkit!: Proc;
  controller!: Proc;
  traffic: Proc | undefined;
  trafficUrl: string | undefined;
  /** Every controller started, the killed ones too (their logs). */
  readonly controllers: Proc[] = [];
  private readonly extra: { stop(): Promise<void> }[] = [];
  private readonly procs: Proc[] = [];

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'ramp-e2e-'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack();
    try {
      stack.testkit = stack.track(
        startProc('ramp-testkit', path.join(BIN, 'ramp-testkit'), [
          'serve',
          '--port',
          '0',
          '--kubeconfig',
          stack.kubeconfig,
          '--ready-delay',
          String(options.readyDelayMs ?? 150),
          '--job-duration',
          '200',
          '--log-level',
          'warn',
        ]),
      );
      await stack.testkit.waitForOutput(/^http:\/\/127\.0\.0\.1:\d+$/m, 60_000);
      await stack.startController();
      if (options.trafficSelector) {
        stack.traffic = stack.track(
          startProc('ramp-traffic', path.join(BIN, 'ramp-traffic'), [
            '--kubeconfig',
            stack.kubeconfig,
            '--selector',
            options.trafficSelector,
            '--rate',
            String(options.trafficRate ?? 100),
          ]),
        );
        stack.trafficUrl = (await stack.traffic.waitForOutput(/^http:\/\/127\.0\.0\.1:\d+$/m, 60_000))[0];
      }
      return stack;
    } catch (e) {
      await stack.stop();
      throw e;
    }
  }

  private track(proc: Proc): Proc {
    this.procs.push(proc);
    return proc;
  }

  /** Something else to stop with the stack (Prometheus), in reverse order. */
  onStop(thing: { stop(): Promise<void> }): void {
    this.extra.push(thing);
  }

  /** Starts a controller (again); waits until it has synced its caches. */
  async startController(): Promise<Proc> {
    const controller = this.track(
      startProc('ramp-controller', path.join(BIN, 'ramp-controller'), [
        '--kubeconfig',
        this.kubeconfig,
        '--log-format',
        'text',
        '--metrics-port',
        '0',
        '--health-port',
        '0',
        '--leader-elect=false',
      ]),
    );
    this.controller = controller;
    this.controllers.push(controller);
    await controller.waitForOutput(/cache|sync|started|ready/i, 60_000);
    return controller;
  }

  /** The controller's log tail, with the earlier (killed) ones. */
  controllerLogs(lines = 40): string {
    return this.controllers
      .map((c, i) => `--- controller #${i + 1} (pid ${c.pid}) ---\n${c.tail(lines)}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    for (const thing of this.extra.reverse()) await thing.stop().catch(() => {});
    this.extra.length = 0;
    for (const proc of [...this.procs].reverse()) await proc.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // --- kubectl -------------------------------------------------------------------------------

  kubectl(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(KUBECTL, ['--kubeconfig', this.kubeconfig, ...args], {
      env: envWithBin({ KUBECONFIG: this.kubeconfig }),
      ...options,
    });
  }

  /** kubectl that must succeed. */
  async kubectlOk(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.kubectl(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** `kubectl ramp ARGS` through kubectl's plugin lookup (bin/ first on PATH). */
  ramp(args: string[], timeoutMs = 30_000): Promise<RunResult> {
    // kubectl takes no flags before a plugin's name: the kubeconfig goes after the verb.
    return run(KUBECTL, ['ramp', ...args, '--kubeconfig', this.kubeconfig], {
      env: envWithBin({ KUBECONFIG: this.kubeconfig }),
      timeoutMs,
    });
  }

  async rampOk(args: string[], timeoutMs = 30_000): Promise<string> {
    const r = await this.ramp(args, timeoutMs);
    if (r.code !== 0)
      throw new Error(`kubectl ramp ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  apply(docs: unknown[]): Promise<string> {
    return this.kubectlOk(['apply', '-f', '-'], { input: toYaml(docs) });
  }

  async getJson<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.kubectlOk(['get', ...args, '-o', 'json'])) as T;
  }

  rollout(name: string): Promise<RolloutJson> {
    return this.getJson<RolloutJson>(['rollout', name]);
  }

  async list<T>(kind: string, selector?: string): Promise<T[]> {
    const list = await this.getJson<{ items: T[] }>([kind, ...(selector ? ['-l', selector] : [])]);
    return list.items;
  }

  /** The rollout's ReplicaSets, oldest first. */
  async replicaSets(selector: string): Promise<ReplicaSetJson[]> {
    const items = await this.list<ReplicaSetJson>('replicasets', selector);
    return items.sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
  }

  /**
   * Waits (bounded) until the rollout is Healthy on `image`, as observed by the controller for the
   * current spec (not a status left from before).
   */
  waitHealthy(name: string, image: string, timeoutMs: number): Promise<RolloutJson> {
    return waitFor(
      `rollout ${name} Healthy on ${image}`,
      async () => {
        const r = await this.rollout(name);
        const s = r.status;
        return (
          String(s?.observedGeneration) === String(r.metadata.generation) &&
          s?.phase === 'Healthy' &&
          r.spec.template.spec.containers[0]?.image === image &&
          !!s.stableRS &&
          s.stableRS === s.currentPodHash &&
          r
        );
      },
      timeoutMs,
    );
  }

  waitRollout(
    name: string,
    what: string,
    done: (r: RolloutJson) => boolean,
    timeoutMs: number,
    intervalMs = 250,
  ): Promise<RolloutJson> {
    return waitFor(
      `rollout ${name}: ${what}`,
      async () => {
        const r = await this.rollout(name);
        return done(r) && r;
      },
      timeoutMs,
      intervalMs,
    );
  }

  /** What to print when a scenario fails: the rollout's last status, controller logs, events. */
  async diagnostics(rollout: string): Promise<string> {
    const parts: string[] = [];
    const status = await this.kubectl(['get', 'rollout', rollout, '-o', 'json'], { timeoutMs: 5_000 });
    if (status.code === 0) {
      try {
        const r = JSON.parse(status.stdout) as RolloutJson;
        parts.push(
          `rollout ${rollout} spec.paused=${r.spec.paused} status:\n${JSON.stringify(r.status, null, 2)}`,
        );
      } catch {
        parts.push(status.stdout);
      }
    } else parts.push(`kubectl get rollout ${rollout}: ${status.stderr}`);
    const rs = await this.kubectl(['get', 'replicasets', '-o', 'wide'], { timeoutMs: 5_000 });
    parts.push(`replicasets:\n${rs.stdout}${rs.stderr}`);
    const ar = await this.kubectl(['get', 'analysisruns'], { timeoutMs: 5_000 });
    parts.push(`analysisruns:\n${ar.stdout}${ar.stderr}`);
    parts.push(`controller log tail:\n${this.controllerLogs()}`);
    const events = await this.kubectl(['get', 'events'], { timeoutMs: 5_000 });
    parts.push(`kubectl get events:\n${events.stdout}${events.stderr}`);
    if (this.testkit.hasExited()) parts.push(`ramp-testkit exited:\n${this.testkit.tail()}`);
    if (this.traffic?.hasExited()) parts.push(`ramp-traffic exited:\n${this.traffic.tail()}`);
    return parts.join('\n\n');
  }

  /**
   * Runs a scenario body; on failure appends the diagnostics of `rollout` to the error, so jest
   * prints them with it.
   */
  async scenario(rollout: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      let diag: string;
      try {
        diag = await this.diagnostics(rollout);
      } catch (d) {
        diag = `(diagnostics failed: ${(d as Error).message})`;
      }
      if (e instanceof Error) {
        e.message = `${e.message}\n\n===== diagnostics =====\n${diag}`;
        throw e;
      }
      throw new Error(`${String(e)}\n\n===== diagnostics =====\n${diag}`);
    }
  }
}
