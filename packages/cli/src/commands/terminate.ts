// `terminate analysisrun NAME...`: stops a running AnalysisRun (spec.terminate, as Argo's plugin sets it);
// the run ends Successful unless a measurement already failed it.
import { isCompleted } from '@ramp/analysis';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { RES } from '../kube/model';
import { getAnalysisRun } from '../kube/session';
import type { ProgramDeps } from '../program';
import { addClusterFlags, clusterAction, type VerbContext } from './cluster-verb';

export async function terminateRun(ctx: VerbContext, name: string): Promise<string> {
  const run = await getAnalysisRun(ctx.session, name);
  const phase = run.status?.phase;
  if (isCompleted(phase)) {
    throw new CliError(`analysisrun "${name}" has already completed (${phase}): nothing to terminate`);
  }
  if (run.spec.terminate) throw new CliError(`analysisrun "${name}" is already being terminated`);
  await ctx.session.client.patch(
    RES.analysisRuns,
    name,
    { spec: { terminate: true } },
    {
      namespace: run.metadata.namespace,
    },
  );
  return `analysisRun '${name}' terminated\n`;
}

export function registerTerminate(program: Command, deps: ProgramDeps): void {
  const terminate = program.command('terminate').description('Terminate an AnalysisRun that is in progress');
  addClusterFlags(
    terminate
      .command('analysisrun')
      .aliases(['ar', 'analysisruns'])
      .argument('<name...>', 'the AnalysisRuns')
      .description('Stop an AnalysisRun now (spec.terminate); its verdict is what it measured so far'),
  ).action(
    clusterAction(deps, async (ctx, names) => {
      for (const name of names) ctx.io.out(await terminateRun(ctx, name));
    }),
  );
}
