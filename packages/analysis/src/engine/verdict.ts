// A measurement's verdict from its value, as Argo Rollouts' EvaluateResult decides it
// (utils/evaluate/evaluate.go):
//
//   conditions given      | success | failure | phase
//   ----------------------+---------+---------+-------------
//   none                  |    -    |    -    | Successful
//   successCondition only |  true   |    -    | Successful
//   successCondition only |  false  |    -    | Failed
//   failureCondition only |    -    |  true   | Failed
//   failureCondition only |    -    |  false  | Successful
//   both                  |  any    |  true   | Failed        (failure wins)
//   both                  |  true   |  false  | Successful
//   both                  |  false  |  false  | Inconclusive
//
// A condition that cannot be evaluated makes the measurement Error, with the reason as message. The
// success condition is evaluated first: when it errs, the failure condition is not looked at.
import type { AnalysisPhase, Metric } from '@ramp/api';

/** Evaluates one condition against an environment (`{ result }`); throws when it cannot. */
export type ConditionEvaluator = (source: string, env: Record<string, unknown>) => boolean;

export interface Verdict {
  phase: Extract<AnalysisPhase, 'Successful' | 'Failed' | 'Inconclusive' | 'Error'>;
  /** Why, for an Error. */
  message?: string;
}

function evaluateCondition(source: string, value: unknown, evaluate: ConditionEvaluator): boolean {
  const out: unknown = evaluate(source, { result: value });
  if (typeof out !== 'boolean') throw new Error(`expected bool, but got ${typeName(out)}`);
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const given = (condition: string | undefined): condition is string =>
  condition !== undefined && condition !== '';

/** The phase of one measurement whose value is `value`. */
export function judge(metric: Metric, value: unknown, evaluate: ConditionEvaluator): Verdict {
  const hasSuccess = given(metric.successCondition);
  const hasFailure = given(metric.failureCondition);
  let success = false;
  let failure = false;
  try {
    if (hasSuccess) success = evaluateCondition(metric.successCondition as string, value, evaluate);
    if (hasFailure) failure = evaluateCondition(metric.failureCondition as string, value, evaluate);
  } catch (err) {
    return { phase: 'Error', message: errorMessage(err) };
  }
  if (!hasSuccess && !hasFailure) return { phase: 'Successful' };
  if (hasSuccess && !hasFailure) failure = !success;
  if (!hasSuccess && hasFailure) success = !failure;
  if (failure) return { phase: 'Failed' };
  if (!success) return { phase: 'Inconclusive' };
  return { phase: 'Successful' };
}

/** The text of anything thrown; never empty (an error without a message still says what it was). */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : err === undefined || err === null ? '' : String(err);
  if (text.trim() !== '') return text;
  return err instanceof Error && err.name !== 'Error'
    ? `${err.name} (without a message)`
    : 'failed without an error message';
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

/**
 * The text stored as Measurement.value: a number as Prometheus writes it ("0.99", "NaN", "+Inf"), a
 * list of numbers as "[0.99,0.5]" (Argo's prometheus provider), a string as is, anything else as JSON.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined || value === null) return '';
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    return `[${value.map(formatNumber).join(',')}]`;
  }
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
