// The AnalysisRun engine: when to measure, how to judge, how a run ends. Pure but for the providers
// and the arg resolver it is handed; time is always injected.
export * from './args';
export * from './assess';
export { evaluateCondition } from './default-evaluator';
export * from './measure';
export * from './messages';
export * from './patterns';
export * from './phase-order';
export { compactResult, countMeasurement } from './record';
export * from './redact';
export * from './retention';
export * from './run-phase';
export * from './run-spec';
export * from './run-to-completion';
export * from './schedule';
export * from './step-run';
export * from './time';
export * from './validate-metrics';
export { type ConditionEvaluator, formatValue, judge, type Verdict } from './verdict';
