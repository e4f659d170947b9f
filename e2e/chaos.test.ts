// The chaos test (issue #19), CI-sized: for each seed, testkit (API server and workload simulator) in
// this process with API errors, conflicts and cut watches hitting the controller; the real
// bin/ramp-controller SIGKILLed 4 times at seeded moments and started again; a seeded script of image
// updates (good, crash-looping, rollbacks), aborts, retries, promotes and promote-fulls over a dozen
// canary and blue-green Rollouts for 20 s; a monitor checking the safety invariants on every stored
// state (packages/chaos/src/invariants.ts); then faults off, the script's finale, every Rollout
// converged, and a 5 s window without a single controller write. The long run is bench/chaos.js.
// A failure prints the seed, each violation with the state that showed it, the script's last actions
// and the controller's log tail.
import { type ChaosReport, formatFailure, runChaos, stopChaosRuns } from '@ramp/chaos';
import { ensureBuilt } from './support/harness';

/** Three seeds (any seed will do; bench/chaos.js runs more, longer, with more kills). */
const SEEDS = [1, 2, 3];
const CI_SIZE = { chaosMs: 20_000, kills: 4, convergeTimeoutMs: 30_000, idleWindowMs: 5_000 };

jest.setTimeout(240_000);
beforeAll(() => ensureBuilt(), 240_000);
afterAll(() => stopChaosRuns());

const checked = (report: ChaosReport) => {
  if (!report.ok) throw new Error(formatFailure(report));
  return report;
};

test.each(SEEDS)(
  'seed %i: the controller killed and faulted under a seeded script: no invariant broken, converged, then idle',
  async (seed) => {
    const report = checked(await runChaos({ seed, ...CI_SIZE }));
    // It was chaos: the kills happened, faults reached the controller, the script acted.
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(report.injectedErrors).toBeGreaterThan(0);
    expect(report.conflicts).toBeGreaterThan(0);
    expect(report.actions).toBeGreaterThan(30);
    expect(report.statesChecked).toBeGreaterThan(300);
    expect(report.idleWrites).toBe(0);
  },
);
