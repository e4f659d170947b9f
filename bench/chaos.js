#!/usr/bin/env node
// The long chaos run: @ramp/chaos (packages/chaos) over more seeds, a longer chaos window and more
// kills than e2e/chaos.test.ts. Each seed: testkit (API server and workload simulator) in this process
// with API errors, conflicts and cut watches hitting the controller; the real bin/ramp-controller as a
// child process, SIGKILLed at seeded moments and started again; a seeded script of image updates (good,
// crash-looping, rollbacks), aborts, retries, promotes and promote-fulls over a dozen canary and
// blue-green Rollouts; a monitor checking the safety invariants on every stored state; then faults off,
// the script's finale, convergence and an idle window in which the controller must not write.
// Run after `tsc -b`: node bench/chaos.js [--seeds 1,2,3 | --first N --count K] [--chaos-s S] [--kills K]
//   [--faults SPEC]   default: seeds 1001-1005, 60 s of chaos, 12 kills each, faults DEFAULT_FAULTS of
//   packages/chaos/src/run.ts (a testkit fault spec without seed=: the seed is the run's). Prints a
//   table (and each failure in full); exits 1 on any violation, a Rollout not converged or a write
//   while idle.
const { parseArgs } = require('node:util');
const {
  DEFAULT_FAULTS,
  formatFailure,
  formatTable,
  runChaos,
  TABLE_HEADER,
  tableRow,
} = require('../packages/chaos/dist/index.js');

function options() {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      first: { type: 'string', default: '1001' },
      count: { type: 'string', default: '5' },
      'chaos-s': { type: 'string', default: '60' },
      kills: { type: 'string', default: '12' },
      faults: { type: 'string' },
    },
  });
  const ints = (text) => text.split(',').map((s) => Number(s.trim()));
  const first = Number(values.first);
  const seeds = values.seeds
    ? ints(values.seeds)
    : Array.from({ length: Number(values.count) }, (_, i) => first + i);
  const chaosS = Number(values['chaos-s']);
  const kills = Number(values.kills);
  if (![...seeds, chaosS, kills].every((n) => Number.isSafeInteger(n) && n >= 0) || seeds.length === 0) {
    console.error(
      'usage: node bench/chaos.js [--seeds 1,2,3 | --first N --count K] [--chaos-s S] [--kills K]',
    );
    process.exit(2);
  }
  return { seeds, chaosMs: chaosS * 1000, kills, faults: values.faults };
}

async function main() {
  const { seeds, chaosMs, kills, faults } = options();
  const started = Date.now();
  const rows = [TABLE_HEADER];
  const failures = [];
  for (const seed of seeds) {
    const report = await runChaos({
      seed,
      chaosMs,
      kills,
      ...(faults ? { faults } : {}),
      convergeTimeoutMs: 60_000,
      stopAtFirstViolation: false,
      progress: (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
    });
    rows.push(tableRow(report));
    if (!report.ok) failures.push(formatFailure(report));
    console.error(
      `[${new Date().toISOString().slice(11, 19)}] seed ${seed}: ${report.ok ? 'ok' : 'FAILED'}: ` +
        formatTable([TABLE_HEADER, tableRow(report)]).split('\n')[1],
    );
  }
  console.log(
    `chaos: ${seeds.length} seeds, ${chaosMs / 1000} s of chaos and ${kills} controller kills each, ` +
      `faults ${faults ?? DEFAULT_FAULTS}; ` +
      `whole run ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  console.log(formatTable(rows));
  for (const f of failures) console.log(`\n${'='.repeat(100)}\n${f}`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
