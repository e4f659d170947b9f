// Argo's rules for AnalysisTemplates, ClusterAnalysisTemplates and AnalysisRuns, beyond the schema.
import type { Metric } from '../schema/analysis';
import { parseGoDuration } from '../values/duration';
import { intFromIntOrString } from '../values/int-or-percent';
import { metricNamePattern } from '../values/metric-name-pattern';
import { argReferences, hasPlaceholder, stringsIn } from './args';
import { describeValue, type Findings, joinPath } from './findings';
import { checkJobSpec } from './pod-template';
import { isPlainObject } from './schema-check';
import { findUnsupported, UNSUPPORTED_METRIC_FIELDS } from './support';

const PROVIDERS = [
  'prometheus',
  'web',
  'job',
  'kayenta',
  'datadog',
  'wavefront',
  'newRelic',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
];

type Obj = Record<string, unknown>;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkDuration(value: unknown, path: string, findings: Findings, positive: boolean): void {
  if (typeof value !== 'string' || hasPlaceholder(value)) return;
  const parsed = parseGoDuration(value);
  if (!parsed.ok) {
    const fix =
      parsed.reason === 'has no unit'
        ? `; write "${value.trim()}s" for seconds`
        : '; use a duration such as 30s, 5m or 1h30m';
    findings.error(path, `"${value}" ${parsed.reason}${fix}`);
  } else if (parsed.ms < 0 || (positive && parsed.ms === 0)) {
    findings.error(path, `"${value}" must be ${positive ? 'greater than 0' : 'at least 0'}`);
  }
}

/** An IntOrString limit: a whole number, or a string that is one (or a {{args}} placeholder). */
function checkLimit(value: unknown, path: string, min: number, findings: Findings): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined; // the schema check reported it
  if (typeof value === 'string' && hasPlaceholder(value)) return undefined;
  const n = intFromIntOrString(value);
  if (n === undefined) {
    findings.error(path, `${describeValue(value)} is not a whole number; use e.g. 3, or "{{args.name}}"`);
    return undefined;
  }
  if (n < min) findings.error(path, `${n} is out of range; use ${min} or more`);
  return n;
}

function checkProvider(metric: Obj, path: string, findings: Findings): void {
  const providerPath = joinPath(path, 'provider');
  const provider = metric.provider;
  if (!isPlainObject(provider)) return; // schema reported
  const given = PROVIDERS.filter((p) => provider[p] !== undefined && provider[p] !== null);
  if (given.length === 0) {
    findings.error(providerPath, 'has no provider; give exactly one of prometheus, web or job', 'required');
  } else if (given.length > 1) {
    findings.error(
      providerPath,
      `has ${given.length} providers (${given.join(', ')}); a metric takes exactly one`,
    );
  }
  const prom = provider.prometheus;
  if (isPlainObject(prom)) {
    const p = joinPath(providerPath, 'prometheus');
    if (typeof prom.query !== 'string' || prom.query.trim() === '') {
      findings.error(joinPath(p, 'query'), 'is required; give the PromQL query to run', 'required');
    }
    checkAddress(prom.address, joinPath(p, 'address'), findings);
    if (typeof prom.timeout === 'number' && prom.timeout <= 0) {
      findings.error(joinPath(p, 'timeout'), `${prom.timeout} must be a positive number of seconds`);
    }
    if (isPlainObject(prom.rangeQuery)) {
      const rq = prom.rangeQuery;
      for (const f of ['start', 'end', 'step']) {
        if (typeof rq[f] !== 'string' || rq[f] === '') {
          findings.error(joinPath(joinPath(p, 'rangeQuery'), f), `is required for a range query`, 'required');
        }
      }
      checkDuration(rq.step, joinPath(joinPath(p, 'rangeQuery'), 'step'), findings, true);
    }
  }
  const web = provider.web;
  if (isPlainObject(web)) {
    const p = joinPath(providerPath, 'web');
    checkAddress(web.url, joinPath(p, 'url'), findings);
    const method = typeof web.method === 'string' ? web.method : 'GET';
    for (const field of ['body', 'jsonBody']) {
      if (web[field] !== undefined && method === 'GET') {
        findings.error(joinPath(p, field), `needs method POST or PUT; add "method: POST"`);
      }
    }
    if (web.body !== undefined && web.jsonBody !== undefined) {
      findings.error(joinPath(p, 'jsonBody'), 'cannot be given together with body; keep one of them');
    }
    if (typeof web.timeoutSeconds === 'number' && web.timeoutSeconds <= 0) {
      findings.error(
        joinPath(p, 'timeoutSeconds'),
        `${web.timeoutSeconds} must be a positive number of seconds`,
      );
    }
  }
  const job = provider.job;
  if (isPlainObject(job)) checkJobSpec(job.spec, joinPath(joinPath(providerPath, 'job'), 'spec'), findings);
}

function checkAddress(value: unknown, path: string, findings: Findings): void {
  if (typeof value !== 'string' || value === '' || hasPlaceholder(value)) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    findings.error(path, `"${value}" is not an http(s) URL; write it as http://host:port`);
  }
}

function checkMetric(metric: Obj, path: string, findings: Findings): void {
  checkDuration(metric.interval, joinPath(path, 'interval'), findings, true);
  checkDuration(metric.initialDelay, joinPath(path, 'initialDelay'), findings, false);
  const count = checkLimit(metric.count, joinPath(path, 'count'), 0, findings);
  const failureLimit = checkLimit(metric.failureLimit, joinPath(path, 'failureLimit'), -1, findings);
  const inconclusiveLimit = checkLimit(
    metric.inconclusiveLimit,
    joinPath(path, 'inconclusiveLimit'),
    0,
    findings,
  );
  checkLimit(metric.consecutiveErrorLimit, joinPath(path, 'consecutiveErrorLimit'), 0, findings);
  const successLimit = checkLimit(
    metric.consecutiveSuccessLimit,
    joinPath(path, 'consecutiveSuccessLimit'),
    0,
    findings,
  );
  if (count !== undefined && count > 1 && (metric.interval === undefined || metric.interval === '')) {
    findings.error(
      joinPath(path, 'interval'),
      `is required when count is more than 1 (count is ${count}); add e.g. "interval: 1m"`,
      'required',
    );
  }
  if (count !== undefined && count > 0) {
    if (failureLimit !== undefined && count < failureLimit) {
      findings.error(
        joinPath(path, 'count'),
        `${count} is less than failureLimit (${failureLimit}); count must be at least failureLimit`,
      );
    }
    if (inconclusiveLimit !== undefined && count < inconclusiveLimit) {
      findings.error(
        joinPath(path, 'count'),
        `${count} is less than inconclusiveLimit (${inconclusiveLimit}); count must be at least inconclusiveLimit`,
      );
    }
    if (successLimit !== undefined && successLimit > count) {
      findings.error(
        joinPath(path, 'consecutiveSuccessLimit'),
        `${successLimit} is more than count (${count}); it could never be reached`,
      );
    }
  }
  checkProvider(metric, path, findings);
  findUnsupported(metric, UNSUPPORTED_METRIC_FIELDS, path, (p, f) =>
    findings.unsupported(p, f.what, f.instead),
  );
}

/** Checks `dryRun` / `measurementRetention` entries: valid regular expressions that match a metric. */
function checkMetricPatterns(
  list: unknown,
  field: string,
  metricNames: string[],
  path: string,
  findings: Findings,
) {
  asList(list).forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.metricName !== 'string') return;
    const p = joinPath(joinPath(joinPath(path, field), i), 'metricName');
    const re = metricNamePattern(entry.metricName);
    if (!re.ok) {
      findings.error(p, `"${entry.metricName}" ${re.problem}`);
      return;
    }
    if (entry.metricName === '*') {
      findings.warn(
        p,
        '"*" means every metric in Ramp, but Argo Rollouts rejects it (not a regular expression); write ".*" to keep the template portable',
      );
    }
    if (metricNames.length > 0 && !metricNames.some((n) => re.matches(n))) {
      findings.warn(
        p,
        `"${entry.metricName}" matches no metric of this template (${metricNames.join(', ')})`,
      );
    }
    if (field === 'measurementRetention' && typeof entry.limit === 'number' && entry.limit < 0) {
      findings.error(
        joinPath(joinPath(joinPath(path, field), i), 'limit'),
        `${entry.limit} must be at least 0`,
      );
    }
  });
}

export function checkArgsDeclarations(
  args: unknown,
  path: string,
  findings: Findings,
  requireValue: boolean,
) {
  const seen = new Set<string>();
  asList(args).forEach((arg, i) => {
    if (!isPlainObject(arg)) return;
    const p = joinPath(joinPath(path, 'args'), i);
    if (typeof arg.name === 'string') {
      if (seen.has(arg.name))
        findings.error(joinPath(p, 'name'), `"${arg.name}" is declared twice; arg names must be unique`);
      seen.add(arg.name);
    }
    const vf = arg.valueFrom;
    if (arg.value !== undefined && vf !== undefined && vf !== null) {
      findings.error(p, 'has both value and valueFrom; give one of them');
    }
    if (isPlainObject(vf)) {
      const sources = Object.keys(vf).filter((k) => vf[k] !== undefined && vf[k] !== null);
      if (sources.length !== 1) {
        findings.error(
          joinPath(p, 'valueFrom'),
          `must have exactly one source (${sources.length === 0 ? 'none' : sources.join(', ')} given)`,
        );
      }
    }
    if (requireValue && arg.value === undefined && (vf === undefined || vf === null)) {
      const which = typeof arg.name === 'string' ? `arg "${arg.name}"` : 'the arg';
      findings.error(p, `${which} has no value; give value or valueFrom`, 'required');
    }
  });
  return seen;
}

/** Rules for the spec of an AnalysisTemplate or ClusterAnalysisTemplate (`run` for an AnalysisRun). */
export function checkAnalysisSpec(spec: Obj, findings: Findings, run: boolean): void {
  const declared = checkArgsDeclarations(spec.args, 'spec', findings, run);
  const metrics = asList(spec.metrics);
  const composed = asList(spec.templates).length > 0;
  if (metrics.length === 0 && !composed) {
    findings.error(
      'spec.metrics',
      'is empty; give at least one metric (name, provider and conditions)',
      'required',
    );
  }
  const names = new Map<string, number>();
  metrics.forEach((m, i) => {
    if (!isPlainObject(m)) return;
    const path = `spec.metrics[${i}]`;
    if (typeof m.name === 'string') {
      const first = names.get(m.name);
      if (first !== undefined)
        findings.error(
          joinPath(path, 'name'),
          `"${m.name}" is already the name of spec.metrics[${first}]; metric names must be unique`,
        );
      else names.set(m.name, i);
    }
    checkMetric(m, path, findings);
    if (!composed) {
      for (const [sub, text] of stringsIn(m)) {
        for (const ref of argReferences(text)) {
          if (!declared.has(ref)) {
            findings.error(
              `${path}.${sub}`,
              `uses {{args.${ref}}}, but spec.args does not declare "${ref}"; add it to spec.args`,
              'reference',
            );
          }
        }
      }
    }
  });
  checkMetricPatterns(spec.dryRun, 'dryRun', [...names.keys()], 'spec', findings);
  checkMetricPatterns(spec.measurementRetention, 'measurementRetention', [...names.keys()], 'spec', findings);
}

export type { Metric };
