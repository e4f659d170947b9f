// The command line of ramp-controller, parsed with node:util parseArgs: flags, defaults, validation with
// messages a person can act on, and the usage text.
import { parseArgs } from 'node:util';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'text';

export interface ControllerFlags {
  kubeconfig?: string;
  namespace?: string;
  rolloutThreads: number;
  analysisThreads: number;
  qps: number;
  burst: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export const USAGE = `Usage: ramp-controller [flags]

Runs the Ramp controller: Rollouts and AnalysisRuns (argoproj.io/v1alpha1).

Flags:
  --kubeconfig FILE        kubeconfig to use (default: $KUBECONFIG, else the in-cluster config)
  --namespace NS           watch only this namespace (default: all namespaces)
  --rollout-threads N      Rollouts reconciled at once (default 10)
  --analysis-threads N     AnalysisRuns reconciled at once (default 10)
  --qps Q                  API requests per second (default 40)
  --burst B                API requests allowed in a burst (default 80)
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

export function parseFlags(argv: string[]): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kubeconfig: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'rollout-threads': { type: 'string' },
        'analysis-threads': { type: 'string' },
        qps: { type: 'string' },
        burst: { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    const logLevel = values['log-level'] ?? 'info';
    if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
      throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
    }
    const logFormat = values['log-format'] ?? 'json';
    if (logFormat !== 'json' && logFormat !== 'text') {
      throw new Error(`--log-format must be json or text, got "${logFormat}"`);
    }
    for (const flag of ['kubeconfig', 'namespace'] as const) {
      if (values[flag] !== undefined && values[flag].trim() === '')
        throw new Error(`--${flag} must not be empty`);
    }
    return {
      kind: 'run',
      flags: {
        kubeconfig: values.kubeconfig,
        namespace: values.namespace,
        rolloutThreads: positiveInt('rollout-threads', values['rollout-threads'], 10),
        analysisThreads: positiveInt('analysis-threads', values['analysis-threads'], 10),
        qps: positiveNumber('qps', values.qps, 40),
        burst: positiveInt('burst', values.burst, 80),
        logLevel: logLevel as LogLevel,
        logFormat,
      },
    };
  } catch (err) {
    // parseArgs errors say e.g. "Unknown option '--x'"; ours name the flag and what it takes.
    return { kind: 'error', message: (err as Error).message };
  }
}
