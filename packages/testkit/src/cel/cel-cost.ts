/**
 * The cost bound of CEL evaluation. The API server charges every evaluation against a per-call limit
 * (1,000,000) and the rules of one object against a budget (10,000,000), and stops with "operation
 * cancelled: actual cost limit exceeded" past them. testkit counts an approximation of cel-go's cost:
 * each node of the expression once, each iteration of a comprehension the nodes of its condition and step,
 * and the string functions their length / 10. A wall-clock deadline backs the count, so no rule can hold
 * the server, whatever it does.
 */
import { CelScalar, celFunc } from '@bufbuild/cel';

/** celconfig.PerCallLimit */
export const PER_CALL_LIMIT = 1_000_000;
/** celconfig.RuntimeCELCostBudget */
export const RUNTIME_COST_BUDGET = 10_000_000;
/** How long one evaluation may run whatever its count (ms). */
export const EVALUATION_DEADLINE_MS = 1000;
export const COST_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/** The name of the function testkit wraps around each comprehension's condition to count iterations. */
export const TICK_FUNCTION = '@ramp.cost';

export class CostMeter {
  used = 0;
  exceeded = false;
  private calls = 0;
  private readonly deadline: number;

  constructor(
    readonly limit: number,
    deadlineMs: number = EVALUATION_DEADLINE_MS,
  ) {
    this.deadline = Date.now() + deadlineMs;
  }

  /** Adds `cost`; false (from then on) once over the limit or past the deadline. */
  charge(cost: number): boolean {
    if (this.exceeded) return false;
    this.used += cost;
    this.calls++;
    if (this.used > this.limit || ((this.calls & 63) === 0 && Date.now() > this.deadline)) {
      this.exceeded = true;
    }
    return !this.exceeded;
  }
}

let active: CostMeter | undefined;

/** Runs `fn` (one synchronous evaluation) with `meter` charged by the functions it calls. */
export function metered<T>(meter: CostMeter, fn: () => T): T {
  const previous = active;
  active = meter;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Charges the evaluation under way; throws the cost error (turned into a CEL error) past its limit. */
export function charge(cost: number): void {
  if (active && !active.charge(cost)) throw new Error(COST_EXCEEDED);
}

/** Charges a string function: its input length / 10, as cel-go does. */
export function chargeLength(...texts: string[]): void {
  let length = 0;
  for (const text of texts) length += text.length;
  charge(1 + Math.ceil(length * 0.1));
}

/** `@ramp.cost(value, cost)`: charges `cost` and returns `value`. */
export const costFunctions = [
  celFunc(TICK_FUNCTION, [CelScalar.DYN, CelScalar.INT], CelScalar.DYN, (value, cost) => {
    charge(Number(cost));
    return value;
  }),
];
