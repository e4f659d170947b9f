// The HTTP plumbing the Prometheus and web providers share: one bounded request (the metric's
// timeout covers every attempt), transient-connection retries, and error messages that name the
// target without ever echoing credentials.
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosHeaders } from 'axios';
import pRetry from 'p-retry';

// keepAlive off: a measurement every few seconds does not need pooled sockets, and no socket
// outlives its measurement (no stale-socket resets, nothing holding the process open).
const plainAgent = new http.Agent({ keepAlive: false });
const verifyingAgent = new https.Agent({ keepAlive: false });
// Only used when the metric sets `insecure: true`.
const insecureAgent = new https.Agent({ keepAlive: false, rejectUnauthorized: false });

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  /** The target, without user:pass@ (give those as `auth`). */
  url: URL;
  /** Applied in order, case-insensitively; a later key replaces an earlier one. */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: string;
  auth?: { username: string; password: string };
  /** Skip TLS certificate verification (https only). */
  insecure?: boolean;
  /** The whole budget: every attempt and every retry delay fit in it. */
  timeoutMs: number;
  /** The caller's cancellation (run terminated, controller stopping). */
  signal?: AbortSignal;
  /** Responses larger than this fail instead of filling memory. */
  maxBodyBytes: number;
  /**
   * Retries after a transient connection failure (see `isTransientConnectionError`); 0 disables.
   * Never used for an HTTP answer: any status, with any body, is returned to the caller.
   */
  retries: number;
  retryMinDelayMs: number;
  /** How messages name the target, e.g. "Prometheus at http://prometheus:9090". */
  describe: string;
}

export interface HttpReply {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

export type HttpFailureKind = 'timeout' | 'aborted' | 'connection' | 'tls' | 'too-large' | 'other';

/** A request that produced no HTTP answer; `message` is ready for a measurement. */
export class HttpFailure extends Error {
  override readonly name = 'HttpFailure';
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Failures worth another attempt inside the same budget: the connection broke before an answer
 * arrived (reset, closed mid-request, a temporary DNS failure). ECONNREFUSED is deliberately not one
 * of them: nothing listens at the address (wrong port, server down), which another attempt a few
 * hundred milliseconds later rarely fixes; the engine measures again at the next interval and
 * counts consecutive errors, so the error is reported at once instead of burning the timeout.
 */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'EAI_AGAIN']);

export function isTransientConnectionError(error: unknown): boolean {
  if (!axios.isAxiosError(error) || error.response) return false;
  const code = errorCode(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'temporary DNS failure',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/** Sends one request (plus transient retries) and returns whatever HTTP answer came back. */
export async function send(call: HttpCall): Promise<HttpReply> {
  const deadline = new AbortController();
  const timeoutSeconds = formatSeconds(call.timeoutMs);
  const timer = setTimeout(
    () =>
      deadline.abort(new HttpFailure('timeout', `${call.describe} did not answer within ${timeoutSeconds}`)),
    call.timeoutMs,
  );
  const onCallerAbort = () =>
    deadline.abort(new HttpFailure('aborted', `request to ${call.describe} aborted`));
  if (call.signal?.aborted) onCallerAbort();
  else call.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const headers = new AxiosHeaders();
  headers.set('User-Agent', 'ramp-analysis');
  // `false` keeps axios from inventing a Content-Type (it would send form-urlencoded); a header
  // given below replaces it.
  headers.set('Content-Type', false);
  for (const [key, value] of call.headers) headers.set(key, value, true);

  const attempt = async (): Promise<HttpReply> => {
    const response = await axios.request<ArrayBuffer>({
      method: call.method,
      url: call.url.toString(),
      headers,
      data: call.body === undefined ? undefined : Buffer.from(call.body, 'utf8'),
      auth: call.auth,
      httpAgent: plainAgent,
      httpsAgent: call.insecure ? insecureAgent : verifyingAgent,
      signal: deadline.signal,
      responseType: 'arraybuffer',
      validateStatus: () => true,
      maxContentLength: call.maxBodyBytes,
      maxBodyLength: call.maxBodyBytes,
      maxRedirects: 10,
    });
    return {
      status: response.status,
      statusText: response.statusText ?? '',
      contentType: String(response.headers['content-type'] ?? ''),
      body: Buffer.from(response.data).toString('utf8'),
    };
  };

  try {
    return await pRetry(attempt, {
      retries: call.retries,
      minTimeout: call.retryMinDelayMs,
      factor: 2,
      maxRetryTime: call.timeoutMs,
      signal: deadline.signal,
      shouldRetry: ({ error }) => !deadline.signal.aborted && isTransientConnectionError(error),
    });
  } catch (error) {
    if (deadline.signal.aborted && deadline.signal.reason instanceof HttpFailure)
      throw deadline.signal.reason;
    throw describeFailure(error, call.describe);
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && own !== 'ERR_BAD_REQUEST' && own !== 'ERR_BAD_RESPONSE') return own;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== error)
    return errorCode(cause) ?? (typeof own === 'string' ? own : undefined);
  return typeof own === 'string' ? own : undefined;
}

function describeFailure(error: unknown, describe: string): HttpFailure {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && CONNECTION_REASONS[code]) {
    return new HttpFailure('connection', `cannot reach ${describe} (${CONNECTION_REASONS[code]})`, code);
  }
  if (code && TLS_CODES.has(code)) {
    return new HttpFailure(
      'tls',
      `TLS handshake with ${describe} failed (${code}: ${message}); set insecure: true to skip certificate verification`,
      code,
    );
  }
  if (/maxContentLength/i.test(message)) {
    return new HttpFailure(
      'too-large',
      `${describe} sent a response larger than the limit (${message})`,
      code,
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new HttpFailure('timeout', `${describe} did not answer in time (${message})`, code);
  }
  return new HttpFailure(
    'other',
    `request to ${describe} failed: ${message}${code ? ` (${code})` : ''}`,
    code,
  );
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
}

/** The body for an error message: trimmed, whitespace runs collapsed, at most `max` characters. */
export function excerpt(body: string, max = 512): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export interface ParsedTarget {
  /** Without credentials, query or fragment kept as given. */
  url: URL;
  auth?: { username: string; password: string };
  /** Safe to print: no credentials, no query string (which may carry API keys). */
  display: string;
}

/** Parses an http(s) URL, moving `user:pass@` into basic-auth credentials. */
export function parseTarget(raw: string): ParsedTarget | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `"${redactUnparsed(raw)}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `"${redactUnparsed(raw)}" is not an http(s) URL` };
  }
  let auth: ParsedTarget['auth'];
  if (url.username || url.password) {
    auth = { username: safeDecode(url.username), password: safeDecode(url.password) };
    url.username = '';
    url.password = '';
  }
  const display = `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
  return auth ? { url, auth, display } : { url, display };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Best effort for strings that are not URLs: drop anything that looks like userinfo or a query. */
function redactUnparsed(raw: string): string {
  return raw
    .trim()
    .replace(/\/\/[^/@\s]*@/, '//')
    .replace(/\?.*$/, '');
}
