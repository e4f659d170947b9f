// The kubectl-ramp command tree. main.ts runs it against the process; tests run it in memory.
import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze';
import { registerKubectlVerbs } from './commands/kubectl-verbs';
import { registerLint } from './commands/lint';
import { CliError } from './errors';
import type { CliIo } from './io';
import type { ConditionChecker } from './lint/lint';

export interface ProgramDeps {
  io: CliIo;
  checkCondition?: ConditionChecker;
}

export function buildProgram(deps: ProgramDeps): Command {
  const program = new Command('kubectl-ramp')
    .description('Ramp: progressive delivery for Kubernetes (Argo Rollouts API)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.io.out(s), writeErr: (s) => deps.io.err(s) });
  registerLint(program, deps.io, deps.checkCondition);
  registerAnalyze(program, deps);
  registerKubectlVerbs(program, deps);
  return program;
}

/** Runs the CLI; every failure becomes a message and an exit code. */
export async function runCli(argv: string[], deps: ProgramDeps): Promise<number> {
  let code = 0;
  const io: CliIo = { ...deps.io, setExitCode: (c) => (code = c) };
  const program = buildProgram({ ...deps, io });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; their text is already written.
      return e.exitCode === 0 ? 0 : 1;
    }
    if (e instanceof CliError) {
      io.err(`error: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
