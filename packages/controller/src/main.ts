// ramp-controller: the controller process. Parses the flags, loads the kubeconfig (--kubeconfig, else
// $KUBECONFIG, else the in-cluster config), logs with pino, runs until SIGINT/SIGTERM, then stops the
// informers, drains the queue (bounded) and exits 0. Bad flags: a message and exit code 2.
import { KubeConfig } from '@kubernetes/client-node';
import { decideRollout } from './rollout/decide';
import { type ControllerFlags, parseFlags, USAGE } from './runtime/flags';
import { createLogger } from './runtime/logging';
import type { DecideFn } from './runtime/rollout-controller';
import { createController } from './runtime/start-controller';

export type { DecideFn } from './runtime/rollout-controller';
export {
  type ControllerOptions,
  createController,
  type RunningController,
  startController,
} from './runtime/start-controller';

/** How long a stop waits for reconciles in flight. */
const DRAIN_TIMEOUT_MS = 10_000;

export function loadKubeConfig(flags: Pick<ControllerFlags, 'kubeconfig'>, env = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (flags.kubeconfig) {
    kc.loadFromFile(flags.kubeconfig);
  } else if (env.KUBECONFIG) {
    kc.loadFromDefault();
  } else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    kc.loadFromCluster();
  } else {
    throw new Error('no cluster to talk to: pass --kubeconfig FILE, set KUBECONFIG, or run inside a cluster');
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(`the kubeconfig has no current cluster: set its current-context`);
  }
  return kc;
}

/** Runs the controller until a signal; resolves with the exit code. */
export async function main(argv: string[], decide?: DecideFn): Promise<number> {
  const parsed = parseFlags(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`ramp-controller: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const { flags } = parsed;
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = loadKubeConfig(flags);
  } catch (err) {
    process.stderr.write(`ramp-controller: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const controller = createController({
    kubeConfig,
    decide: decide ?? decideRollout,
    namespace: flags.namespace,
    rolloutThreads: flags.rolloutThreads,
    analysisThreads: flags.analysisThreads,
    qps: flags.qps,
    burst: flags.burst,
    log,
  });
  log.info({ server: controller.client.server, watching: flags.namespace ?? 'all namespaces' }, 'starting');
  // Timers and the watch sockets may all be idle (backing off); this keeps the process up until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log.info({ signal }, 'stopping');
  const drained = await controller.stop(DRAIN_TIMEOUT_MS);
  clearInterval(keepAlive);
  log.info({ drained }, 'stopped');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`ramp-controller: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
