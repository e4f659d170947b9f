// One seeded chaos run, start to end:
//  deploy    testkit (API server and workload simulator, in this process) with the fleet; faults on
//            (they hit only the controller: the script and the monitor use the store); the controller
//            started; every Rollout to its first Healthy.
//  chaos     the seed's script (script-plan.ts) and its kills (kill-schedule.ts), for chaosMs; the
//            monitor checks every stored state all along (and until the end).
//  calm      faults off, no more kills, the controller running; every Rollout observed by it.
//  finale    the script's last actions (script-actions.ts), then every Rollout must converge
//            (convergence.ts) within convergeTimeoutMs.
//  idle      once no write came for a second, a window of idleWindowMs in which the controller must
//            write nothing (request-log.ts).
// Everything it started is stopped at the end, also on failure (and by stopChaosRuns()).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestCluster, type TestCluster } from '@ramp/testkit';
import { ControllerUnderTest } from './controller-process';
import { unconverged } from './convergence';
import { FLEET, fleetObjects, NAMESPACE } from './fleet';
import { type Kill, planKills } from './kill-schedule';
import { InvariantMonitor, type Violation } from './monitor';
import { RequestLog } from './request-log';
import { describeState } from './rollout-state';
import { applyAction, finaleActions } from './script-actions';
import { type Action, describeAction, planScript } from './script-plan';

export interface ChaosOptions {
  seed: number;
  /** How long the script and the kills go on (ms). Default 20 s. */
  chaosMs?: number;
  /** SIGKILLs of the controller during the chaos window. Default 4. */
  kills?: number;
  /** testkit's fault spec during deploy and chaos (its seed is the run's). */
  faults?: string;
  /** Simulator: how long pods take to become ready. Default 200 ms. */
  readyDelayMs?: number;
  deployTimeoutMs?: number;
  convergeTimeoutMs?: number;
  /** The window in which the controller must not write. Default 5 s. */
  idleWindowMs?: number;
  /** End the chaos window at the first violation (the rest of the run still happens). Default true. */
  stopAtFirstViolation?: boolean;
  /** Progress lines (the bench prints them). */
  progress?: (line: string) => void;
}

export const DEFAULT_FAULTS = 'error=0.04,conflict=0.08,watch-cut=3s,latency=0-15ms';

export interface ChaosReport {
  seed: number;
  ok: boolean;
  /** Why the run itself failed (a phase timed out, an exception), besides the violations. */
  failure?: string;
  actions: number;
  finaleActions: number;
  kills: number;
  crashes: string[];
  statesChecked: number;
  violationCount: number;
  violations: Violation[];
  converged: boolean;
  /** From the finale to every Rollout converged (ms). */
  convergeMs?: number;
  /** The Rollouts that did not converge: what differs, and their state. */
  unconverged: string[];
  idleWrites?: number;
  idleWritesBy: Record<string, number>;
  requests: number;
  writes: number;
  injectedErrors: number;
  conflicts: number;
  wallMs: number;
  /** The script's actions as made (planned time, action, and the store's error if it refused one). */
  actionLog: string[];
  plannedKills: Kill[];
  controllerLog: string;
  serverWarnings: string[];
}

const running = new Set<() => Promise<void>>();

/** Stops whatever runs are still going (for a test's afterAll, when a run was cut short). */
export async function stopChaosRuns(): Promise<void> {
  for (const stop of [...running]) await stop();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const seed = options.seed;
  const chaosMs = options.chaosMs ?? 20_000;
  const started = Date.now();
  const progress = options.progress ?? (() => {});
  let phase = 'deploy';
  const requests = new RequestLog();
  const dir = mkdtempSync(path.join(os.tmpdir(), `ramp-chaos-${seed}-`));
  const kubeconfig = path.join(dir, 'kubeconfig');
  let cluster: TestCluster | undefined;
  let controller: ControllerUnderTest | undefined;
  let monitor: InvariantMonitor | undefined;
  const stop = async () => {
    running.delete(stop);
    monitor?.stop();
    await controller?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stop);

  const actionLog: string[] = [];
  const kills = planKills({ seed, count: options.kills ?? 4, durationMs: chaosMs });
  const script = planScript({ seed, rollouts: FLEET, durationMs: chaosMs });
  const report: ChaosReport = {
    seed,
    ok: false,
    actions: 0,
    finaleActions: 0,
    kills: 0,
    crashes: [],
    statesChecked: 0,
    violationCount: 0,
    violations: [],
    converged: false,
    unconverged: [],
    idleWritesBy: {},
    requests: 0,
    writes: 0,
    injectedErrors: 0,
    conflicts: 0,
    wallMs: 0,
    actionLog,
    plannedKills: kills,
    controllerLog: '',
    serverWarnings: [],
  };
  let t0 = Date.now();
  let finaleMade = false;
  const act = (store: TestCluster['store'], action: Action) => {
    const error = applyAction(store, action);
    if (phase === 'chaos') report.actions += 1;
    actionLog.push(`${describeAction(action)}${error ? `  (refused: ${error})` : ''}`);
  };
  /** Waits until `at` (epoch ms), starting the controller again if it crashed meanwhile. */
  const waitUntil = async (at: number) => {
    for (;;) {
      if (controller?.crashed()) {
        actionLog.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s controller crashed; started again`);
        controller.start();
      }
      const left = at - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, 50));
    }
  };
  const poll = async (what: string, done: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${phase}: ${what} not within ${timeoutMs} ms`);
      await waitUntil(Date.now() + 100);
    }
  };
  const states = () => FLEET.map((name) => monitor!.state(name)).filter((s) => s !== undefined);

  try {
    cluster = await startTestCluster({
      simulator: true,
      readyDelayMs: options.readyDelayMs ?? 200,
      simulatorSeed: seed,
      logger: requests.logger,
    });
    const store = cluster.store;
    cluster.writeKubeconfig(kubeconfig);
    monitor = new InvariantMonitor(store, NAMESPACE, () => phase);
    monitor.start();
    for (const obj of fleetObjects()) store.create(obj as Parameters<typeof store.create>[0]);
    cluster.setFaults(`${options.faults ?? DEFAULT_FAULTS},seed=${seed}`);
    controller = new ControllerUnderTest(kubeconfig);
    controller.start();
    progress(`seed ${seed}: deploying ${FLEET.length} Rollouts`);
    await poll(
      'every Rollout Healthy',
      () => FLEET.every((n) => monitor!.wasHealthy(n)),
      options.deployTimeoutMs ?? 60_000,
    );

    phase = 'chaos';
    progress(`seed ${seed}: chaos for ${chaosMs / 1000} s: ${script.length} actions, ${kills.length} kills`);
    const events: { atMs: number; run: () => Promise<void> | void }[] = [
      ...script.map((a) => ({ atMs: a.atMs, run: () => act(store, a) })),
      ...kills.flatMap((k) => [
        {
          atMs: k.atMs,
          run: async () => {
            actionLog.push(`+${(k.atMs / 1000).toFixed(1)}s controller SIGKILLed (down ${k.downMs} ms)`);
            await controller!.kill();
          },
        },
        { atMs: k.atMs + k.downMs, run: () => controller!.start() },
      ]),
    ].sort((a, b) => a.atMs - b.atMs);
    t0 = Date.now();
    for (const event of events) {
      if (options.stopAtFirstViolation !== false && monitor.violationCount > 0) break;
      await waitUntil(t0 + event.atMs);
      await event.run();
    }
    if (!(options.stopAtFirstViolation !== false && monitor.violationCount > 0))
      await waitUntil(t0 + chaosMs);

    phase = 'calm';
    cluster.setFaults(undefined);
    controller.start();
    progress(`seed ${seed}: faults off; waiting for the controller to observe every Rollout`);
    await poll(
      'every Rollout observed (status.observedGeneration = generation)',
      () =>
        states().every(
          (s) => String(s.rollout.status?.observedGeneration) === String(s.rollout.metadata.generation),
        ),
      options.convergeTimeoutMs ?? 40_000,
    );

    phase = 'converge';
    const finale = finaleActions(states(), Date.now() - t0);
    for (const action of finale) act(store, action);
    report.finaleActions = finale.length;
    finaleMade = true;
    const convergeFrom = Date.now();
    progress(`seed ${seed}: finale (${finale.length} actions); waiting for convergence`);
    try {
      await poll(
        'every Rollout converged',
        () => states().every((s) => !unconverged(s)),
        options.convergeTimeoutMs ?? 40_000,
      );
      report.converged = true;
      report.convergeMs = Date.now() - convergeFrom;
    } catch (err) {
      report.failure = (err as Error).message;
    }
    if (report.converged) {
      phase = 'idle';
      await poll(
        'a second without a controller write',
        () => Date.now() - requests.lastWriteAt >= 1_000,
        15_000,
      ).catch(() => {});
      const before = requests.snapshot();
      const from = requests.writes;
      await waitUntil(Date.now() + (options.idleWindowMs ?? 5_000));
      report.idleWrites = requests.writes - from;
      report.idleWritesBy = requests.writesSince(before);
    }
  } catch (err) {
    report.failure = `${(err as Error).stack ?? err}`;
  } finally {
    phase = 'stop';
    if (monitor) {
      report.statesChecked = monitor.statesChecked;
      report.violationCount = monitor.violationCount;
      report.violations = [...monitor.violations];
      for (const s of finaleMade ? states() : []) {
        const problem = unconverged(s);
        if (problem) report.unconverged.push(`${s.rollout.metadata.name}: ${problem}\n${describeState(s)}`);
      }
    }
    report.kills = controller?.kills ?? 0;
    report.crashes = [...(controller?.crashes ?? [])];
    report.controllerLog = controller?.logTail() ?? '';
    report.requests = requests.requests;
    report.writes = requests.writes;
    report.injectedErrors = requests.errors;
    report.conflicts = requests.conflicts;
    report.serverWarnings = requests.lastWarnings();
    await stop();
    report.wallMs = Date.now() - started;
  }
  report.ok =
    report.failure === undefined &&
    report.violationCount === 0 &&
    report.converged &&
    report.idleWrites === 0;
  return report;
}
