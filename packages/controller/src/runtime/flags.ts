// The command line of ramp-controller, parsed with node:util parseArgs: flags, defaults, validation with
// messages a person can act on, and the usage text. Boolean flags also take Go's `--flag=false` form,
// as Argo's do.
import { parseArgs } from 'node:util';
import { parseGoDuration, parseSecondsOrDuration } from '@ramp/api';
import { DEFAULT_TIMINGS, type LeaderElectionTimings, timingsProblem } from '../operations/leader-election';
import { controllerNamespace, instanceIdProblem } from '../operations/scope';
import { SMI_VERSIONS, type SmiVersion } from '../routing/route-resources';
import { DEFAULT_RESYNC_PERIOD_MS } from './periodic-resync';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'text';

export interface ControllerFlags {
  kubeconfig?: string;
  namespace?: string;
  rolloutThreads: number;
  analysisThreads: number;
  /** Every cached Rollout and AnalysisRun queued again this often (--rollout-resync, default 15m); 0: never. */
  rolloutResyncMs: number;
  qps: number;
  burst: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Port of /metrics (default 8090, as Argo); 0 picks a free port. */
  metricsPort: number;
  /** Port of /healthz and /readyz (default 8080); 0 picks a free port. */
  healthPort: number;
  /** Only the controller's namespace (--namespace, else $POD_NAMESPACE, else default). */
  namespaced: boolean;
  /** Only the Rollouts and AnalysisRuns labelled with this controller-instance-id. */
  instanceId?: string;
  /** The TrafficSplit version tried first (Argo's --traffic-split-api-version, default v1alpha1). */
  trafficSplitApiVersion: SmiVersion;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const USAGE = `Usage: ramp-controller [flags]

Runs the Ramp controller: Rollouts and AnalysisRuns (argoproj.io/v1alpha1).

Flags:
  --kubeconfig FILE        kubeconfig to use (default: $KUBECONFIG, else the in-cluster config)
  --namespace NS           watch only this namespace (default: all namespaces)
  --namespaced             watch only the controller's namespace (--namespace, else $POD_NAMESPACE,
                           else default); no ClusterAnalysisTemplates (a Role is enough)
  --instance-id ID         only Rollouts and AnalysisRuns labelled
                           argo-rollouts.argoproj.io/controller-instance-id=ID (default: only those
                           without the label)
  --traffic-split-api-version V
                           the SMI TrafficSplit version to read and write first: v1alpha1, v1alpha2,
                           v1alpha3 or v1alpha4 (default v1alpha1; a version the cluster does not
                           serve falls back to one it does)
  --rollout-threads N      Rollouts reconciled at once (default 10)
  --analysis-threads N     AnalysisRuns reconciled at once (default 10)
  --rollout-resync S       queue every Rollout and AnalysisRun again this often, as a safety net
                           against missed events: seconds (900) or a duration (15m); 0: never
                           (default 900)
  --qps Q                  API requests per second (default 40)
  --burst B                API requests allowed in a burst (default 80)
  --metrics-port P         port of /metrics (default 8090; 0: any free port)
  --health-port P          port of /healthz and /readyz (default 8080; 0: any free port)
  --leader-elect[=BOOL]    lead through a Lease before reconciling (default true)
  --leader-election-namespace NS
                           namespace of the Lease (default $POD_NAMESPACE, else default)
  --leader-election-lease-duration D
                           how long standbys wait before taking a lease not renewed (default 15s)
  --leader-election-renew-deadline D
                           how long the leader tries to renew before giving up (default 10s)
  --leader-election-retry-period D
                           time between attempts to acquire or renew (default 2s)
  --log-level L            trace, debug, info, warn, error (default info)
  --log-format F           json or text (default json)
  -h, --help               print this help
`;

export type ParsedFlags =
  | { kind: 'run'; flags: ControllerFlags }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`--${flag} must be a whole number of at least 1, got "${value}"`);
  }
  return n;
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`--${flag} must be a number above 0, got "${value}"`);
  }
  return n;
}

function port(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) {
    throw new Error(`--${flag} must be a port number from 0 to 65535, got "${value}"`);
  }
  return n;
}

function duration(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const parsed = parseGoDuration(value);
  if (!parsed.ok || parsed.ms <= 0) {
    throw new Error(`--${flag} must be a duration above 0 such as 15s or 1m30s, got "${value}"`);
  }
  return parsed.ms;
}

/** A period in whole seconds (Argo's form, `900`) or a duration (`15m`); 0 turns it off. */
function period(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const parsed = parseSecondsOrDuration(value);
  if (!parsed.ok || !Number.isSafeInteger(parsed.ms) || (parsed.ms !== 0 && parsed.ms < 1000)) {
    throw new Error(
      `--${flag} must be a whole number of seconds such as 900, a duration of at least 1s such as 15m, ` +
        `or 0 to turn it off, got "${value}"`,
    );
  }
  return parsed.ms === 0 ? 0 : parsed.ms; // not -0
}

const BOOLEAN_FLAGS = ['leader-elect', 'namespaced'] as const;

/** Pulls `--flag`, `--flag=true` and `--flag=false` of the boolean flags out of `argv`. */
function booleans(argv: string[]): { rest: string[]; values: Partial<Record<string, boolean>> } {
  const values: Partial<Record<string, boolean>> = {};
  const rest: string[] = [];
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = m?.[1];
    if (!m || !flag || !(BOOLEAN_FLAGS as readonly string[]).includes(flag)) {
      rest.push(arg);
      continue;
    }
    const text = m[2];
    if (text !== undefined && text !== 'true' && text !== 'false') {
      throw new Error(`--${flag} must be true or false, got "${text}"`);
    }
    values[flag] = text !== 'false';
  }
  return { rest, values };
}

const OPTIONS = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'rollout-threads': { type: 'string' },
  'analysis-threads': { type: 'string' },
  'rollout-resync': { type: 'string' },
  qps: { type: 'string' },
  burst: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'metrics-port': { type: 'string' },
  'health-port': { type: 'string' },
  'instance-id': { type: 'string' },
  'traffic-split-api-version': { type: 'string' },
  'leader-election-namespace': { type: 'string' },
  'leader-election-lease-duration': { type: 'string' },
  'leader-election-renew-deadline': { type: 'string' },
  'leader-election-retry-period': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function logSettings(values: Values): Pick<ControllerFlags, 'logLevel' | 'logFormat'> {
  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const logFormat = values['log-format'] ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'text') {
    throw new Error(`--log-format must be json or text, got "${logFormat}"`);
  }
  return { logLevel: logLevel as LogLevel, logFormat };
}

/** The names given (kubeconfig, namespaces, instance id) are not empty, and the instance id is a label value. */
function checkNames(values: Values): void {
  for (const flag of ['kubeconfig', 'namespace', 'instance-id', 'leader-election-namespace'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '')
      throw new Error(`--${flag} must not be empty`);
  }
  const instanceId = values['instance-id'];
  const idProblem = instanceId === undefined ? undefined : instanceIdProblem(instanceId);
  if (idProblem) throw new Error(`--instance-id ${idProblem}, got "${instanceId}"`);
}

function trafficSplitVersion(value: string | undefined): SmiVersion {
  if (value === undefined) return 'v1alpha1';
  if (!(SMI_VERSIONS as readonly string[]).includes(value))
    throw new Error(`--traffic-split-api-version must be one of ${SMI_VERSIONS.join(', ')}, got "${value}"`);
  return value as SmiVersion;
}

function electionTimings(values: Values, leaderElect: boolean): LeaderElectionTimings {
  const timing = (
    flag: `leader-election-${'lease-duration' | 'renew-deadline' | 'retry-period'}`,
    ms: number,
  ) => duration(flag, values[flag], ms);
  const timings = {
    leaseDurationMs: timing('leader-election-lease-duration', DEFAULT_TIMINGS.leaseDurationMs),
    renewDeadlineMs: timing('leader-election-renew-deadline', DEFAULT_TIMINGS.renewDeadlineMs),
    retryPeriodMs: timing('leader-election-retry-period', DEFAULT_TIMINGS.retryPeriodMs),
  };
  const timingProblem = leaderElect ? timingsProblem(timings) : undefined;
  if (timingProblem) throw new Error(`leader election: ${timingProblem}`);
  return timings;
}

export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedFlags {
  try {
    const bools = booleans(argv);
    const { values, positionals } = parseArgs({
      args: bools.rest,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    const log = logSettings(values);
    checkNames(values);
    const instanceId = values['instance-id'];
    const leaderElect = bools.values['leader-elect'] ?? true;
    const timings = electionTimings(values, leaderElect);
    return {
      kind: 'run',
      flags: {
        kubeconfig: values.kubeconfig,
        namespace: values.namespace,
        rolloutThreads: positiveInt('rollout-threads', values['rollout-threads'], 10),
        analysisThreads: positiveInt('analysis-threads', values['analysis-threads'], 10),
        rolloutResyncMs: period('rollout-resync', values['rollout-resync'], DEFAULT_RESYNC_PERIOD_MS),
        qps: positiveNumber('qps', values.qps, 40),
        burst: positiveInt('burst', values.burst, 80),
        ...log,
        metricsPort: port('metrics-port', values['metrics-port'], 8090),
        healthPort: port('health-port', values['health-port'], 8080),
        namespaced: bools.values.namespaced ?? false,
        ...(instanceId !== undefined ? { instanceId } : {}),
        trafficSplitApiVersion: trafficSplitVersion(values['traffic-split-api-version']),
        leaderElect,
        leaderElectionNamespace: values['leader-election-namespace'] ?? controllerNamespace(env),
        ...timings,
      },
    };
  } catch (err) {
    // parseArgs errors say e.g. "Unknown option '--x'"; ours name the flag and what it takes.
    return { kind: 'error', message: (err as Error).message };
  }
}
