#!/usr/bin/env node
// Benchmark: the whole controller, as its own process (controller-child.js: ramp-controller's wiring),
// against testkit's in-memory API server and workload simulator in this process, all on 127.0.0.1.
//  1. creates N canary Rollouts (2 replicas, steps [setWeight 50], a stable and a canary Service each)
//     and times them to Healthy;
//  2. counts the controller's writes while everything is idle (target: none);
//  3. forces resync cycles (the controller has no resync period): every Rollout's stable Service is
//     touched, so every Rollout is reconciled with nothing to do, then the watch history is compacted
//     and every watch cut, so every informer relists; the controller's RSS is sampled after each cycle;
//  4. updates the image of all N and times them to Healthy on it (reconciles/s, work-queue depth).
// The Rollouts are spread over namespaces of PER_NAMESPACE (default 10); `controller-scale.js 200 200` puts
// 200 in one namespace. testkit runs with its defaults (simulator resync 5 s, garbage collector 5 ms
// after a change), as the controller's tests use it: its simulator and collector read only what a change
// concerns (owner indexes, no copies), so their cost does not grow with the objects stored.
// Run: node bench/controller-scale.js [N] [PER_NAMESPACE]   (default 1000 10). Prints a table; exits 1
// when a target is missed. Environment: ROLLOUT_THREADS (default 10, as ramp-controller's), CONTROLLER_LOG=FILE
// keeps the controller's log, CONTROLLER_NODE_ARGS adds node flags to it (e.g. "--cpu-prof --cpu-prof-dir=D").
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startTestCluster } = require('../packages/testkit/dist/index.js');

const N = Number(process.argv[2] ?? 1000);
const PER_NAMESPACE = Number(process.argv[3] ?? 10);
if (![N, PER_NAMESPACE].every((n) => Number.isSafeInteger(n) && n >= 1)) {
  console.error('usage: node bench/controller-scale.js [N] [PER_NAMESPACE]   (default 1000 10)');
  process.exit(2);
}
const RO = 'argoproj.io/v1alpha1';
/** The controller's flags besides --kubeconfig: client limits well above what it uses; default threads. */
const QPS = 2000;
const BURST = 2000;
const THREADS = Number(process.env.ROLLOUT_THREADS ?? 10);
/** testkit: pods become Ready this long after creation (its default). */
const READY_DELAY_MS = 100;
const IDLE_WINDOW_MS = 10_000;
const CYCLES = 4;
const POLL_MS = 100;
/**
 * Targets. Times: a fixed part (one Rollout's own path: pods starting, a few reconciles) plus a part per
 * 1000 Rollouts, so that the whole run stays under ~3 minutes for 1000 on 2 cores.
 */
const budget = (fixedS, per1000S) => fixedS + (per1000S * N) / 1000;
const CREATE_BUDGET_S = budget(5, 40);
const UPDATE_BUDGET_S = budget(5, 55);
const RSS_LIMIT_MB = 1000;
const RSS_GROWTH_LIMIT = 0.1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToServer = () => new Promise((resolve) => setImmediate(resolve));
const name = (i) => `app-${i}`;
const namespaceOf = (i) => `bench-${Math.floor(i / PER_NAMESPACE)}`;
const seconds = (ms) => ms / 1000;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
const cpuSeconds = ({ user, system }) => (user + system) / 1e6;

function rollout(i) {
  const app = name(i);
  return {
    apiVersion: RO,
    kind: 'Rollout',
    metadata: { name: app, namespace: namespaceOf(i) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'app', image: 'registry/app:1', ports: [{ containerPort: 8080 }] }] },
      },
      strategy: {
        canary: {
          stableService: `${app}-stable`,
          canaryService: `${app}-canary`,
          steps: [{ setWeight: 50 }],
        },
      },
    },
  };
}

function service(svc, i) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc, namespace: namespaceOf(i) },
    spec: { selector: { app: name(i) }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] },
  };
}

/** The controller process (its log in `logFile`), asked for its metrics and memory over IPC. */
function startController(kubeconfig, logFile) {
  const flags = [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    `--qps=${QPS}`,
    `--burst=${BURST}`,
    `--rollout-threads=${THREADS}`,
    '--log-level=info',
  ];
  const nodeArgs = (process.env.CONTROLLER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The log goes to a file: a pipe this busy process drains late would block the controller's writes.
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...nodeArgs, path.join(__dirname, 'controller-child.js'), ...flags],
    { stdio: ['ignore', log, 'pipe', 'ipc'] },
  );
  fs.closeSync(log);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const waiting = new Map();
  let nextId = 0;
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code, signal) => {
      const err = new Error(`the controller exited (${signal ?? code}): ${stderr}`);
      reject(err);
      for (const w of waiting.values()) w.reject(err);
    });
  });
  child.on('message', (message) => {
    if (message.ready) return onReady();
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) w?.reject(new Error(message.error));
    else w?.resolve(message);
  });
  return {
    flags: flags.slice(1).join(' '),
    ready,
    /** Its counters, queue, memory and CPU (request.gc: after a full GC; request.resetMaxDepth). */
    stats(request = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the controller did not answer in 30 s'));
        }, 30_000);
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject,
        });
        child.send({ id, ...request });
      });
    },
    /** Its RSS and peak RSS in bytes, from /proc (else its own report, without a peak). */
    rss(stats) {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
        return { rss: kb('VmRSS'), peak: kb('VmHWM') };
      } catch {
        return { rss: stats.memory.rss, peak: Number.NaN };
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Lines, warnings and errors in the controller's JSON log, with the first few problems. */
function readLog(file) {
  const out = { lines: 0, warn: 0, error: 0, problems: [] };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    out.lines++;
    const level = /"level":"(\w+)"/.exec(line)?.[1];
    if (level !== 'warn' && level !== 'error' && level !== 'fatal') continue;
    out[level === 'warn' ? 'warn' : 'error']++;
    if (out.problems.length < 5) out.problems.push(line.slice(0, 400));
  }
  return out;
}

const WRITE_VERBS = new Set(['Create', 'Update', 'Patch', 'Delete']);

/** What the controller did between two stats: reconciles, requests, writes (by verb and kind), CPU. */
function delta(before, after) {
  let requests = 0;
  let writes = 0;
  const writesBy = {};
  for (const [key, n] of Object.entries(after.requests)) {
    const d = n - (before.requests[key] ?? 0);
    if (d === 0) continue;
    requests += d;
    const [verb, kind] = key.split(' ');
    if (WRITE_VERBS.has(verb)) {
      writes += d;
      writesBy[`${verb} ${kind}`] = (writesBy[`${verb} ${kind}`] ?? 0) + d;
    }
  }
  return {
    reconciles: after.reconciles - before.reconciles,
    requests,
    writes,
    writesBy,
    cpu: cpuSeconds(after.cpu) - cpuSeconds(before.cpu),
  };
}

const describeCounts = (counts) =>
  Object.entries(counts)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');

async function main() {
  const rows = [];
  const notes = [];
  const row = (metric, value, target = '', ok = undefined) => rows.push({ metric, value, target, ok });
  const runStarted = Date.now();
  const cluster = await startTestCluster({
    // Room for every change of the run: informers relist only when the bench makes them.
    eventHistory: Math.max(1000, 40 * N),
    simulator: true,
    readyDelayMs: READY_DELAY_MS,
    logLevel: 'warn',
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ramp-bench-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const logFile = path.join(dir, 'controller.log');
  cluster.writeKubeconfig(kubeconfig);
  const controller = startController(kubeconfig, logFile);
  let log = { lines: 0, warn: 0, error: 0, problems: [] };
  const stopAll = async () => {
    await controller.stop();
    log = readLog(logFile);
    if (process.env.CONTROLLER_LOG) fs.copyFileSync(logFile, process.env.CONTROLLER_LOG);
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => stopAll().finally(() => process.exit(130)));

  // The Rollouts as served, from the store's change feed: waiting lists nothing and copies nothing.
  const rollouts = new Map();
  cluster.store.subscribe(
    (c) => {
      const key = `${c.object.metadata.namespace}/${c.object.metadata.name}`;
      if (c.type === 'DELETED') rollouts.delete(key);
      else rollouts.set(key, c.object);
    },
    { apiVersion: RO, kind: 'Rollout' },
  );
  const rv = () => Number(cluster.store.resourceVersion);
  const ownCpu = () => cpuSeconds(process.cpuUsage());

  /** Waits (bounded) until all N Rollouts satisfy `ok`; returns the seconds since `t0`. */
  async function waitAll(what, ok, t0, budgetS) {
    const deadline = t0 + Math.max(2 * budgetS * 1000, 30_000);
    for (;;) {
      let bad;
      let done = 0;
      for (const ro of rollouts.values()) {
        if (ok(ro)) done++;
        else bad ??= ro;
      }
      if (done === N) return seconds(Date.now() - t0);
      if (Date.now() > deadline) {
        const example = bad ? `; e.g. ${bad.metadata.name}: ${JSON.stringify(bad.status ?? {})}` : '';
        throw new Error(`${what}: ${done}/${N} after ${seconds(Date.now() - t0)} s${example.slice(0, 600)}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits (bounded) until the controller's queue is idle and nothing changed in the cluster for 1 s. */
  async function settle(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    let quiet = 0;
    for (;;) {
      const s = await controller.stats();
      const now = { rv: rv(), reconciles: s.reconciles, busy: s.queue.length + s.queue.active };
      const still = last && now.rv === last.rv && now.reconciles === last.reconciles && now.busy === 0;
      quiet = still ? quiet + 1 : 0;
      if (quiet >= 2) return s;
      if (Date.now() > deadline) throw new Error(`the cluster did not settle in ${timeoutMs} ms`);
      last = now;
      await sleep(500);
    }
  }

  const healthy = (ro) =>
    ro.status?.phase === 'Healthy' &&
    !!ro.status.stableRS &&
    ro.status.stableRS === ro.status.currentPodHash &&
    ro.status.observedGeneration === String(ro.metadata.generation);

  /** The rows of one rollout phase: time to Healthy against its budget, and what it took. */
  function phaseRows(title, took, budgetS, d, after, serverCpu) {
    row(title, took.toFixed(1), `< ${budgetS}`, took < budgetS);
    row('  reconciles / s', (d.reconciles / took).toFixed(0));
    row('  API requests / s', (d.requests / took).toFixed(0), `(qps ${QPS})`);
    row('  API writes per Rollout', (d.writes / N).toFixed(1));
    row('  work queue depth, max', after.queue.maxDepth);
    row('  CPU s: controller / testkit (+ this bench)', `${d.cpu.toFixed(1)} / ${serverCpu.toFixed(1)}`);
    notes.push(`${title.split(' → ')[0]}: writes ${describeCounts(d.writesBy)}`);
  }

  try {
    await controller.ready;

    // 1. N Rollouts (and their Services) created → all Healthy.
    let before = await controller.stats({ resetMaxDepth: true });
    let serverCpu = ownCpu();
    let t0 = Date.now();
    for (let i = 0; i < N; i++) {
      if (i % PER_NAMESPACE === 0)
        cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceOf(i) } });
      cluster.store.create(service(`${name(i)}-stable`, i));
      cluster.store.create(service(`${name(i)}-canary`, i));
      cluster.store.create(rollout(i));
      if (i % 100 === 99) await yieldToServer();
    }
    const created = await waitAll('Rollouts created → Healthy', healthy, t0, CREATE_BUDGET_S);
    let after = await controller.stats();
    phaseRows(
      `${N} Rollouts created → all Healthy (s)`,
      created,
      CREATE_BUDGET_S,
      delta(before, after),
      after,
      ownCpu() - serverCpu,
    );

    // 2. Idle: the controller's writes (and anyone's changes) over a window.
    before = await settle();
    const rvBefore = rv();
    const changed = {};
    const unsubscribe = cluster.store.subscribe((c) => {
      const key = `${c.type} ${c.object.kind}`;
      changed[key] = (changed[key] ?? 0) + 1;
    });
    await sleep(IDLE_WINDOW_MS);
    unsubscribe();
    after = await controller.stats();
    let d = delta(before, after);
    row(`controller writes while idle (${IDLE_WINDOW_MS / 1000} s)`, d.writes, '0', d.writes === 0);
    if (d.writes > 0) notes.push(`writes while idle: ${describeCounts(d.writesBy)}`);
    row('  reconciles while idle', d.reconciles);
    row('  cluster changes while idle (any writer)', rv() - rvBefore);
    if (rv() > rvBefore) notes.push(`cluster changes while idle: ${describeCounts(changed)}`);
    row('  wake-ups scheduled', after.queue.scheduled);

    // 3. Resync cycles: every Rollout reconciled (its stable Service touched), then every informer relists.
    const rssAfter = [];
    const heapAfter = [];
    let cycleWrites = 0;
    const cycleWritesBy = {};
    for (let c = 1; c <= CYCLES; c++) {
      before = await controller.stats();
      t0 = Date.now();
      for (let i = 0; i < N; i++) {
        cluster.store.patch('v1', 'Service', `${name(i)}-stable`, namespaceOf(i), {
          metadata: { annotations: { 'bench.ramp.dev/cycle': String(c) } },
        });
        if (i % 100 === 99) await yieldToServer();
      }
      // A change no informer watches, the history compacted up to it, every watch cut: all get 410, relist.
      cluster.store.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'bench-relist', namespace: 'default' },
        data: { cycle: String(c) },
      });
      cluster.compactHistory();
      cluster.cutWatches();
      const deadline = Date.now() + 60_000;
      while ((await controller.stats()).reconciles < before.reconciles + N) {
        if (Date.now() > deadline) throw new Error(`resync cycle ${c}: not every Rollout was reconciled`);
        await sleep(POLL_MS);
      }
      await settle();
      const took = seconds(Date.now() - t0);
      after = await controller.stats({ gc: true });
      d = delta(before, after);
      cycleWrites += d.writes;
      for (const [k, n] of Object.entries(d.writesBy)) cycleWritesBy[k] = (cycleWritesBy[k] ?? 0) + n;
      rssAfter.push(controller.rss(after).rss);
      heapAfter.push(after.memory.heapUsed);
      notes.push(
        `resync cycle ${c}: ${d.reconciles} reconciles, ${d.requests} requests, ${took.toFixed(1)} s ` +
          `(1 s of it quiet), controller RSS ${mb(rssAfter.at(-1))} MB, heap after GC ${mb(heapAfter.at(-1))} MB`,
      );
    }
    row(`controller writes in ${CYCLES} resync cycles`, cycleWrites, '0', cycleWrites === 0);
    if (cycleWrites > 0) notes.push(`writes in resync cycles: ${describeCounts(cycleWritesBy)}`);
    const growth = (rssAfter.at(-1) - rssAfter[0]) / rssAfter[0];
    row('  controller RSS after each cycle (MB)', rssAfter.map(mb).join(' '));
    row(
      `  RSS growth, cycle 1 → ${CYCLES}`,
      `${(growth * 100).toFixed(1)}%`,
      `< ${RSS_GROWTH_LIMIT * 100}%`,
      growth < RSS_GROWTH_LIMIT,
    );
    row(`  heap after GC, cycle 1 → ${CYCLES} (MB)`, `${mb(heapAfter[0])} → ${mb(heapAfter.at(-1))}`);

    // 4. A new image for all N → all Healthy on it.
    const oldHash = new Map([...rollouts].map(([key, ro]) => [key, ro.status?.currentPodHash]));
    const keyOf = (ro) => `${ro.metadata.namespace}/${ro.metadata.name}`;
    before = await controller.stats({ resetMaxDepth: true });
    serverCpu = ownCpu();
    t0 = Date.now();
    const image = [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry/app:2' },
    ];
    for (let i = 0; i < N; i++) {
      cluster.store.patch(RO, 'Rollout', name(i), namespaceOf(i), image, 'json');
      if (i % 100 === 99) await yieldToServer();
    }
    const updated = await waitAll(
      'image updated → Healthy',
      (ro) => healthy(ro) && ro.status.currentPodHash !== oldHash.get(keyOf(ro)),
      t0,
      UPDATE_BUDGET_S,
    );
    after = await controller.stats();
    phaseRows(
      `image of ${N} updated → all Healthy (s)`,
      updated,
      UPDATE_BUDGET_S,
      delta(before, after),
      after,
      ownCpu() - serverCpu,
    );
    const { rss, peak } = controller.rss(after);
    row(
      'controller RSS now / peak (MB)',
      `${mb(rss)} / ${mb(peak)}`,
      `< ${RSS_LIMIT_MB}`,
      peak < RSS_LIMIT_MB * 2 ** 20,
    );
    row('reconcile errors (retried)', after.reconcileErrors);
  } catch (err) {
    row('FAILED', err.message, '', false);
  } finally {
    await stopAll();
  }
  row('controller log lines / warnings / errors', `${log.lines} / ${log.warn} / ${log.error}`);
  for (const p of log.problems) notes.push(`log: ${p}`);

  console.log(
    `controller-scale: ${N} canary Rollouts (2 replicas, steps [setWeight 50], 2 Services each), ` +
      `${PER_NAMESPACE} per namespace; controller ${controller.flags}; testkit pods Ready after ` +
      `${READY_DELAY_MS} ms, simulator and garbage collector at testkit's defaults`,
  );
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB; ` +
      `Node ${process.version}; whole run ${seconds(Date.now() - runStarted).toFixed(0)} s\n`,
  );
  const widths = [46, 24, 12, 3];
  const line = (cols) =>
    cols
      .map((c, i) => String(c).padEnd(widths[i]))
      .join(' ')
      .trimEnd();
  console.log(line(['metric', 'value', 'target', 'ok']));
  for (const r of rows)
    console.log(line([r.metric, r.value, r.target, r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']));
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
  const failed = rows.some((r) => r.ok === false);
  if (failed) console.log('\nA target was missed (the rows marked NO).');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
