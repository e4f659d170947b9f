// An API server a user may only partly read (testkit has no RBAC): an HTTP proxy in front of a test
// cluster that answers requests whose path matches `forbidden` with the 403 Status kube-apiserver sends,
// and passes every other request through (not used by the commands).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForbiddingProxy {
  url: string;
  stop(): Promise<void>;
}

export async function forbiddingProxy(target: string, forbidden: RegExp): Promise<ForbiddingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (forbidden.test(path.split('?')[0]!)) {
      const body = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `${path} is forbidden: User "viewer" cannot get this resource`,
        reason: 'Forbidden',
        code: 403,
      };
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
