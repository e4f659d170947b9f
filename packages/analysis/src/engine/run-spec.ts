// An AnalysisRun spec from one or more templates and the args given by the caller (a Rollout's
// analysis step, the CLI), as Argo's NewAnalysisRunFromTemplates builds it. Templates referenced
// through spec.templates are looked up by the caller and passed in order.
import type { AnalysisRunSpec, AnalysisTemplateSpec, Argument, Metric } from '@ramp/api';
import { specShapeProblem } from './spec-shape';

type DryRunRule = NonNullable<AnalysisRunSpec['dryRun']>[number];
type RetentionRule = NonNullable<AnalysisRunSpec['measurementRetention']>[number];

/** Templates that cannot be combined, or an arg left without a value. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export interface RunSpecOptions {
  /** Args from the caller; they override the templates' values for args the templates declare. */
  args?: readonly Argument[];
  dryRun?: readonly DryRunRule[];
  measurementRetention?: readonly RetentionRule[];
}

function flattenMetrics(templates: readonly AnalysisTemplateSpec[]): Metric[] {
  const metrics = templates.flatMap((t) => t.metrics ?? []);
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m.name)) throw new TemplateError(`two metrics have the same name '${m.name}'`);
    seen.add(m.name);
  }
  return metrics;
}

/** The templates' args together; the same arg twice must not have two different values. */
function flattenArgs(templates: readonly AnalysisTemplateSpec[]): Argument[] {
  const combined: Argument[] = [];
  for (const arg of templates.flatMap((t) => t.args ?? [])) {
    const i = combined.findIndex((a) => a.name === arg.name);
    const prev = combined[i];
    if (!prev) {
      combined.push(structuredClone(arg));
      continue;
    }
    if (prev.value !== undefined && arg.value !== undefined && prev.value !== arg.value) {
      throw new TemplateError(
        `Argument \`${prev.name}\` specified multiple times with different values: '${prev.value}', '${arg.value}'`,
      );
    }
    if (prev.value === undefined) combined[i] = structuredClone(arg);
  }
  return combined;
}

function uniqueRules<T extends { metricName: string }>(rules: T[], what: string): T[] {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.metricName))
      throw new TemplateError(`two ${what} metric rules have the same name '${r.metricName}'`);
    seen.add(r.metricName);
  }
  return rules;
}

/**
 * The caller's args merged into the templates': a caller value (or valueFrom) replaces the template's
 * for an arg the templates declare; args the templates do not declare are ignored. Every arg must end
 * with a value or a valueFrom: `args.<name> was not resolved` otherwise.
 */
export function mergeArgs(incoming: readonly Argument[], templateArgs: readonly Argument[]): Argument[] {
  const merged = templateArgs.map((a) => structuredClone(a));
  for (const arg of incoming) {
    const target = merged.find((a) => a.name === arg.name);
    if (!target) continue;
    if (arg.value !== undefined) target.value = arg.value;
    else if (arg.valueFrom) target.valueFrom = structuredClone(arg.valueFrom);
  }
  for (const arg of merged) {
    if (arg.value === undefined && !arg.valueFrom) {
      throw new TemplateError(
        `args.${arg.name} was not resolved: the template declares it without a value, and none was supplied`,
      );
    }
  }
  return merged;
}

/** The run spec for these templates (in order) and options. Throws TemplateError. */
export function runSpecFromTemplates(
  templates: readonly AnalysisTemplateSpec[],
  options: RunSpecOptions = {},
): AnalysisRunSpec {
  for (const [i, template] of templates.entries()) {
    const problem = specShapeProblem(template, false);
    if (problem) throw new TemplateError(`template ${i + 1} of ${templates.length}: ${problem}`);
  }
  const metrics = flattenMetrics(templates).map((m) => structuredClone(m));
  const args = mergeArgs(options.args ?? [], flattenArgs(templates));
  const dryRun = uniqueRules(
    [
      ...(options.dryRun ?? []),
      ...uniqueRules(
        templates.flatMap((t) => t.dryRun ?? []),
        'Dry-Run',
      ),
    ],
    'Dry-Run',
  );
  const retention = uniqueRules(
    [
      ...(options.measurementRetention ?? []),
      ...uniqueRules(
        templates.flatMap((t) => t.measurementRetention ?? []),
        'Measurement Retention',
      ),
    ],
    'Measurement Retention',
  );
  const spec: AnalysisRunSpec = { metrics };
  if (args.length > 0) spec.args = args;
  if (dryRun.length > 0) spec.dryRun = structuredClone(dryRun);
  if (retention.length > 0) spec.measurementRetention = structuredClone(retention);
  return spec;
}
