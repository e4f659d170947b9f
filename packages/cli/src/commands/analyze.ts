// `kubectl ramp analyze -f TEMPLATE.yaml [--template NAME] [--arg k=v ...] [--duration D] ...`:
// runs an AnalysisTemplate here, against the metric providers, and exits with its verdict.
// 0 Successful, 1 Failed, 2 Inconclusive, 3 Error, 4 usage or input error.
import { defaultProviders, type EngineProviders } from '@ramp/analysis';
import { type Clock, keepAliveClock } from '@ramp/kube';
import type { Command, CommanderError } from 'commander';
import { runAnalyze } from '../analyze/analyze';
import { inputError } from '../analyze/exit-codes';
import type { RawAnalyzeFlags } from '../analyze/options';
import type { ProgramDeps } from '../program';

/** What analyze takes from its surroundings; tests inject a fake clock, providers and signal. */
export interface AnalyzeDeps {
  /** Default: the system clock (its timers keep the process alive while the run waits to measure). */
  clock?: Clock;
  /** Aborting it is Ctrl-C. Default: SIGINT and SIGTERM of this process. */
  signal?: AbortSignal;
  /** Default: the prometheus and web providers. */
  providers?: EngineProviders;
  /** Colour in the text report. Default: when stdout is a terminal and NO_COLOR is not set. */
  color?: boolean;
}

declare module '../program' {
  interface ProgramDeps {
    analyze?: AnalyzeDeps;
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Aborts on the first SIGINT or SIGTERM (a second one ends the process as usual). */
function processSignal(note: (text: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    note(`\n${name}: stopping the analysis (press Ctrl-C again to quit at once)\n`);
    controller.abort();
    dispose();
  };
  const onInt = () => onSignal('interrupted');
  const onTerm = () => onSignal('terminated');
  const dispose = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return { signal: controller.signal, dispose };
}

export function registerAnalyze(program: Command, deps: ProgramDeps): void {
  const io = deps.io;
  program
    .command('analyze')
    .description(
      'Run an AnalysisTemplate here and exit with its verdict: 0 Successful, 1 Failed, 2 Inconclusive, 3 Error, 4 usage error',
    )
    .option(
      '-f, --filename <file>',
      'YAML file with the template, and the templates it references (repeatable)',
      collect,
      [],
    )
    .option('--template <name>', 'the template to run when the files hold several (NAME or KIND/NAME)')
    .option(
      '--arg <name=value>',
      'an arg of the template (repeatable); also answers valueFrom args',
      collect,
      [],
    )
    .option('--prometheus-address <url>', 'use this Prometheus for every prometheus metric')
    .option(
      '--duration <duration>',
      'terminate the run after this long (needed when a metric has an interval and no count)',
    )
    .option('--timeout <duration>', 'give up after this long: exit 3')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--junit <file>', 'also write a JUnit XML report to this file')
    // Commander's own usage errors (unknown option, missing value) exit 4 like ours.
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false)
    .exitOverride((err: CommanderError) => {
      if (err.exitCode === 0) throw err;
      throw inputError(`${err.message.replace(/^error: /, '')} (run kubectl ramp analyze --help for usage)`);
    })
    .action(async (flags: RawAnalyzeFlags) => {
      const injected = deps.analyze ?? {};
      const fromProcess = injected.signal ? undefined : processSignal((t) => io.err(t));
      try {
        const code = await runAnalyze(flags, {
          io,
          clock: injected.clock ?? keepAliveClock,
          providers: injected.providers ?? defaultProviders(),
          signal: injected.signal ?? fromProcess!.signal,
          color: injected.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR),
        });
        io.setExitCode(code);
      } finally {
        fromProcess?.dispose();
      }
    });
}
