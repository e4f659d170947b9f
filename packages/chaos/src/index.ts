/**
 * @ramp/chaos: a seeded, bounded chaos run of the real controller against testkit — a script of user
 * actions over a dozen Rollouts, the controller SIGKILLed at seeded moments, API errors, conflicts and
 * cut watches, and a monitor checking the safety invariants on every stored state; then convergence and
 * an idle controller. Used by e2e/chaos.test.ts and bench/chaos.js. Test scaffolding: product code never
 * imports it.
 */
export { type Outcome, outcomeOf, unconverged } from './convergence';
export { CANARIES, FLEET, fleetObjects, imageAt, NAMESPACE } from './fleet';
export * from './invariants';
export { type Kill, planKills } from './kill-schedule';
export { availabilityFloorOf, maxUnavailableOf, servicesOf } from './limits';
export { InvariantMonitor, type Violation } from './monitor';
export { formatFailure, formatTable, TABLE_HEADER, tableRow } from './report';
export { RequestLog, requestKey } from './request-log';
export * from './rollout-state';
export { type ChaosOptions, type ChaosReport, DEFAULT_FAULTS, runChaos, stopChaosRuns } from './run';
export { applyAction, finaleActions, isBadImage } from './script-actions';
export { type Action, type ActionKind, describeAction, planScript } from './script-plan';
