/**
 * `ramp-traffic`: the traffic and metrics app (traffic-app.ts) as its own process, for the e2e suite
 * and trying Ramp by hand. Prints its URL on stdout once it listens; stops on SIGINT/SIGTERM.
 * Test and demo infrastructure, never product code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { startTrafficApp } from './traffic-app';

const USAGE = `Usage: ramp-traffic --kubeconfig FILE --selector LABELS [--namespace NS] [--port N] [--rate N]
                    [--tick MS]

Sends a steady request rate over the ready pods matching LABELS (as a Service would); a pod whose
image tag ends in "errors" rejects 50% of its requests, every other pod 0.5%. Serves the counters the
seed AnalysisTemplate queries on /metrics and the current reject ratio as JSON on /ratio.
  --kubeconfig FILE   the cluster to read pods from (required)
  --selector LABELS   label selector of the workload's pods, e.g. app=sgdecoding-online-scaled (required)
  --namespace NS      namespace of the pods (default "default")
  --port N            port to listen on, on 127.0.0.1 (default 0: a free port, printed on stdout)
  --rate N            requests per second over all ready pods (default 100)
  --tick MS           how often the pods are read and the counters advanced (default 250)
`;

class UsageError extends Error {}

export interface TrafficCliArgs {
  kubeconfig: string;
  selector: string;
  namespace: string;
  port: number;
  rate: number;
  tickMs: number;
}

/** The arguments, or undefined for --help; throws UsageError on anything wrong. */
export function parseTrafficArgs(argv: string[]): TrafficCliArgs | undefined {
  let values: {
    kubeconfig?: string;
    selector?: string;
    namespace?: string;
    port?: string;
    rate?: string;
    tick?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kubeconfig: { type: 'string' },
        selector: { type: 'string', short: 'l' },
        namespace: { type: 'string', short: 'n' },
        port: { type: 'string' },
        rate: { type: 'string' },
        tick: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return undefined;
  if (!values.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
  if (!values.selector) throw new UsageError('--selector LABELS is required');
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: invalid port "${values.port}"`);
  const rate = Number(values.rate ?? '100');
  if (!Number.isFinite(rate) || rate <= 0)
    throw new UsageError(`--rate: expected a positive number of requests per second, got "${values.rate}"`);
  const tickMs = Number(values.tick ?? '250');
  if (!Number.isFinite(tickMs) || tickMs < 10)
    throw new UsageError(`--tick: expected at least 10 milliseconds, got "${values.tick}"`);
  const namespace = values.namespace ?? 'default';
  if (namespace === '') throw new UsageError('--namespace: must not be empty');
  return {
    kubeconfig: path.resolve(values.kubeconfig),
    selector: values.selector,
    namespace,
    port,
    rate,
    tickMs,
  };
}

async function main(argv: string[]): Promise<number> {
  let args: TrafficCliArgs | undefined;
  try {
    args = parseTrafficArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ramp-traffic: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(readFileSync(args.kubeconfig, 'utf8'));
  } catch (err) {
    process.stderr.write(
      `ramp-traffic: cannot read the kubeconfig ${args.kubeconfig}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  let app: Awaited<ReturnType<typeof startTrafficApp>>;
  try {
    app = await startTrafficApp({
      kubeConfig,
      namespace: args.namespace,
      selector: args.selector,
      requestsPerSecond: args.rate,
      port: args.port,
      tickMs: args.tickMs,
    });
  } catch (err) {
    process.stderr.write(`ramp-traffic: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(
    `ramp-traffic: ${args.rate} requests/s over the ready pods of ${args.namespace}/${args.selector}; ` +
      `${app.url}/metrics and ${app.url}/ratio\n`,
  );
  process.stdout.write(`${app.url}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`ramp-traffic: ${signal}: stopping\n`);
  await app.close();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`ramp-traffic: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
