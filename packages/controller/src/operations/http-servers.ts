// The controller's two HTTP endpoints: metrics (`/metrics`, Prometheus text, on --metrics-port, 8090
// as Argo) and health (`/healthz`: the process answers; `/readyz`: caches synced and this replica
// leading or ready to lead, on --health-port, 8080). The same port for both serves all paths on one
// server; port 0 picks a free one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorFields, type Log, silentLog } from '@ramp/kube';
import type { ControllerMetrics } from './metrics';

export interface HealthChecks {
  /** Whether the process is alive (default: it answers). */
  alive?(): boolean;
  /** Why this replica is not ready; empty when it is. */
  notReady(): string[];
}

export interface OperationsServersOptions {
  metrics: ControllerMetrics;
  health: HealthChecks;
  metricsPort: number;
  healthPort: number;
  /** Address to listen on (default all interfaces). */
  host?: string;
  log?: Log;
}

export interface OperationsServers {
  metricsPort: number;
  healthPort: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function send(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startOperationsServers(options: OperationsServersOptions): Promise<OperationsServers> {
  const log = options.log ?? silentLog;
  const routes = {
    metrics: new Map<string, Handler>([
      [
        '/metrics',
        async (_req, res) => {
          send(res, 200, await options.metrics.text(), options.metrics.registry.contentType);
        },
      ],
    ]),
    health: new Map<string, Handler>([
      [
        '/healthz',
        (_req, res) =>
          options.health.alive?.() === false ? send(res, 503, 'not alive\n') : send(res, 200, 'ok\n'),
      ],
      [
        '/readyz',
        (_req, res) => {
          const reasons = options.health.notReady();
          if (reasons.length === 0) send(res, 200, 'ok\n');
          else send(res, 503, `not ready: ${reasons.join('; ')}\n`);
        },
      ],
    ]),
  };
  const serve = (handlers: Map<string, Handler>) =>
    createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const handler = handlers.get(path);
      if (!handler) return send(res, 404, 'not found\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
      Promise.resolve(handler(req, res)).catch((err: unknown) => {
        log.error(errorFields(err), 'operations endpoint failed');
        if (!res.headersSent) send(res, 500, 'internal error\n');
      });
    });
  const servers: Server[] = [];
  const close = async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  };
  try {
    if (options.metricsPort !== 0 && options.metricsPort === options.healthPort) {
      const server = serve(new Map([...routes.metrics, ...routes.health]));
      servers.push(server);
      const port = await listen(server, options.metricsPort, options.host);
      log.info({ port }, 'serving metrics and health');
      return { metricsPort: port, healthPort: port, close };
    }
    const metricsServer = serve(routes.metrics);
    servers.push(metricsServer);
    const metricsPort = await listen(metricsServer, options.metricsPort, options.host);
    const healthServer = serve(routes.health);
    servers.push(healthServer);
    const healthPort = await listen(healthServer, options.healthPort, options.host);
    log.info({ metricsPort, healthPort }, 'serving metrics and health');
    return { metricsPort, healthPort, close };
  } catch (err) {
    await close();
    throw err;
  }
}
