// HTTP to the API server with the KubeConfig's server, TLS and credentials, on node's http/https and one
// keep-alive agent. Bodies stay raw JSON (timestamps remain RFC 3339 strings); every request has a timeout.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { type Clock, realClock } from './clock';
import { KubeApiError } from './kube-api-error';

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  contentType?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  /** The Retry-After header, when given. */
  retryAfter?: string;
}

/** How long credentials (a token read from a file, an exec plugin's answer) are reused. */
const CREDENTIALS_TTL_MS = 30_000;

export class HttpTransport {
  private readonly base: URL;
  private agent: http.Agent | undefined;
  private credentials: { headers: Record<string, string>; until: number } | undefined;

  constructor(
    private readonly kc: KubeConfig,
    /** Times how long credentials are reused (request timeouts are real time, on node's timers). */
    private readonly clock: Clock = realClock,
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster (set current-context)');
    this.base = new URL(cluster.server);
  }

  get server(): string {
    return this.base.toString();
  }

  /** A request whose whole answer is read and parsed as JSON (or kept as text). */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const { res, ended } = await this.send(req, false);
    const text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () =>
        ended.then(() => reject(new Error(`${req.method} ${req.path}: connection lost`)), reject),
      );
    });
    return { status: res.statusCode ?? 0, body: parseBody(text), ...retryAfter(res) };
  }

  /**
   * A streaming request (a watch): each line of the answer goes to `onLine`. Resolves when the server
   * ends the answer, when `signal` aborts, or at `timeoutMs` (a watch that outlived its server-side
   * timeout is over too). An answer other than 200 rejects with its KubeApiError.
   */
  async stream(req: HttpRequest, onLine: (line: string) => void): Promise<void> {
    let sent: { res: http.IncomingMessage; ended: Promise<void> };
    try {
      sent = await this.send(req, true);
    } catch (err) {
      if (err instanceof EndOfStream) return;
      throw err;
    }
    const { res, ended } = sent;
    const code = res.statusCode ?? 0;
    if (code !== 200) {
      const { body } = await this.readRest(res, ended);
      throw KubeApiError.fromResponse(code, body, `${req.method} ${req.path}`);
    }
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) onLine(line);
          nl = pending.indexOf('\n');
        }
      });
      res.on('end', () => {
        if (pending.trim()) onLine(pending.trim());
        resolve();
      });
      // A cut answer also ends the request, and `ended` rejects with why: the error is reported there.
      res.on('error', () => {});
      ended.then(resolve, reject);
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async readRest(res: http.IncomingMessage, ended: Promise<void>): Promise<{ body: unknown }> {
    const text = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
      ended.catch(() => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    return { body: parseBody(text) };
  }

  /**
   * Sends a request; resolves with the answer's head and `ended`, which settles when the request is over:
   * rejected with the reason it was cut (timeout, abort, network error), resolved on a normal end or on
   * a stream's planned end. The request is destroyed without an error object: a socket already handed
   * back to the agent would otherwise emit that error with nobody listening.
   */
  private async send(
    req: HttpRequest,
    streaming: boolean,
  ): Promise<{ res: http.IncomingMessage; ended: Promise<void> }> {
    const headers: Record<string, string> = { ...(await this.headers()), Accept: 'application/json' };
    const url = new URL(this.base.pathname.replace(/\/$/, '') + req.path, this.base);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const lib = url.protocol === 'http:' ? http : https;
    const context = `${req.method} ${req.path}`;
    return new Promise((resolve, reject) => {
      let reason: Error | undefined;
      let onClose: () => void = () => {};
      const ended = new Promise<void>((ok, fail) => {
        onClose = () => (reason && !(reason instanceof EndOfStream) ? fail(reason) : ok());
      });
      // Marked handled here: the readers of `ended` report its rejection (request() when the answer is cut,
      // stream() always, readRest() by resolving with what came); after a complete answer nobody needs it.
      ended.catch(() => {});
      const request = lib.request(url, { method: req.method, headers, agent: this.agent }, (res) =>
        resolve({ res, ended }),
      );
      const kill = (err: Error) => {
        reason ??= err;
        request.destroy();
      };
      const timer = setTimeout(
        () => kill(streaming ? new EndOfStream() : new Error(`${context}: no answer in ${req.timeoutMs} ms`)),
        req.timeoutMs,
      );
      timer.unref();
      const onAbort = () => kill(streaming ? new EndOfStream() : abortError(context));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      if (req.signal?.aborted) onAbort();
      request.on('error', (err) => {
        reason ??= new Error(`${context}: ${err.message}`, { cause: err });
        reject(reason);
      });
      request.on('close', () => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        onClose();
      });
      request.end(payload);
    });
  }

  private async headers(): Promise<Record<string, string>> {
    const now = this.clock.now();
    if (this.credentials && this.credentials.until > now && this.agent)
      return { ...this.credentials.headers };
    const opts: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = { 'User-Agent': 'ramp-controller' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    }
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    if (!this.agent) this.agent = this.makeAgent(opts);
    this.credentials = { headers, until: now + CREDENTIALS_TTL_MS };
    return { ...headers };
  }

  private makeAgent(opts: https.RequestOptions): http.Agent {
    if (this.kc.getCurrentCluster()?.proxyUrl && opts.agent instanceof http.Agent) return opts.agent;
    if (this.base.protocol === 'http:') return new http.Agent({ keepAlive: true });
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = opts;
    return new https.Agent({
      keepAlive: true,
      ca,
      cert,
      key,
      pfx,
      passphrase,
      rejectUnauthorized,
      servername,
    });
  }

  /** Forgets cached credentials (after a 401, so a rotated token is read again). */
  resetCredentials(): void {
    this.credentials = undefined;
  }
}

/** The client-side end of a watch (its deadline, or the caller's abort): a clean end, not a failure. */
class EndOfStream extends Error {
  constructor() {
    super('end of stream');
  }
}

function abortError(context: string): Error {
  const err = new Error(`${context}: aborted`);
  err.name = 'AbortError';
  return err;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function retryAfter(res: http.IncomingMessage): { retryAfter?: string } {
  const value = res.headers['retry-after'];
  return typeof value === 'string' ? { retryAfter: value } : {};
}
