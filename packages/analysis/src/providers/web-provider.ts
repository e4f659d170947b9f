// The web metric provider: one HTTP request per measurement; the JSON answer (narrowed by
// `jsonPath`) or the raw text is the value the conditions see, as in Argo Rollouts.
//
// Value shape (Argo's): a JSON body → the FIRST value `jsonPath` selects (default `{$}`: the whole
// body), as parsed JSON (number, string, boolean, null, object or array); a body that is not JSON →
// the body as a string (jsonPath is not applied). A jsonPath that selects nothing is an error.
//
// jsonPath: Argo uses Kubernetes JSONPath. Supported here: one template `{...}` wrapping a path that
// starts at the root (`$` or a leading `.`, e.g. `{$.data.ok}`, `{.data.ok}`, `{$.items[0].value}`,
// `{$.items[*].value}` (first match), `{$..value}`, `{$.items[?(@.name=="a")].value}`), evaluated by
// jsonpath-plus in its safe mode. A bare path without braces (`$.data.ok`) is accepted too. Not
// supported: several templates or text around them (`{.a}/{.b}`), `range`/`end`, quoting inside
// keys beyond what jsonpath-plus reads.
import { DEFAULTS, type Metric } from '@ramp/api';
import { JSONPath } from 'jsonpath-plus';
import { excerpt, HttpFailure, parseTarget, send } from './http';
import type { MetricProvider, ProviderContext, ProviderOutcome } from './provider';

export interface WebProviderOptions {
  /** Retries after a transient connection failure (GET only: POST/PUT may not be idempotent). Default 2. */
  retries?: number;
  /** First retry delay in ms, doubling after (default 100). */
  retryMinDelayMs?: number;
  /** Largest response accepted, in bytes (default 8 MiB). */
  maxResponseBytes?: number;
}

export class WebProvider implements MetricProvider {
  readonly type = 'web';
  private readonly retries: number;
  private readonly retryMinDelayMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: WebProviderOptions = {}) {
    this.retries = options.retries ?? 2;
    this.retryMinDelayMs = options.retryMinDelayMs ?? 100;
    this.maxResponseBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  }

  async measure(metric: Metric, ctx: ProviderContext): Promise<ProviderOutcome> {
    const spec = metric.provider.web;
    if (!spec) return { kind: 'error', message: `metric "${metric.name}" has no web provider` };
    const fail = (message: string): ProviderOutcome => ({ kind: 'error', message });

    if (
      spec.authentication?.oauth2 &&
      Object.values(spec.authentication.oauth2).some((v) => v !== undefined)
    ) {
      return fail('web authentication.oauth2 is not supported by Ramp yet');
    }
    const method = spec.method ?? 'GET';
    const hasBody = spec.body !== undefined && spec.body !== '';
    const hasJsonBody = spec.jsonBody !== undefined && spec.jsonBody !== null;
    if (hasBody && hasJsonBody)
      return fail('use either body or jsonBody; both cannot be set for a web metric');
    if ((hasBody || hasJsonBody) && method === 'GET') {
      return fail('body/jsonBody can only be used with the POST or PUT method');
    }

    let jsonPath: string;
    try {
      jsonPath = toJsonPathPlus(spec.jsonPath);
    } catch (error) {
      return fail((error as Error).message);
    }

    const target = parseTarget(spec.url ?? '');
    if ('error' in target) return fail(`web url ${target.error}`);

    const headers: Array<readonly [string, string]> = (spec.headers ?? []).map(
      (h) => [h.key, h.value] as const,
    );
    if (hasJsonBody) headers.push(['Content-Type', 'application/json']);
    const timeoutSeconds =
      spec.timeoutSeconds && spec.timeoutSeconds > 0 ? spec.timeoutSeconds : DEFAULTS.webTimeoutSeconds;

    let reply: Awaited<ReturnType<typeof send>>;
    try {
      reply = await send({
        method,
        url: target.url,
        headers,
        body: hasJsonBody ? JSON.stringify(spec.jsonBody) : hasBody ? spec.body : undefined,
        auth: target.auth,
        insecure: spec.insecure === true && target.url.protocol === 'https:',
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        maxBodyBytes: this.maxResponseBytes,
        retries: method === 'GET' ? this.retries : 0,
        retryMinDelayMs: this.retryMinDelayMs,
        describe: target.display,
      });
    } catch (error) {
      return fail(
        error instanceof HttpFailure
          ? error.message
          : `request to ${target.display} failed: ${String(error)}`,
      );
    }

    if (reply.status < 200 || reply.status >= 300) {
      const text = excerpt(reply.body);
      const status = `${reply.status}${reply.statusText ? ` (${reply.statusText})` : ''}`;
      return fail(
        `received non 2xx response code: ${status} from ${target.display}${text ? `: ${text}` : ''}`,
      );
    }

    let data: unknown;
    try {
      data = JSON.parse(reply.body);
    } catch {
      return { kind: 'value', value: reply.body };
    }
    const selected = selectFirst(jsonPath, data);
    if ('error' in selected) return fail(`jsonPath ${spec.jsonPath} cannot be evaluated: ${selected.error}`);
    if (!selected.found) {
      return fail(
        `jsonPath ${spec.jsonPath ?? '{$}'} matched nothing in the response from ${target.display}`,
      );
    }
    return { kind: 'value', value: selected.value };
  }
}

export function createWebProvider(options: WebProviderOptions = {}): WebProvider {
  return new WebProvider(options);
}

/**
 * A Kubernetes JSONPath template (`{$.data.ok}`, `{.data.ok}`) as a jsonpath-plus path
 * (`$.data.ok`). Empty means the whole document. Throws for what is not supported.
 */
export function toJsonPathPlus(template: string | undefined): string {
  const text = (template ?? '').trim();
  if (text === '') return '$';
  let inner = text;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw unsupportedPath(template, 'an unclosed {');
    inner = text.slice(1, -1).trim();
    if (inner.includes('{') || inner.includes('}')) {
      throw unsupportedPath(template, 'several templates or text around a template');
    }
  } else if (text.includes('{') || text.includes('}')) {
    throw unsupportedPath(template, 'text around a template');
  }
  if (/^(range|end)\b/.test(inner)) throw unsupportedPath(template, 'range/end');
  if (inner === '' || inner === '$') return '$';
  if (inner.startsWith('$')) return inner;
  if (inner.startsWith('.') || inner.startsWith('[')) return `$${inner}`;
  throw unsupportedPath(template, 'a path that does not start at the root ($ or .)');
}

function unsupportedPath(template: string | undefined, what: string): Error {
  return new Error(
    `jsonPath ${JSON.stringify(template)} is not supported (${what}); use one path from the root, e.g. {$.data.value}`,
  );
}

type JsonValue = null | boolean | number | string | object;

function selectFirst(
  path: string,
  data: unknown,
): { found: true; value: unknown } | { found: false } | { error: string } {
  if (path === '$') return { found: true, value: data };
  if (typeof data !== 'object' || data === null) return { found: false };
  let matches: unknown;
  try {
    matches = JSONPath({ path, json: data as JsonValue, wrap: true, eval: 'safe' });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (!Array.isArray(matches) || matches.length === 0) return { found: false };
  return { found: true, value: matches[0] };
}
