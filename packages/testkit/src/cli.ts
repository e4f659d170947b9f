/**
 * `ramp-testkit serve`: runs the in-memory API server until SIGINT/SIGTERM and writes a kubeconfig for it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isCrdBundle } from './crd-bundles';
import { parseFaultSpec } from './faults';
import { startTestCluster } from './index';
import { createLogger, isLogLevel } from './logger';

const USAGE = `Usage: ramp-testkit serve [--port N] --kubeconfig FILE [--crds DIR] [--ready-delay MS]
                          [--job-duration MS] [--bad-image IMAGE] [--no-simulator]
                          [--faults SPEC] [--log-level debug|info|warn]

Runs an in-memory Kubernetes API server on 127.0.0.1 and writes a kubeconfig (context "testkit") for it.
  --port N            port to listen on (default 0: a free port, see the kubeconfig)
  --kubeconfig FILE   where to write the kubeconfig (required)
  --crds DIR          load the CRDs (*.yaml) in DIR (or the file DIR) at start; repeatable (default: the
                      repository's crds/). A bundle's name (gateway-api-standard, gateway-api-experimental,
                      smi) installs that upstream bundle on top of them (./NAME for a folder of that name)
  --ready-delay MS    workload simulator: how long pods take to become Running and Ready (default 1000)
  --job-duration MS   workload simulator: how long a Job's pod runs (default 1000)
  --bad-image IMAGE   workload simulator: an image that never becomes ready, besides tags ending in "bad";
                      repeatable
  --no-simulator      no workload simulator: nothing creates pods for ReplicaSets or Jobs, or runs them
  --faults SPEC       fault injection, e.g. "error=0.05,latency=20-80ms,watch-cut=10s,conflict=0.1,seed=42"
  --log-level LEVEL   debug logs every request to stderr (default info)
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        port: { type: 'string' };
        kubeconfig: { type: 'string' };
        crds: { type: 'string'; multiple: true };
        'ready-delay': { type: 'string' };
        'job-duration': { type: 'string' };
        'bad-image': { type: 'string'; multiple: true };
        'no-simulator': { type: 'boolean' };
        faults: { type: 'string' };
        'log-level': { type: 'string' };
        help: { type: 'boolean'; short: 'h' };
      };
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        kubeconfig: { type: 'string' },
        crds: { type: 'string', multiple: true },
        'ready-delay': { type: 'string' },
        'job-duration': { type: 'string' },
        'bad-image': { type: 'string', multiple: true },
        'no-simulator': { type: 'boolean' },
        faults: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    throw new UsageError(
      positionals.length === 0 ? 'missing command: serve' : `unknown command "${positionals.join(' ')}"`,
    );
  }
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: invalid port "${values.port}"`);
  if (!values.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
  const millis = (flag: 'ready-delay' | 'job-duration') => {
    const ms = Number(values[flag] ?? '1000');
    if (!Number.isFinite(ms) || ms < 0)
      throw new UsageError(`--${flag}: invalid milliseconds "${values[flag]}"`);
    return ms;
  };
  const readyDelay = millis('ready-delay');
  const jobDuration = millis('job-duration');
  const level = values['log-level'] ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`--log-level: expected debug, info or warn, got "${level}"`);
  let faults: ReturnType<typeof parseFaultSpec> | undefined;
  if (values.faults) {
    try {
      faults = parseFaultSpec(values.faults);
    } catch (err) {
      throw new UsageError(`--faults: ${(err as Error).message}`);
    }
  }
  const crds = values.crds ?? [];
  const bundles = crds.filter(isCrdBundle);
  const folders = crds.filter((c) => !isCrdBundle(c));
  return {
    port,
    kubeconfig: path.resolve(values.kubeconfig),
    /** CRD folders and files; undefined: the default (the repository's crds/). */
    crdsDir: folders.length > 0 ? folders.map((d) => path.resolve(d)) : undefined,
    bundles,
    simulator: values['no-simulator'] !== true,
    readyDelay,
    jobDuration,
    badImages: values['bad-image'] ?? [],
    level,
    faults,
  };
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ramp-testkit: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const logger = createLogger(args.level);
  let cluster: Awaited<ReturnType<typeof startTestCluster>>;
  try {
    cluster = await startTestCluster({
      port: args.port,
      ...(args.crdsDir ? { crdsDir: args.crdsDir } : {}),
      ...(args.bundles.length > 0 ? { crds: args.bundles } : {}),
      ...(args.faults ? { faults: args.faults } : {}),
      logger,
      logLevel: args.level,
      simulator: args.simulator,
      readyDelayMs: args.readyDelay,
      jobDurationMs: args.jobDuration,
      badImage: args.badImages,
    });
  } catch (err) {
    process.stderr.write(`ramp-testkit: ${(err as Error).message}\n`);
    return 1;
  }
  logger.info(
    args.simulator
      ? `workload simulator on: pods ready after ${args.readyDelay} ms, jobs run ${args.jobDuration} ms`
      : 'workload simulator off',
  );
  cluster.writeKubeconfig(args.kubeconfig);
  logger.info(`kubeconfig written to ${args.kubeconfig} (kubectl --kubeconfig ${args.kubeconfig} get ns)`);
  process.stdout.write(`${cluster.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: stopping`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await cluster.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`ramp-testkit: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
