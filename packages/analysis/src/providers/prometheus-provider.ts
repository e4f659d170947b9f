// The Prometheus metric provider: one PromQL query (instant, or a range with rangeQuery) per
// measurement, with the result shapes Argo Rollouts gives its conditions.
//
// Result shapes (what the conditions see as `result`):
//   scalar         → number
//   instant vector → number[], one per series, in the order Prometheus returns them ([] if none)
//   range (matrix) → one flat number[] of every sample of every series, series after series
//   string         → string
// NaN, +Inf and -Inf (sent by Prometheus as "NaN", "+Inf", "-Inf") stay NaN, Infinity, -Infinity.
import { DEFAULTS, type Metric, type PrometheusMetric } from '@ramp/api';
import { type Clock, realClock } from '@ramp/kube';
import { excerpt, HttpFailure, type HttpReply, parseTarget, send } from './http';
import type { MetricProvider, ProviderContext, ProviderOutcome } from './provider';
import { evaluateTimeExpression, parseGoDuration } from './time-expression';

/** Environment variables giving the address when a metric has none, in the order they are read. */
export const PROMETHEUS_ADDRESS_ENV_VARS = [
  'RAMP_PROMETHEUS_ADDRESS',
  'ARGO_ROLLOUTS_PROMETHEUS_ADDRESS',
] as const;

/** Metadata keys (Argo's names where Argo has one). */
export const PROMETHEUS_METADATA = {
  resolvedQuery: 'ResolvedPrometheusQuery',
  warnings: 'warnings',
  rangeStart: 'rangeQueryStart',
  rangeEnd: 'rangeQueryEnd',
  rangeStep: 'rangeQueryStep',
} as const;

export interface PrometheusProviderOptions {
  /** Where the fallback address variables are read; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Retries after a transient connection failure, inside the timeout (default 2). */
  retries?: number;
  /** First retry delay in ms, doubling after (default 100). */
  retryMinDelayMs?: number;
  /** Largest response accepted, in bytes (default 32 MiB). */
  maxResponseBytes?: number;
  /** Times the query's budget (`timeout`) across a POST refused and the GET after it; default real time. */
  clock?: Pick<Clock, 'now'>;
}

type RangeQuery = NonNullable<PrometheusMetric['rangeQuery']>;

interface PreparedQuery {
  endpoint: 'query' | 'query_range';
  params: URLSearchParams;
  metadata: Record<string, string>;
}

export class PrometheusProvider implements MetricProvider {
  readonly type = 'prometheus';
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly retries: number;
  private readonly retryMinDelayMs: number;
  private readonly maxResponseBytes: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(options: PrometheusProviderOptions = {}) {
    this.env = options.env ?? process.env;
    this.retries = options.retries ?? 2;
    this.retryMinDelayMs = options.retryMinDelayMs ?? 100;
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.clock = options.clock ?? realClock;
  }

  async measure(metric: Metric, ctx: ProviderContext): Promise<ProviderOutcome> {
    const spec = metric.provider.prometheus;
    if (!spec) return { kind: 'error', message: `metric "${metric.name}" has no prometheus provider` };

    const query = spec.query?.trim() ?? '';
    const metadata: Record<string, string> = {};
    if (query) metadata[PROMETHEUS_METADATA.resolvedQuery] = query;
    const fail = (message: string): ProviderOutcome => ({ kind: 'error', message, metadata });
    if (!query) return fail('prometheus query is empty');

    const unsupported = unsupportedAuthentication(spec);
    if (unsupported) return fail(unsupported);

    const timeout = spec.timeout;
    if (timeout !== undefined && timeout < 0) return fail('prometheus timeout should not be negative');
    // 0 is read as "not set" (Argo would time out at once).
    const timeoutSeconds = timeout ? timeout : DEFAULTS.prometheusTimeoutSeconds;

    const address = this.resolveAddress(spec.address);
    if ('error' in address) return fail(address.error);
    const target = parseTarget(address.address);
    if ('error' in target) return fail(`prometheus address ${target.error}`);

    let prepared: PreparedQuery;
    try {
      prepared = prepareQuery(query, spec.rangeQuery, ctx.now());
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    Object.assign(metadata, prepared.metadata);

    const describe = `Prometheus at ${target.display}`;
    const base = new URL(target.url.toString());
    base.search = '';
    base.hash = '';
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/api/v1/${prepared.endpoint}`;
    const common = {
      headers: [
        ['Accept', 'application/json'] as const,
        ...(spec.headers ?? []).map((h) => [h.key, h.value] as const),
      ],
      auth: target.auth,
      insecure: spec.insecure === true && base.protocol === 'https:',
      signal: ctx.signal,
      maxBodyBytes: this.maxResponseBytes,
      retries: this.retries,
      retryMinDelayMs: this.retryMinDelayMs,
      describe,
    };

    const started = this.clock.now();
    const budgetMs = timeoutSeconds * 1000;
    let reply: HttpReply;
    try {
      // POST a form, as Prometheus' own Go client does (no URL length limit), and fall back to GET
      // when something in front of Prometheus refuses POST.
      reply = await send({
        ...common,
        method: 'POST',
        url: base,
        headers: [...common.headers, ['Content-Type', 'application/x-www-form-urlencoded']],
        body: prepared.params.toString(),
        timeoutMs: budgetMs,
      });
      if (reply.status === 405 || reply.status === 501) {
        const remaining = budgetMs - (this.clock.now() - started);
        if (remaining <= 0) return fail(`${describe} did not answer within ${timeoutSeconds}s`);
        const getUrl = new URL(base.toString());
        getUrl.search = prepared.params.toString();
        reply = await send({ ...common, method: 'GET', url: getUrl, timeoutMs: remaining });
      }
    } catch (error) {
      return fail(
        error instanceof HttpFailure ? error.message : `query to ${describe} failed: ${String(error)}`,
      );
    }

    const interpreted = interpretPrometheusReply(reply, describe);
    if ('error' in interpreted) return fail(interpreted.error);
    if (interpreted.warnings.length > 0) {
      metadata[PROMETHEUS_METADATA.warnings] = interpreted.warnings.map((w) => JSON.stringify(w)).join(', ');
    }
    return { kind: 'value', value: interpreted.value, metadata };
  }

  private resolveAddress(address: string | undefined): { address: string } | { error: string } {
    if (address?.trim()) return { address: address.trim() };
    for (const name of PROMETHEUS_ADDRESS_ENV_VARS) {
      const value = this.env[name]?.trim();
      if (value) return { address: value };
    }
    return {
      error: `prometheus address is not configured (set provider.prometheus.address, or ${PROMETHEUS_ADDRESS_ENV_VARS.join(' or ')} on the controller)`,
    };
  }
}

export function createPrometheusProvider(options: PrometheusProviderOptions = {}): PrometheusProvider {
  return new PrometheusProvider(options);
}

function unsupportedAuthentication(spec: PrometheusMetric): string | undefined {
  const auth = spec.authentication;
  if (auth?.sigv4 && Object.values(auth.sigv4).some((v) => v)) {
    return 'prometheus authentication.sigv4 is not supported by Ramp yet';
  }
  if (auth?.oauth2 && Object.values(auth.oauth2).some((v) => v !== undefined)) {
    return 'prometheus authentication.oauth2 is not supported by Ramp yet';
  }
  return undefined;
}

function prepareQuery(query: string, range: RangeQuery | undefined, now: Date): PreparedQuery {
  if (!range) {
    // No `time`: Prometheus evaluates at its own "now", so clock skew between the controller and
    // Prometheus cannot push the query past the newest samples.
    return { endpoint: 'query', params: new URLSearchParams({ query }), metadata: {} };
  }
  const start = evaluateRangeTime('start', range.start, now);
  const end = evaluateRangeTime('end', range.end?.trim() ? range.end : 'now()', now);
  if (!range.step?.trim()) throw new Error('rangeQuery.step is required (e.g. "1m")');
  let stepMs: number;
  try {
    stepMs = parseGoDuration(range.step.trim());
  } catch (error) {
    throw new Error(`failed to parse rangeQuery.step as duration: ${(error as Error).message}`);
  }
  if (!(stepMs > 0)) throw new Error(`rangeQuery.step must be positive, got ${JSON.stringify(range.step)}`);
  const step = String(stepMs / 1000);
  return {
    endpoint: 'query_range',
    params: new URLSearchParams({ query, start: toPrometheusTime(start), end: toPrometheusTime(end), step }),
    metadata: {
      [PROMETHEUS_METADATA.rangeStart]: start.toISOString(),
      [PROMETHEUS_METADATA.rangeEnd]: end.toISOString(),
      [PROMETHEUS_METADATA.rangeStep]: `${step}s`,
    },
  };
}

function evaluateRangeTime(which: 'start' | 'end', expression: string | undefined, now: Date): Date {
  if (!expression?.trim()) throw new Error(`rangeQuery.${which} is required (e.g. now() - duration("5m"))`);
  try {
    return evaluateTimeExpression(expression, now);
  } catch (error) {
    throw new Error(`failed to parse rangeQuery.${which} as time: ${(error as Error).message}`);
  }
}

/** Unix seconds with millisecond precision, as the HTTP API accepts. */
function toPrometheusTime(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}

/** A sample value as Prometheus writes it: a decimal string, "NaN", "+Inf" or "-Inf". */
export function parseSampleValue(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') throw new Error(`sample value ${JSON.stringify(raw)} is not a string`);
  switch (raw) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value))
    throw new Error(`sample value ${JSON.stringify(raw)} is not a number`);
  return value;
}

export type PrometheusInterpretation = { value: unknown; warnings: string[] } | { error: string };

/** Turns an HTTP answer of the query API into the measurement value, or an error message. */
export function interpretPrometheusReply(
  reply: HttpReply,
  describe = 'Prometheus',
): PrometheusInterpretation {
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    body = undefined;
  }
  const envelope = isObject(body) ? body : undefined;
  if (envelope?.['status'] === 'error') {
    const type = typeof envelope['errorType'] === 'string' ? envelope['errorType'] : '';
    const message = typeof envelope['error'] === 'string' ? envelope['error'] : excerpt(reply.body);
    return {
      error: type ? `Prometheus returned ${type}: ${message}` : `Prometheus returned an error: ${message}`,
    };
  }
  if (reply.status < 200 || reply.status >= 300) {
    const text = excerpt(reply.body);
    const status = `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
    return { error: `${describe} answered ${status}${text ? `: ${text}` : ''}` };
  }
  if (!envelope) {
    const text = excerpt(reply.body, 200);
    return {
      error: `${describe} sent a response that is not Prometheus JSON${text ? `: ${text}` : ' (empty body)'}`,
    };
  }
  if (envelope['status'] !== 'success' || !isObject(envelope['data'])) {
    return { error: `${describe} sent an unexpected response: ${excerpt(reply.body, 200)}` };
  }
  const warnings = Array.isArray(envelope['warnings'])
    ? envelope['warnings'].filter((w): w is string => typeof w === 'string')
    : [];
  try {
    return { value: resultValue(envelope['data']), warnings };
  } catch (error) {
    return { error: `cannot read the Prometheus result: ${(error as Error).message}` };
  }
}

function resultValue(data: Record<string, unknown>): unknown {
  const type = data['resultType'];
  const result = data['result'];
  switch (type) {
    case 'scalar':
      return parseSampleValue(pair(result)[1]);
    case 'string': {
      const value = pair(result)[1];
      if (typeof value !== 'string') throw new Error('string result without a string value');
      return value;
    }
    case 'vector':
      return list(result).map((series) => {
        if (isObject(series) && series['histogram'] !== undefined) {
          throw new Error('native histogram samples are not supported; query a float series');
        }
        return parseSampleValue(pair(isObject(series) ? series['value'] : undefined)[1]);
      });
    case 'matrix':
      return list(result).flatMap((series) => {
        if (isObject(series) && series['histograms'] !== undefined && series['values'] === undefined) {
          throw new Error('native histogram samples are not supported; query a float series');
        }
        const values = isObject(series) ? series['values'] : undefined;
        return list(values ?? []).map((sample) => parseSampleValue(pair(sample)[1]));
      });
    default:
      throw new Error(`result type ${JSON.stringify(type)} is not supported`);
  }
}

function pair(value: unknown): [unknown, unknown] {
  if (!Array.isArray(value) || value.length !== 2)
    throw new Error(`expected [time, value], got ${JSON.stringify(value)}`);
  return [value[0], value[1]];
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
