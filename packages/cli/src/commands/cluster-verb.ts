// What every verb that talks to the cluster shares: kubectl's global flags, the connection, -o, Ctrl-C,
// and errors as messages (exit 1, never a stack trace).
import type { Command } from 'commander';
import YAML from 'yaml';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import type { ClusterFlags } from '../kube/kubeconfig';
import { type Env, explain, openSession, type Session } from '../kube/session';
import type { ProgramDeps } from '../program';

/** What the cluster verbs take from their surroundings; tests inject them. */
export interface KubeDeps {
  /** Default: process.env (KUBECONFIG, HOME). */
  env?: Env;
  /** Aborting it is Ctrl-C for the verbs that watch. Default: SIGINT and SIGTERM of this process. */
  signal?: AbortSignal;
  /** Stdout is a terminal: redraw in place. Default: process.stdout.isTTY. */
  tty?: boolean;
  /** Colour. Default: on a terminal, unless NO_COLOR is set. */
  color?: boolean;
  now?: () => Date;
  /** Least time between two redraws of a watch (default 250 ms). */
  redrawMs?: number;
  /** How often a watch reads a routed canary's routing objects again (default 2000 ms). */
  routeRefreshMs?: number;
}

declare module '../program' {
  interface ProgramDeps {
    kube?: KubeDeps;
  }
}

export interface VerbContext {
  io: CliIo;
  session: Session;
  env: Env;
  now: () => Date;
  tty: boolean;
  color: boolean;
  redrawMs: number;
  routeRefreshMs: number;
  /** The Ctrl-C signal of a watching verb; dispose when done. */
  interrupt(): { signal: AbortSignal; dispose(): void };
}

export function addClusterFlags(cmd: Command, opts: { allNamespaces?: boolean } = {}): Command {
  cmd
    .option('--kubeconfig <file>', 'the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use (default: its current context)')
    .option('-n, --namespace <namespace>', "the namespace (default: the context's, else default)");
  if (opts.allNamespaces) cmd.option('-A, --all-namespaces', 'every namespace');
  return cmd;
}

export type OutputFormat = 'text' | 'json' | 'yaml';

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'text' || value === 'wide') return 'text';
  if (value === 'json' || value === 'yaml') return value;
  throw new CliError(`-o ${value} is not an output format; use json or yaml (or leave -o out for text)`);
}

/** A value as JSON or YAML; `stream` makes each one line of JSON, or a `---` YAML document. */
export function formatValue(value: unknown, format: 'json' | 'yaml', stream = false): string {
  if (format === 'json') return stream ? `${JSON.stringify(value)}\n` : `${JSON.stringify(value, null, 2)}\n`;
  return `${stream ? '---\n' : ''}${YAML.stringify(value)}`;
}

function processInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    controller.abort();
    dispose();
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}

/**
 * The action of a cluster verb: connects with the command's flags, runs `run` with the operands and
 * options, closes, and turns API and network failures into messages.
 */
export function clusterAction<O extends object>(
  deps: ProgramDeps,
  run: (ctx: VerbContext, operands: string[], opts: O & ClusterFlags) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    const opts = cmd.opts<O & ClusterFlags>();
    const operands = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [a]));
    const kube = deps.kube ?? {};
    const env = kube.env ?? process.env;
    const tty = kube.tty ?? Boolean(process.stdout.isTTY);
    const session = await openSession(opts, env);
    const ctx: VerbContext = {
      io: deps.io,
      session,
      env,
      now: kube.now ?? (() => new Date()),
      tty,
      color: kube.color ?? (tty && !env.NO_COLOR),
      redrawMs: kube.redrawMs ?? 250,
      routeRefreshMs: kube.routeRefreshMs ?? 2000,
      interrupt: () => (kube.signal ? { signal: kube.signal, dispose: () => {} } : processInterrupt()),
    };
    try {
      await run(ctx, operands.map(String), opts);
    } catch (err) {
      throw explain(err, session);
    } finally {
      session.close();
    }
  };
}
