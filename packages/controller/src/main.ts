// ramp-controller: the controller process. Parses the flags, loads the kubeconfig (--kubeconfig, else
// $KUBECONFIG, else the in-cluster config), logs with pino, serves /metrics and /healthz + /readyz,
// elects a leader on a Lease (only the leader reconciles), runs until SIGINT/SIGTERM, then drains the
// queues (bounded), releases the lease, stops the informers and exits 0. Bad flags: a message and exit
// code 2. Leadership lost: exit code 1 (the pod restarts and comes back as a standby).
import { KubeConfig } from '@kubernetes/client-node';
import { defaultProviders } from '@ramp/analysis';
import { errorFields } from '@ramp/kube';
import { leaseName } from './operations/lease';
import { controllerNamespace, instanceSelector } from './operations/scope';
import { decideRollout } from './rollout/decide';
import { type ControllerFlags, parseFlags, USAGE } from './runtime/flags';
import { createLogger } from './runtime/logging';
import type { DecideFn } from './runtime/rollout-controller';
import { type ControllerOptions, createController } from './runtime/start-controller';

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

/**
 * The controller's options from its flags and environment: scope (namespace, instance), threads,
 * client, election, and the metric providers (the Prometheus address from RAMP_PROMETHEUS_ADDRESS).
 */
export function controllerOptions(
  flags: ControllerFlags,
  env: NodeJS.ProcessEnv = process.env,
): Omit<ControllerOptions, 'kubeConfig' | 'decide' | 'log'> {
  const namespace = flags.namespaced ? (flags.namespace ?? controllerNamespace(env)) : flags.namespace;
  return {
    ...(namespace !== undefined ? { namespace } : {}),
    instanceSelector: instanceSelector(flags.instanceId),
    // A namespaced install has a Role: cluster-scoped templates are out of reach.
    caches: {
      ...(flags.namespaced ? { clusterAnalysisTemplates: false } : {}),
      trafficSplitVersion: flags.trafficSplitApiVersion,
    },
    rolloutThreads: flags.rolloutThreads,
    analysisThreads: flags.analysisThreads,
    resyncPeriodMs: flags.rolloutResyncMs,
    qps: flags.qps,
    burst: flags.burst,
    providers: defaultProviders({ env }),
    ...(flags.leaderElect
      ? {
          leaderElection: {
            namespace: flags.leaderElectionNamespace,
            name: leaseName(flags.instanceId),
            leaseDurationMs: flags.leaseDurationMs,
            renewDeadlineMs: flags.renewDeadlineMs,
            retryPeriodMs: flags.retryPeriodMs,
          },
        }
      : {}),
  };
}

/** Runs the controller until a signal (exit 0) or the loss of its lease (exit 1); resolves with the exit code. */
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
  const options = controllerOptions(flags);
  const controller = createController({
    ...options,
    kubeConfig,
    decide: decide ?? decideRollout,
    log,
    servers: { metricsPort: flags.metricsPort, healthPort: flags.healthPort },
  });
  controller.metrics.collectProcessMetrics();
  log.info(
    {
      server: controller.client.server,
      watching: options.namespace ?? 'all namespaces',
      instanceSelector: options.instanceSelector,
      lease: options.leaderElection
        ? `${options.leaderElection.namespace}/${options.leaderElection.name}`
        : 'none',
    },
    'starting',
  );
  try {
    await controller.serving;
  } catch (err) {
    log.error(errorFields(err), 'cannot serve metrics and health');
    await controller.stop(0);
    return 1;
  }
  // Timers and the watch sockets may all be idle (backing off); this keeps the process up until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let onSignal: (received: NodeJS.Signals) => void = () => {};
  const outcome = await Promise.race([
    new Promise<{ signal: NodeJS.Signals }>((resolve) => {
      onSignal = (signal) => resolve({ signal });
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }),
    controller.lost.then((reason) => ({ lost: reason })),
  ]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if ('lost' in outcome) {
    log.error({ reason: outcome.lost }, 'leadership lost; exiting to restart as a standby');
  } else {
    log.info({ signal: outcome.signal }, 'stopping');
  }
  const drained = await controller.stop('lost' in outcome ? 1000 : DRAIN_TIMEOUT_MS);
  clearInterval(keepAlive);
  log.info({ drained }, 'stopped');
  return 'lost' in outcome ? 1 : 0;
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
