// A local HTTP endpoint on 127.0.0.1 that a web metric measures; the test decides what it answers
// (`{"status": "<status>"}`) and sees which pod-template hashes were asked about.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class MetricServer {
  /** The value the next answers carry: "ok" passes, "bad" fails, anything else is inconclusive. */
  status = 'ok';
  /** The `hash` query of every request, in order. */
  readonly hashes: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MetricServer> {
    let self: MetricServer | undefined;
    const server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      self?.hashes.push(query.get('hash') ?? '');
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ status: self?.status }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    self = new MetricServer(server, `http://127.0.0.1:${port}/metric`);
    return self;
  }

  get requests(): number {
    return this.hashes.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
