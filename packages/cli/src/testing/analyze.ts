// Helpers for analyze's tests (not used by the command): a local HTTP server on 127.0.0.1 that plays
// a web endpoint or Prometheus' query API, templates written to a temp folder, and runCli captured.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyzeDeps } from '../commands/analyze';
import { runCli } from '../program';

export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  body: string;
}
export interface FakeAnswer {
  status?: number;
  body: unknown;
}
export type FakeHandler = (req: FakeRequest) => FakeAnswer;

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Replaces what the server answers. */
  answer(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** An instant-vector answer of Prometheus' query API, one series per value. */
export const promVector = (...values: (number | string)[]): FakeAnswer => ({
  body: {
    status: 'success',
    data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [0, String(v)] })) },
  },
});

/** A server on 127.0.0.1 (a free port) answering with `handler`; JSON unless the body is a string. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  let current = handler;
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const query = new URLSearchParams(url.search);
      if (req.headers['content-type']?.includes('form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body)) query.append(k, v);
      }
      const request = { path: url.pathname, query, body };
      requests.push(request);
      const answer = current(request);
      res.statusCode = answer.status ?? 200;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.setHeader('Content-Type', typeof answer.body === 'string' ? 'text/plain' : 'application/json');
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes files into a fresh temp folder; returns the folder. */
export function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-analyze-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `kubectl ramp analyze ...` in process, started: what it has printed so far, and its end. */
export function analyzeLive(
  args: string[],
  deps: AnalyzeDeps = {},
): { out(): string; done: Promise<CliRun> } {
  let out = '';
  let err = '';
  const done = runCli(['analyze', ...args], {
    io: { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {} },
    analyze: { color: false, ...deps },
  }).then((code) => ({ code, out, err }));
  return { out: () => out, done };
}

/** `kubectl ramp analyze ...` in process, with what it printed. */
export const analyze = (args: string[], deps: AnalyzeDeps = {}): Promise<CliRun> =>
  analyzeLive(args, deps).done;

/**
 * A one-metric template as YAML. `metric` holds the metric's fields (one per line, nested ones
 * indented by two spaces); `spec` holds extra spec fields (args, ...) in the same way.
 */
export function templateYaml(name: string, metric: string, spec = '', kind = 'AnalysisTemplate'): string {
  const indent = (text: string, by: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => `${by}${l}\n`)
      .join('');
  return `apiVersion: argoproj.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
spec:
${spec ? indent(spec, '  ') : ''}  metrics:
  - name: ${name}
${indent(metric, '    ')}`;
}
