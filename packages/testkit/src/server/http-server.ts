/** The node:http server: reads requests, applies faults, routes, writes JSON (or a watch stream) back. */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import YAML from 'yaml';
import type { ResourceRegistry } from '../crd-registry';
import type { FaultInjector } from '../faults';
import type { Logger } from '../logger';
import * as errors from '../semantics/status';
import type { Operations } from '../store/operations';
import { apiGroup, apiGroupList, apiResourceList, coreVersions, SERVER_VERSION } from './discovery';
import { handleResource, type Reply } from './handlers';
import { OpenApi } from './openapi';
import { parseRoute, type Route } from './router';
import { WatchStream } from './watch';

export interface ServerContext {
  registry: ResourceRegistry;
  ops: Operations;
  faults: FaultInjector;
  logger: Logger;
  bookmarkIntervalMs: number;
}

const MAX_BODY = 3 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY)
        reject(
          new errors.ApiError(
            errors.failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
          ),
        );
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const ct = (contentType ?? '').toLowerCase();
  try {
    if (ct.includes('yaml')) return YAML.parse(text);
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

export class ApiServer {
  private readonly server: http.Server;
  private readonly watches = new Set<WatchStream>();
  private readonly sockets = new Set<Socket>();
  private readonly openapi: OpenApi;
  private address = '127.0.0.1:0';

  constructor(private readonly ctx: ServerContext) {
    this.openapi = new OpenApi(ctx.registry);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        ctx.logger.warn(`unexpected failure: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) this.send(res, { status: 500, body: errors.internalError(String(err)).status });
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const a = this.server.address() as AddressInfo;
        this.address = `${host}:${a.port}`;
        resolve(a.port);
      });
    });
  }

  /** Ends every open watch cleanly, as a server-side timeout does: clients re-watch from their last version. */
  cutWatches(): void {
    for (const w of [...this.watches]) w.end();
  }

  get openWatches(): number {
    return this.watches.size;
  }

  async close(): Promise<void> {
    this.cutWatches();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setImmediate(() => {
        for (const s of this.sockets) s.destroy();
      });
    });
  }

  private send(res: ServerResponse, reply: Reply): void {
    const body = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Content-Length': Buffer.byteLength(body),
      ...(reply.headers ?? {}),
    });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://testkit');
    const route = parseRoute(url.pathname);
    let reply: Reply;
    try {
      const raw = await readBody(req);
      if (route.kind === 'resource') {
        if (this.ctx.faults.failsWrite(method, route.plural)) throw this.injectedError(500);
        const decision = this.ctx.faults.decide(method);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        if (decision.kind === 'error') throw this.injectedError(decision.code);
        if (decision.kind === 'conflict') {
          throw errors.conflict({ group: route.group, name: route.plural }, route.name ?? '');
        }
        const body = parseBody(raw, req.headers['content-type']);
        const result = handleResource(this.ctx.ops, {
          method,
          route,
          query: url.searchParams,
          headers: req.headers,
          body,
        });
        if ('watch' in result) {
          const stream = new WatchStream(this.ctx.ops, result.watch, res, (s) => this.watches.delete(s));
          this.watches.add(stream);
          const cut = this.ctx.faults.watchCutMs;
          stream.start({
            bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
            ...(cut !== undefined ? { cutAfterMs: cut } : {}),
          });
          this.ctx.logger.debug(`${method} ${url.pathname}${url.search} watch started`);
          return;
        }
        reply = result;
      } else reply = this.nonResource(route, method, req);
    } catch (err) {
      if (!(err instanceof errors.ApiError)) throw err;
      reply = { status: err.code, body: err.status, headers: err.headers };
    }
    this.send(res, reply);
    this.ctx.logger.debug(`${method} ${url.pathname}${url.search} ${reply.status} ${Date.now() - started}ms`);
  }

  private injectedError(code: 500 | 503 | 429): errors.ApiError {
    const after = this.ctx.faults.retryAfterSeconds;
    if (code === 429) return errors.tooManyRequests(after);
    if (code === 503) {
      const e = errors.serviceUnavailable(
        'the server is currently unable to handle the request (injected fault)',
      );
      return new errors.ApiError(e.status, { 'Retry-After': String(after) });
    }
    return errors.internalError('injected fault');
  }

  private nonResource(route: Route, method: string, req: IncomingMessage): Reply {
    if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed();
    const { registry } = this.ctx;
    const found = (body: unknown): Reply => {
      if (body === undefined) throw errors.pathNotFound();
      return { status: 200, body };
    };
    switch (route.kind) {
      case 'version':
        return found(SERVER_VERSION);
      case 'health':
        return found('ok');
      case 'core-versions':
        return found(coreVersions(req.headers.host ?? this.address));
      case 'groups':
        return found(apiGroupList(registry));
      case 'group':
        return found(apiGroup(registry, route.group));
      case 'resource-list':
        return found(apiResourceList(registry, route.group, route.version));
      case 'openapi-v3-root':
        return found(this.openapi.root());
      case 'openapi-v3': {
        const doc = this.openapi.document(route.path);
        if (!doc) throw errors.pathNotFound();
        return { status: 200, body: JSON.parse(doc.body), headers: { 'Cache-Control': 'public, immutable' } };
      }
      default:
        throw errors.pathNotFound();
    }
  }
}
