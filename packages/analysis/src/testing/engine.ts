// Helpers for the engine's tests (not exported from the package): scripted providers and a tiny
// condition evaluator, so tests do not depend on the condition language or the network.
import type { AnalysisRunSpec, AnalysisRunStatus, Measurement, Metric } from '@ramp/api';
import type { EngineProvider, MeasureOutcome } from '../engine/measure';
import { type StepInput, type StepResult, stepRun } from '../engine/step-run';
import type { ConditionEvaluator } from '../engine/verdict';
import type { ProviderContext } from '../providers/provider';

type Step = MeasureOutcome | ((metric: Metric, ctx: ProviderContext) => MeasureOutcome);

/** A provider that answers from a script, one entry per call (the last one repeats). */
export class ScriptedProvider implements EngineProvider {
  readonly calls: { kind: 'measure' | 'resume' | 'terminate'; metric: Metric; at: Date }[] = [];
  private measureIndex = 0;
  private resumeIndex = 0;

  constructor(
    readonly type: string,
    private readonly measures: Step[],
    private readonly resumes: Step[] = [],
  ) {}

  private next(script: Step[], index: number, metric: Metric, ctx: ProviderContext): MeasureOutcome {
    const step = script[Math.min(index, script.length - 1)];
    if (step === undefined) throw new Error('empty script');
    return typeof step === 'function' ? step(metric, ctx) : step;
  }

  async measure(metric: Metric, ctx: ProviderContext): Promise<MeasureOutcome> {
    this.calls.push({ kind: 'measure', metric, at: ctx.now() });
    return this.next(this.measures, this.measureIndex++, metric, ctx);
  }

  async resume(metric: Metric, _m: Measurement, ctx: ProviderContext): Promise<MeasureOutcome> {
    this.calls.push({ kind: 'resume', metric, at: ctx.now() });
    return this.next(this.resumes, this.resumeIndex++, metric, ctx);
  }

  async terminate(metric: Metric, _m: Measurement, ctx: ProviderContext): Promise<void> {
    this.calls.push({ kind: 'terminate', metric, at: ctx.now() });
  }

  count(kind: 'measure' | 'resume' | 'terminate'): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }
}

export const value = (v: unknown, metadata?: Record<string, string>): MeasureOutcome =>
  metadata ? { kind: 'value', value: v, metadata } : { kind: 'value', value: v };
export const failure = (message: string): MeasureOutcome => ({ kind: 'error', message });

/** A provider (type 'web') whose values come from a list (the last repeats). */
export const valuesProvider = (...values: unknown[]) =>
  new ScriptedProvider(
    'web',
    values.map((v) => value(v)),
  );

/** Evaluates `result <op> <number>` and the literals `true` / `false`; anything else throws. */
export const tinyEvaluator: ConditionEvaluator = (source, env) => {
  const s = source.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  const m = /^result\s*(<=|>=|==|!=|<|>)\s*(-?[\d.]+)$/.exec(s);
  if (!m) throw new Error(`cannot evaluate "${source}"`);
  const result = env.result;
  if (typeof result !== 'number') throw new Error(`result is not a number`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '<':
      return result < n;
    case '<=':
      return result <= n;
    case '>':
      return result > n;
    case '>=':
      return result >= n;
    case '==':
      return result === n;
    default:
      return result !== n;
  }
};

export const webMetric = (name: string, extra: Partial<Metric> = {}): Metric => ({
  name,
  provider: { web: { url: 'http://metrics.example/ok' } },
  ...extra,
});

export const T0 = '2026-11-21T10:00:00Z';
export const at = (seconds: number): Date => new Date(Date.parse(T0) + seconds * 1000);

/** A job metric (the job spec's content does not matter to the engine). */
export const jobMetric = (name: string, extra: Partial<Metric> = {}): Metric => ({
  name,
  provider: {
    job: {
      spec: {
        template: { spec: { containers: [{ name: 'c', image: 'alpine:3.8' }], restartPolicy: 'Never' } },
      },
    },
  },
  ...extra,
});

export const providersOf = (...list: EngineProvider[]): Map<string, EngineProvider> =>
  new Map(list.map((p) => [p.type, p]));

type Extra = Partial<Omit<StepInput, 'spec' | 'status' | 'now' | 'providers'>>;

/**
 * Steps the run from T0, each step at the previous wakeAt, until it completes (or `maxSteps`).
 * `provider` is one provider, or a map of several (see `providersOf`).
 */
export async function drive(
  spec: AnalysisRunSpec,
  provider: EngineProvider | Map<string, EngineProvider>,
  extra: Extra = {},
  maxSteps = 100,
) {
  let status: AnalysisRunStatus | undefined;
  let now = at(0);
  const steps: StepResult[] = [];
  const providers = provider instanceof Map ? provider : providersOf(provider);
  for (let i = 0; i < maxSteps; i++) {
    const step = await stepRun({
      spec,
      ...(status ? { status } : {}),
      now,
      providers,
      evaluate: tinyEvaluator,
      ...extra,
    });
    steps.push(step);
    status = step.status;
    if (!step.wakeAt) break;
    now = step.wakeAt;
  }
  return { status: status as AnalysisRunStatus, steps, events: steps.flatMap((s) => s.events) };
}
