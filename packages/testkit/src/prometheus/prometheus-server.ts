// A real Prometheus for tests: started from the installed binary on a free 127.0.0.1 port, with a
// throwaway config and data directory, scraping the targets the test gives it. Test infrastructure
// only; product code never imports this.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { within } from '../wait-for';

export const PROMETHEUS_INSTALL_HINT = 'prometheus is not installed; run: apt-get install -y prometheus';

/** Environment variable naming the binary explicitly (else PATH, then /usr/bin/prometheus). */
export const PROMETHEUS_BINARY_ENV = 'RAMP_PROMETHEUS_BINARY';

export class PrometheusNotInstalledError extends Error {
  override readonly name = 'PrometheusNotInstalledError';
  constructor(detail?: string) {
    super(detail ? `${PROMETHEUS_INSTALL_HINT} (${detail})` : PROMETHEUS_INSTALL_HINT);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The prometheus binary: $RAMP_PROMETHEUS_BINARY if set, else the first on PATH, else /usr/bin/prometheus. */
export function findPrometheusBinary(env: Env = process.env): string | undefined {
  const explicit = env[PROMETHEUS_BINARY_ENV];
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => path.join(dir, 'prometheus')), '/usr/bin/prometheus']) {
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when `CI` is set to anything but "", "0" or "false". */
export function isCi(env: Env = process.env): boolean {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export type PrometheusAvailability =
  | { available: true; binary: string }
  | { available: false; reason: string };

/**
 * For test files that need a real Prometheus: whether they can run. When the binary is missing,
 * they skip (and say why) on a developer machine, but in CI this throws instead: CI installs
 * Prometheus, so a missing binary there is a broken setup that skipping would hide.
 */
export function prometheusForTests(env: Env = process.env): PrometheusAvailability {
  const binary = findPrometheusBinary(env);
  if (binary) return { available: true, binary };
  if (isCi(env)) {
    throw new PrometheusNotInstalledError('CI is set, so the real-Prometheus tests fail instead of skipping');
  }
  return { available: false, reason: PROMETHEUS_INSTALL_HINT };
}

export interface StartPrometheusOptions {
  /** host:port targets to scrape (their /metrics), normally on 127.0.0.1. */
  scrapeTargets: string[];
  /** Scrape (and rule evaluation) interval; default 1. */
  scrapeIntervalSeconds?: number;
  /** Bound on the wait for /-/ready; default 30 s. */
  readyTimeoutMs?: number;
  /** The binary; default `findPrometheusBinary()`. */
  binary?: string;
  /** The scrape job name, the `job` label of every series; default "ramp-test". */
  jobName?: string;
}

export interface PrometheusServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number | undefined;
  /** The temp directory holding the config and the TSDB (removed by stop()). */
  dir: string;
  /** The last lines Prometheus logged (for failure messages). */
  logs(): string;
  /** SIGTERM, then SIGKILL after a bound; removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

const LOG_LIMIT = 16 * 1024;
const STOP_GRACE_MS = 5_000;
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

/** Starts Prometheus and resolves once it answers /-/ready. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const binary = options.binary ?? findPrometheusBinary();
  if (!binary) throw new PrometheusNotInstalledError();
  const interval = options.scrapeIntervalSeconds ?? 1;
  if (!(interval > 0)) throw new Error(`scrapeIntervalSeconds must be positive, got ${interval}`);
  for (const target of options.scrapeTargets) {
    if (!/^[^\s/:]+:\d+$/.test(target))
      throw new Error(`scrape target ${JSON.stringify(target)} is not host:port`);
  }

  // The port is picked free and then handed over, so another process may take it in between;
  // a start that fails on "address already in use" tries again on another port.
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binary, options, interval, await freePort());
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error) || !/address already in use/i.test(error.message)) throw error;
    }
  }
  throw lastError;
}

async function startOnce(
  binary: string,
  options: StartPrometheusOptions,
  interval: number,
  port: number,
): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ramp-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  const seconds = `${interval}s`;
  // JSON is YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: seconds, scrape_timeout: seconds, evaluation_interval: seconds },
    scrape_configs: [
      {
        job_name: options.jobName ?? 'ramp-test',
        scrape_interval: seconds,
        scrape_timeout: seconds,
        static_configs: [{ targets: options.scrapeTargets }],
      },
    ],
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
  );
  const entry = { child, dir };
  running.add(entry);
  installExitHook();

  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-LOG_LIMIT);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited() && !spawnError) {
        child.kill('SIGTERM');
        if (!(await within(exited, STOP_GRACE_MS))) {
          child.kill('SIGKILL');
          await within(exited, STOP_GRACE_MS);
        }
      }
      child.stderr?.destroy();
      running.delete(entry);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const url = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (spawnError) throw new Error(`cannot start ${binary}: ${spawnError.message}`);
      if (hasExited()) {
        throw new Error(
          `prometheus exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${log}`,
        );
      }
      const status = await httpStatus(`${url}/-/ready`, 1_000);
      if (status === 200) break;
      if (Date.now() >= deadline) {
        throw new Error(
          `prometheus at ${url} was not ready within ${readyTimeoutMs} ms; last log lines:\n${log}`,
        );
      }
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { url, port, pid: child.pid, dir, logs: () => log, stop };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test run ends without stop(): no orphaned Prometheus, no leftover temp dirs.
  process.once('exit', () => {
    for (const { child, dir } of running) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!port) throw new Error('could not pick a free port on 127.0.0.1');
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface HttpAnswer {
  status: number;
  body: string;
}

/** One GET on 127.0.0.1, no keep-alive (nothing lingers after it), bounded by `timeoutMs`. */
function httpGet(url: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

async function httpStatus(url: string, timeoutMs: number): Promise<number | undefined> {
  try {
    return (await httpGet(url, timeoutMs)).status;
  } catch {
    return undefined;
  }
}

/** The `data` of a successful query API answer. */
export interface PrometheusQueryData {
  resultType: 'scalar' | 'vector' | 'matrix' | 'string';
  result: unknown;
}

/** One instant query against the HTTP API; throws on a transport error or an error answer. */
export async function queryPrometheus(
  url: string,
  query: string,
  timeoutMs = 5_000,
): Promise<PrometheusQueryData> {
  const answer = await httpGet(`${url}/api/v1/query?${new URLSearchParams({ query })}`, timeoutMs);
  let body: { status?: string; data?: PrometheusQueryData; errorType?: string; error?: string };
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new Error(`HTTP ${answer.status} from ${url}: ${answer.body.slice(0, 200)}`);
  }
  if (body.status !== 'success' || !body.data) {
    throw new Error(
      `query ${JSON.stringify(query)} failed: ${body.errorType ?? answer.status}: ${body.error ?? answer.body}`,
    );
  }
  return body.data;
}

/** The float values of a scalar or instant-vector answer (NaN and ±Inf as numbers). */
export function sampleValues(data: PrometheusQueryData): number[] {
  const parse = (raw: unknown): number => {
    if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
    if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
    return Number(raw);
  };
  if (data.resultType === 'scalar') return [parse((data.result as [number, string])[1])];
  if (data.resultType === 'vector') {
    return (data.result as Array<{ value: [number, string] }>).map((series) => parse(series.value[1]));
  }
  throw new Error(`sampleValues reads scalar and vector answers, not ${data.resultType}`);
}

/**
 * Polls `query` until `predicate` accepts the answer (Prometheus needs a scrape or two before
 * new values show), bounded by `timeoutMs`; resolves with that answer. Errors while polling (not
 * ready, no data yet) count as "not yet". On timeout it throws with the last answer or error.
 */
export async function waitForSample(
  url: string,
  query: string,
  predicate: (data: PrometheusQueryData) => boolean,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<PrometheusQueryData> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const data = await queryPrometheus(url, query, Math.max(500, Math.min(5_000, deadline - Date.now())));
      if (predicate(data)) return data;
      last = `last answer: ${JSON.stringify(data)}`;
    } catch (error) {
      last = `last error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() + intervalMs > deadline) {
      throw new Error(
        `waited ${timeoutMs} ms for ${JSON.stringify(query)} to satisfy the predicate; ${last}`,
      );
    }
    await sleep(intervalMs);
  }
}
