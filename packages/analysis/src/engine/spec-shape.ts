// The shape of a run's spec (or a template's), checked before the engine reads it. The API server
// checks types against the CRD and the CLI validates first, but an AnalysisRun can come from
// anywhere (`kubectl apply` against a cluster without Ramp's schema, a hand-written status): a list
// where a metric belongs, a number for an interval or a run nested thousands of levels deep must end
// the run in Error naming the field, never throw out of a reconcile.
import { describeValue, MAX_NESTING, tooDeep } from '@ramp/api';

type Fields = Record<string, unknown>;
const isMap = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

const LIMITS = [
  'count',
  'failureLimit',
  'inconclusiveLimit',
  'consecutiveErrorLimit',
  'consecutiveSuccessLimit',
];
const TEXTS = ['interval', 'initialDelay', 'successCondition', 'failureCondition'];

function metricShape(metric: unknown, path: string): string | undefined {
  if (!isMap(metric))
    return `${path}: expected a metric (a map with name and provider), got ${describeValue(metric)}`;
  if (typeof metric.name !== 'string' || metric.name === '')
    return `${path}.name: expected the metric's name, got ${describeValue(metric.name)}`;
  for (const field of TEXTS) {
    const v = metric[field];
    if (!absent(v) && typeof v !== 'string')
      return `${path}.${field}: expected a string${field.endsWith('Condition') ? '' : ' such as "30s"'}, got ${describeValue(v)}`;
  }
  for (const field of LIMITS) {
    const v = metric[field];
    if (!absent(v) && typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
      return `${path}.${field}: expected a whole number (or "{{args.name}}"), got ${describeValue(v)}`;
  }
  if (!isMap(metric.provider))
    return `${path}.provider: expected a map naming one provider (prometheus, web or job), got ${describeValue(metric.provider)}`;
  return undefined;
}

function listShape(
  list: unknown,
  path: string,
  item: (value: Fields, itemPath: string) => string | undefined,
): string | undefined {
  if (absent(list)) return undefined;
  if (!Array.isArray(list)) return `${path}: expected a list, got ${describeValue(list)}`;
  for (const [i, value] of list.entries()) {
    const itemPath = `${path}[${i}]`;
    if (!isMap(value)) return `${itemPath}: expected a map, got ${describeValue(value)}`;
    const problem = item(value, itemPath);
    if (problem) return problem;
  }
  return undefined;
}

const argShape = (arg: Fields, path: string): string | undefined => {
  if (typeof arg.name !== 'string' || arg.name === '')
    return `${path}.name: expected the arg's name, got ${describeValue(arg.name)}`;
  if (!absent(arg.value) && typeof arg.value !== 'string')
    return `${path}.value: expected a string, got ${describeValue(arg.value)}`;
  if (!absent(arg.valueFrom) && !isMap(arg.valueFrom))
    return `${path}.valueFrom: expected a map (secretKeyRef or fieldRef), got ${describeValue(arg.valueFrom)}`;
  return undefined;
};

const ruleShape = (rule: Fields, path: string): string | undefined => {
  if (typeof rule.metricName !== 'string')
    return `${path}.metricName: expected a string, got ${describeValue(rule.metricName)}`;
  if (!absent(rule.limit) && !(typeof rule.limit === 'number' && Number.isInteger(rule.limit)))
    return `${path}.limit: expected a whole number, got ${describeValue(rule.limit)}`;
  return undefined;
};

/**
 * The first reason the spec cannot be read as a run (or a template, `metricsRequired` false: a
 * template may only compose others), naming its field; undefined when its shape is right.
 */
export function specShapeProblem(spec: unknown, metricsRequired = true): string | undefined {
  if (!isMap(spec)) return `expected a spec (a map with metrics), got ${describeValue(spec)}`;
  const deep = tooDeep(spec);
  if (deep !== undefined) return `${deep}: is nested more than ${MAX_NESTING} levels deep; flatten it`;
  if (!Array.isArray(spec.metrics) && (metricsRequired || !absent(spec.metrics)))
    return `metrics: expected a list of metrics, got ${describeValue(spec.metrics)}`;
  for (const [i, metric] of (Array.isArray(spec.metrics) ? spec.metrics : []).entries()) {
    const problem = metricShape(metric, `metrics[${i}]`);
    if (problem) return problem;
  }
  return (
    listShape(spec.args, 'args', argShape) ??
    listShape(spec.dryRun, 'dryRun', ruleShape) ??
    listShape(spec.measurementRetention, 'measurementRetention', ruleShape)
  );
}
