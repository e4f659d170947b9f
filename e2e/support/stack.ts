// A stack: the processes of one scenario, started on free ports and stopped as a whole.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from './build';
import { envWithBin, type RunResult, run } from './commands';
import { type ReplicaSetJson, type RolloutJson, toYaml } from './objects';
import { BIN, KUBECTL } from './paths';
import { waitFor } from './polling';
import { type Proc, startProc } from './processes';

export interface StackOptions {
  /** Simulator: how long pods take to become ready (ms). Default 150. */
  readyDelayMs?: number;
  /** Start the traffic app for pods matching this selector. */
  trafficSelector?: string;
  /** Start the traffic app following this routing object (`httproute/NAME`...); not with trafficSelector. */
  trafficRoute?: string;
  /** Upstream CRD bundles testkit installs besides Ramp's (`gateway-api-experimental`, `smi`). */
  crds?: string[];
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
          ...(options.crds ?? []).flatMap((bundle) => ['--crds', bundle]),
        ]),
      );
      await stack.testkit.waitForOutput(/^http:\/\/127\.0\.0\.1:\d+$/m, 60_000);
      await stack.startController();
      const follow = options.trafficSelector
        ? ['--selector', options.trafficSelector]
        : options.trafficRoute
          ? ['--route', options.trafficRoute]
          : undefined;
      if (follow) {
        stack.traffic = stack.track(
          startProc('ramp-traffic', path.join(BIN, 'ramp-traffic'), [
            '--kubeconfig',
            stack.kubeconfig,
            ...follow,
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

/**
 * The hooks every scenario file needs: one build before the first test, and the test's stack
 * stopped after it (also when it failed). Returns the function that starts that stack.
 */
export function stackPerTest(): (options?: StackOptions) => Promise<Stack> {
  let current: Stack | undefined;
  beforeAll(() => ensureBuilt(), 240_000);
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return async (options) => {
    current = await Stack.start(options);
    return current;
  };
}
