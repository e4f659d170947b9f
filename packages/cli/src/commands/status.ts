// `status NAME [--timeout D] [--watch=false] [--paused-exit-code N]`: prints each phase change until the
// rollout is Healthy (exit 0) or Degraded (exit 1), the timeout passes (exit 1), or, with
// --paused-exit-code, it pauses for a person (exit N).
import { formatDuration, parseGoDuration } from '@ramp/api';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { LiveList } from '../kube/live-list';
import { RES, type RolloutObj } from '../kube/model';
import { getRollout } from '../kube/session';
import type { ProgramDeps } from '../program';
import { phaseOf, waitingForPerson } from '../views/phase';
import { addClusterFlags, clusterAction, formatValue, outputFormat, type VerbContext } from './cluster-verb';

interface StatusOptions {
  watch: boolean;
  timeout?: string;
  pausedExitCode?: string;
  output?: string;
}

/** The end of a status watch: an exit code and what to say on stderr (an error for exit 1). */
type Outcome = { code: number; note?: string } | undefined;

function outcomeOf(ro: RolloutObj, pausedExitCode: number | undefined): Outcome {
  const { phase, message } = phaseOf(ro);
  const name = ro.metadata.name;
  if (phase === 'Healthy') return { code: 0 };
  if (phase === 'Degraded') throw new CliError(`rollout "${name}" is Degraded: ${message}`);
  const why = pausedExitCode === undefined ? undefined : waitingForPerson(ro);
  if (why) {
    return {
      code: pausedExitCode!,
      note: `rollout "${name}" is paused and waits for a person: ${why} (kubectl ramp promote ${name}, or abort)\n`,
    };
  }
  return undefined;
}

function parseOptions(opts: StatusOptions): { timeoutMs: number; pausedExitCode?: number } {
  let timeoutMs = 0;
  if (opts.timeout !== undefined) {
    const parsed = parseGoDuration(opts.timeout);
    if (!parsed.ok || parsed.ms < 0)
      throw new CliError(`--timeout ${opts.timeout} is not a duration (e.g. 30s, 5m)`);
    timeoutMs = parsed.ms;
  }
  if (opts.pausedExitCode === undefined) return { timeoutMs };
  const code = Number(opts.pausedExitCode);
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw new CliError(`--paused-exit-code ${opts.pausedExitCode} is not an exit code (0 to 255)`);
  }
  return { timeoutMs, pausedExitCode: code };
}

export async function rolloutStatus(ctx: VerbContext, name: string, opts: StatusOptions): Promise<void> {
  const format = outputFormat(opts.output);
  const { timeoutMs, pausedExitCode } = parseOptions(opts);
  let previous = '';
  const report = (ro: RolloutObj) => {
    const { phase, message } = phaseOf(ro);
    const line = message ? `${phase} - ${message}` : phase;
    if (line === previous) return;
    previous = line;
    const value = { name, namespace: ro.metadata.namespace, phase, message };
    ctx.io.out(format === 'text' ? `${line}\n` : formatValue(value, format, opts.watch));
  };
  const finish = (outcome: NonNullable<Outcome>) => {
    if (outcome.note) ctx.io.err(outcome.note);
    ctx.io.setExitCode(outcome.code);
  };
  const first = await getRollout(ctx.session, name);
  report(first);
  const now = outcomeOf(first, pausedExitCode);
  if (now || !opts.watch) return finish(now ?? { code: 0 });

  const interrupt = ctx.interrupt();
  const stop = new AbortController();
  let result: Outcome | Error | undefined;
  const end = (r: Outcome | Error) => {
    result ??= r;
    stop.abort();
  };
  const live = new LiveList<RolloutObj>(
    ctx.session,
    RES.rollouts,
    { namespace: first.metadata.namespace, fieldSelector: `metadata.name=${name}` },
    () => {
      if (result) return;
      const ro = live.values[0];
      if (!ro) return end(new CliError(`rollout "${name}" was deleted`));
      report(ro);
      try {
        const outcome = outcomeOf(ro, pausedExitCode);
        if (outcome) end(outcome);
      } catch (err) {
        end(err as Error);
      }
    },
  );
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          const { phase, message } = phaseOf(live.values[0] ?? first);
          const state = message ? `${phase}: ${message}` : phase;
          end(
            new CliError(
              `timed out after ${formatDuration(timeoutMs)} waiting for rollout "${name}" (it is ${state})`,
            ),
          );
        }, timeoutMs)
      : undefined;
  try {
    await live.load();
    const current = live.values[0];
    if (!current) end(new CliError(`rollout "${name}" was deleted`));
    else {
      report(current);
      const outcome = outcomeOf(current, pausedExitCode);
      if (outcome) end(outcome);
    }
    if (!result) await live.follow(AbortSignal.any([stop.signal, interrupt.signal]));
  } finally {
    clearTimeout(timer);
    interrupt.dispose();
  }
  if (result instanceof Error) throw result;
  if (result) return finish(result);
  throw new CliError(`interrupted while rollout "${name}" is ${previous}`);
}

export function registerStatus(program: Command, deps: ProgramDeps): void {
  addClusterFlags(
    program
      .command('status')
      .argument('<name>', 'the rollout')
      .description(
        'Print each phase change until the rollout is Healthy (exit 0) or Degraded (exit 1), or the timeout (exit 1)',
      )
      .option(
        '-w, --watch [bool]',
        'watch until done (--watch=false: print the status once)',
        parseBool,
        true,
      )
      .option('-t, --timeout <duration>', 'give up after this long, exit 1 (e.g. 60s; default: wait forever)')
      .option(
        '--paused-exit-code <n>',
        'exit with N when the rollout pauses for a person (promote or resume)',
      )
      .option('-o, --output <format>', 'json or yaml instead of text (one document per change)'),
  ).action(
    clusterAction<StatusOptions>(deps, async (ctx, [name], opts) => {
      await rolloutStatus(ctx, name!, opts);
    }),
  );
}

function parseBool(value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new CliError(`--watch takes true or false, not "${value}" (give the rollout name before -w)`);
}
