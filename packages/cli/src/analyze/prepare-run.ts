// From the chosen templates and the flags to a run the engine can execute: the run spec (templates
// merged, --arg values applied, --prometheus-address everywhere), the args resolved (valueFrom from
// --arg: the CLI has no cluster; Secret values are redacted), and the checks the engine would only
// make once running (they are input errors here, exit 4, before anything is measured).
import {
  type ArgResolver,
  compileCondition,
  createRedactor,
  type EngineProviders,
  metricsProblem,
  providerTypeOf,
  type Redactor,
  type ResolvedArgs,
  resolveArgs,
  runSpecFromTemplates,
  secretValues,
  substituteMetric,
} from '@ramp/analysis';
import {
  type AnalysisRunSpec,
  type AnalysisTemplateSpec,
  type Argument,
  effectiveCountOf,
  type Metric,
} from '@ramp/api';
import { inputError } from './exit-codes';
import type { TemplateDoc } from './load-templates';
import type { AnalyzeOptions } from './options';

export interface PreparedRun {
  spec: AnalysisRunSpec;
  args: ResolvedArgs;
  /** The metrics with their args substituted (limits, intervals, conditions as they will run). */
  metrics: Metric[];
  /** Replaces every Secret value by *****. */
  redactor: Redactor;
  /** Notes for the user (e.g. an --arg no template declares). */
  warnings: string[];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function sourceOf(arg: Argument): string | undefined {
  const ref = arg.valueFrom?.secretKeyRef;
  if (ref) return `comes from key "${ref.key}" of Secret "${ref.name}"`;
  if (arg.valueFrom?.fieldRef) return `comes from the field ${arg.valueFrom.fieldRef.fieldPath}`;
  return undefined;
}

/** --arg values become the args' values; valueFrom args are answered from --arg by the resolver. */
function incomingArgs(declared: readonly Argument[], given: ReadonlyMap<string, string>): Argument[] {
  const incoming: Argument[] = [];
  for (const name of new Set(declared.map((a) => a.name))) {
    const all = declared.filter((a) => a.name === name);
    const value = given.get(name);
    const source = all.map(sourceOf).find((s) => s !== undefined);
    if (source && value === undefined) {
      throw inputError(
        `arg "${name}" ${source}, which kubectl ramp analyze cannot read (it has no cluster); give the value with --arg ${name}=VALUE`,
      );
    }
    if (!source && value !== undefined) incoming.push({ name, value });
    if (!source && value === undefined && all.every((a) => a.value === undefined)) {
      throw inputError(`arg "${name}" has no value in the template; give it with --arg ${name}=VALUE`);
    }
  }
  return incoming;
}

function resolverFor(given: ReadonlyMap<string, string>): ArgResolver {
  const lookup = async (name: string) => {
    const value = given.get(name);
    if (value === undefined) throw new Error(`argument "${name}" needs --arg ${name}=VALUE`);
    return value;
  };
  return { secretKeyRef: (_ref, name) => lookup(name), fieldRef: (_ref, name) => lookup(name) };
}

function checkMetrics(
  metrics: readonly Metric[],
  providers: EngineProviders,
  options: AnalyzeOptions,
): string[] {
  const problem = metricsProblem(metrics);
  if (problem) throw inputError(`Analysis spec invalid: ${problem}`);
  for (const m of metrics) {
    const type = providerTypeOf(m);
    if (type && !providers.has(type)) {
      throw inputError(
        `metric "${m.name}" uses the ${type} provider, which kubectl ramp analyze cannot run (it runs ${[...providers.keys()].join(' and ')})`,
      );
    }
    for (const field of ['successCondition', 'failureCondition'] as const) {
      const source = m[field];
      if (!source) continue;
      try {
        compileCondition(source);
      } catch (err) {
        throw inputError(`metric "${m.name}" ${field} (args substituted): ${errorText(err)}`);
      }
    }
  }
  const endless = metrics.filter((m) => m.interval && effectiveCountOf(m) === undefined);
  if (endless.length > 0 && !options.duration) {
    // Without --duration such a run ends only when a metric fails (the gate's usual job), on
    // --timeout, or on Ctrl-C; say so, so nobody waits on a passing run that never ends.
    const list = endless.map((m) => `"${m.name}" (every ${m.interval}, no count)`).join(', ');
    return [
      `metric ${list} never completes by itself: the run goes on until a metric fails, --timeout passes or you press Ctrl-C; give --duration (e.g. --duration 5m) to end it with the verdict so far`,
    ];
  }
  return [];
}

export async function prepareRun(
  chain: readonly TemplateDoc[],
  options: AnalyzeOptions,
  providers: EngineProviders,
): Promise<PreparedRun> {
  const specs = chain.map((t) => (t.object.spec ?? {}) as AnalysisTemplateSpec);
  const declared = specs.flatMap((s) => s.args ?? []);
  const warnings = [...options.args.keys()]
    .filter((name) => !declared.some((a) => a.name === name))
    .map((name) => `--arg ${name}: no template declares an arg of that name; it is not used`);

  const incoming = incomingArgs(declared, options.args);
  let spec: AnalysisRunSpec;
  try {
    spec = runSpecFromTemplates(specs, { args: incoming });
  } catch (err) {
    throw inputError(errorText(err));
  }
  if (options.prometheusAddress) {
    for (const m of spec.metrics)
      if (m.provider.prometheus) m.provider.prometheus.address = options.prometheusAddress;
  }

  let args: ResolvedArgs;
  try {
    args = await resolveArgs(spec.args, resolverFor(options.args));
  } catch (err) {
    throw inputError(`Unable to resolve metric arguments: ${errorText(err)}`);
  }
  const redactor = createRedactor(secretValues(args));
  let metrics: Metric[];
  try {
    metrics = spec.metrics.map((m) => substituteMetric(m, args));
  } catch (err) {
    throw inputError(redactor.text(`Unable to resolve metric arguments: ${errorText(err)}`));
  }
  try {
    warnings.push(...checkMetrics(metrics, providers, options));
  } catch (err) {
    throw inputError(redactor.text(errorText(err)));
  }
  return { spec, args, metrics, redactor, warnings };
}
