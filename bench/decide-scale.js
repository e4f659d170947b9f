#!/usr/bin/env node
// Benchmark: the controller's decisions and caches at DESIGN.md's scale target (10,000 Rollouts in
// one process under 1 GB). Builds N healthy canary Rollouts (each with its ReplicaSet and two
// Services, as the informer caches would hold them), then times decideRollout over all of them
// (steady state: must plan no writes) and over N rollouts mid-canary, and reports heap used.
// Run: node --expose-gc bench/decide-scale.js [N]   (default 10000; `pnpm bench` builds first and runs it
// at the default). Prints a table; exits 1 if a target is missed.
const { decideRollout } = require('../packages/controller/dist/index.js');
const { podTemplateHash } = require('../packages/api/dist/index.js');

const N = Number(process.argv[2] ?? 10000);
const now = new Date('2026-01-01T01:00:00Z');

function world(i, inProgress) {
  const name = `app-${i}`;
  const template = {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name: 'app', image: `registry/app:${inProgress ? 2 : 1}` }] },
  };
  const stableTemplate = {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name: 'app', image: 'registry/app:1' }] },
  };
  const stableHash = podTemplateHash(stableTemplate);
  const hash = podTemplateHash(template);
  const rs = (h, t, replicas, revision) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${h}`,
      namespace: 'default',
      uid: `${name}-${h}`,
      labels: { app: name, 'rollouts-pod-template-hash': h },
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name, 'rollouts-pod-template-hash': h } },
      template: { ...t, metadata: { labels: { app: name, 'rollouts-pod-template-hash': h } } },
    },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  });
  const service = (svc, h) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: svc,
      namespace: 'default',
      annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': name },
    },
    spec: { selector: { app: name, 'rollouts-pod-template-hash': h } },
  });
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: 'default', uid: name, generation: 1 },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: name } },
      template,
      strategy: {
        canary: {
          canaryService: `${name}-canary`,
          stableService: `${name}-stable`,
          steps: [{ setWeight: 20 }, { pause: {} }],
        },
      },
    },
  };
  const replicaSets = inProgress
    ? [rs(stableHash, stableTemplate, 4, 1), rs(hash, template, 1, 2)]
    : [rs(hash, template, 5, 1)];
  const services = new Map([
    [`${name}-canary`, service(`${name}-canary`, hash)],
    [`${name}-stable`, service(`${name}-stable`, stableHash)],
  ]);
  const snapshot = {
    rollout,
    replicaSets,
    services,
    analysisRuns: [],
    templates: new Map(),
    clusterTemplates: new Map(),
  };
  // settle: decide until the status stops changing, as the controller would over a few reconciles
  for (let k = 0; k < 5; k++) {
    if (inProgress && k === 0)
      rollout.status = { stableRS: stableHash, currentPodHash: hash, currentStepIndex: 0 };
    const plan = decideRollout(snapshot, now);
    rollout.status = plan.status;
  }
  return snapshot;
}

function time(label, snapshots, check) {
  const start = process.hrtime.bigint();
  let writes = 0;
  for (const s of snapshots) {
    const plan = decideRollout(s, now);
    writes +=
      plan.updateReplicaSets.length +
      plan.updateServices.length +
      plan.createAnalysisRuns.length +
      (plan.createReplicaSet ? 1 : 0);
    if (check) check(plan);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { label, n: snapshots.length, totalMs: ms, perUs: (ms * 1000) / snapshots.length, writes };
}

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const healthy = Array.from({ length: N }, (_, i) => world(i, false));
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;
const midway = Array.from({ length: Math.min(N, 2000) }, (_, i) => world(i, true));

const rows = [
  time('decide, healthy (steady state)', healthy),
  time('decide, healthy again', healthy),
  time('decide, canary paused at 20%', midway),
];
const cacheMb = (heapAfter - heapBefore) / 1024 / 1024;
const rssMb = process.memoryUsage().rss / 1024 / 1024;

const line = (cols) => cols.map((c, i) => String(c).padEnd(i === 0 ? 34 : 14)).join('');
console.log(line(['measure', 'objects', 'total ms', 'µs / rollout', 'writes planned']));
for (const r of rows) console.log(line([r.label, r.n, r.totalMs.toFixed(0), r.perUs.toFixed(1), r.writes]));
console.log('');
console.log(line(['memory', 'MB', 'target', '', '']));
console.log(line([`heap for ${N} rollouts' objects`, cacheMb.toFixed(0), '< 1000', '', '']));
console.log(line(['process RSS', rssMb.toFixed(0), '< 1000', '', '']));
const fullPassSeconds = rows[1].totalMs / 1000;
console.log(line([`one full resync pass (s)`, fullPassSeconds.toFixed(2), '< 10', '', '']));
const failed = rows[0].writes + rows[1].writes > 0 || rssMb >= 1000 || fullPassSeconds >= 10;
if (failed)
  console.log('\nA target was missed (an idle rollout must plan no writes; memory and time as above).');
process.exit(failed ? 1 : 0);
