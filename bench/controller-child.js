#!/usr/bin/env node
// The controller process of controller-scale.js: ramp-controller's own wiring (main.ts: its flags, the
// kubeconfig, the pino logger on stdout, createController with decideRollout, process metrics), minus
// its /metrics and health servers, which listen on every interface. The benchmark reads the same
// metrics registry over IPC instead, with the queue depth (sampled every 20 ms) and process memory.
// Run by controller-scale.js as: node --expose-gc bench/controller-child.js RAMP-CONTROLLER-FLAGS...
const { parseFlags } = require('../packages/controller/dist/runtime/flags.js');
const { createLogger } = require('../packages/controller/dist/runtime/logging.js');
const { createController, decideRollout } = require('../packages/controller/dist/index.js');
const { controllerOptions, loadKubeConfig } = require('../packages/controller/dist/main.js');

const parsed = parseFlags(process.argv.slice(2));
if (parsed.kind !== 'run') {
  process.stderr.write(`controller-child: ${parsed.message ?? 'no flags'}\n`);
  process.exit(2);
}
const { flags } = parsed;
const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
const options = controllerOptions(flags);
const controller = createController({
  ...options,
  kubeConfig: loadKubeConfig(flags),
  decide: decideRollout,
  log,
});
controller.metrics.collectProcessMetrics();

const queue = controller.rollouts.queue;
let maxDepth = 0;
setInterval(() => {
  maxDepth = Math.max(maxDepth, queue.length);
}, 20);

/** Sum of a metric's samples (by sample name, e.g. rollout_reconcile_count), grouped by `by(labels)`. */
async function sums(metric, sample, by = () => 'all') {
  const out = {};
  const m = controller.metrics.registry.getSingleMetric(metric);
  if (!m) return out;
  for (const v of (await m.get()).values) {
    if ((v.metricName ?? metric) !== sample) continue;
    const key = by(v.labels);
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}

async function stats(request) {
  if (request.gc) global.gc?.();
  const reply = {
    reconciles: (await sums('rollout_reconcile', 'rollout_reconcile_count')).all ?? 0,
    reconcileErrors: (await sums('rollout_reconcile_error', 'rollout_reconcile_error')).all ?? 0,
    requests: await sums(
      'controller_clientset_k8s_request_total',
      'controller_clientset_k8s_request_total',
      (l) => `${l.verb} ${l.kind} ${l.status_code}`,
    ),
    queue: { length: queue.length, active: queue.active, scheduled: queue.scheduled, maxDepth },
    memory: process.memoryUsage(),
    cpu: process.cpuUsage(),
  };
  if (request.resetMaxDepth) maxDepth = queue.length;
  return reply;
}

process.on('message', (request) => {
  stats(request).then(
    (reply) => process.send({ id: request.id, ...reply }),
    (err) => process.send({ id: request.id, error: String(err) }),
  );
});
process.on('disconnect', () => {
  controller.stop(2000).finally(() => process.exit(0));
});
controller.ready.then(
  () => process.send({ ready: true }),
  (err) => {
    process.stderr.write(`controller-child: ${err.message}\n`);
    process.exit(1);
  },
);
