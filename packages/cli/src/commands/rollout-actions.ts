// promote, resume, abort, retry rollout and pause: the patches Argo's plugin sends
// (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause}), refused with a reason when the verb makes
// no sense for the rollout as it is now.
import type { Command } from 'commander';
import { CliError } from '../errors';
import { RES, type RolloutObj, stepsOf } from '../kube/model';
import { getRollout, type Session } from '../kube/session';
import type { ProgramDeps } from '../program';
import { phaseOf } from '../views/phase';
import { addClusterFlags, clusterAction, type VerbContext } from './cluster-verb';

const patchStatus = (s: Session, ro: RolloutObj, patch: unknown) =>
  s.client.patchStatus(RES.rollouts, ro.metadata.name, patch, { namespace: ro.metadata.namespace });
const patchSpec = (s: Session, ro: RolloutObj, patch: unknown) =>
  s.client.patch(RES.rollouts, ro.metadata.name, patch, { namespace: ro.metadata.namespace });

const fullyPromoted = (ro: RolloutObj) =>
  !!ro.status?.stableRS && ro.status.stableRS === ro.status.currentPodHash;

/**
 * Argo's promote: clear the pause conditions (and spec.paused); a canary without a pause condition
 * skips its current step instead; --full sets status.promoteFull (and clears spec.paused), also on
 * an aborted rollout, whose abort the controller then lifts (as Argo CD's promote-full action).
 */
export async function promote(ctx: VerbContext, name: string, full: boolean): Promise<string> {
  const ro = await getRollout(ctx.session, name);
  const status = ro.status ?? {};
  const quoted = `rollout "${name}"`;
  const paused = ro.spec.paused === true || (status.pauseConditions ?? []).length > 0;
  if (phaseOf(ro).phase === 'Healthy' && !paused) {
    throw new CliError(`${quoted} is not paused or progressing: nothing to promote`);
  }
  if (full) {
    if (fullyPromoted(ro)) throw new CliError(`${quoted} is already fully promoted: nothing to promote`);
    await patchStatus(ctx.session, ro, { status: { promoteFull: true } });
    if (ro.spec.paused) await patchSpec(ctx.session, ro, { spec: { paused: false } });
    return `rollout '${name}' fully promoted${status.abort ? ' (the abort is lifted)' : ''}\n`;
  }
  if (status.abort) {
    throw new CliError(
      `${quoted} is aborted: nothing to promote (run "kubectl ramp retry rollout ${name}" to try the update again, or "kubectl ramp promote ${name} --full" to skip to the new version)`,
    );
  }
  let statusPatch: unknown;
  if ((status.pauseConditions ?? []).length > 0) {
    statusPatch = { status: { pauseConditions: null } };
  } else if (ro.spec.strategy?.canary) {
    const steps = stepsOf(ro);
    const index = status.currentStepIndex ?? 0;
    if (steps.length > 0 && index < steps.length) {
      statusPatch = { status: { pauseConditions: null, currentStepIndex: index + 1 } };
    }
  }
  if (statusPatch === undefined && !ro.spec.paused) {
    throw new CliError(
      `${quoted} is not paused and has no step left to skip: nothing to promote (--full skips the rest of the update)`,
    );
  }
  if (statusPatch !== undefined) await patchStatus(ctx.session, ro, statusPatch);
  if (ro.spec.paused) await patchSpec(ctx.session, ro, { spec: { paused: false } });
  return `rollout '${name}' promoted\n`;
}

/** Ends a pause without moving the steps on: the pause conditions and spec.paused cleared. */
export async function resume(ctx: VerbContext, name: string): Promise<string> {
  const ro = await getRollout(ctx.session, name);
  const conditions = ro.status?.pauseConditions ?? [];
  if (!ro.spec.paused && conditions.length === 0) {
    throw new CliError(`rollout "${name}" is not paused: nothing to resume`);
  }
  if (conditions.length > 0) await patchStatus(ctx.session, ro, { status: { pauseConditions: null } });
  if (ro.spec.paused) await patchSpec(ctx.session, ro, { spec: { paused: false } });
  return `rollout '${name}' resumed\n`;
}

export async function abort(ctx: VerbContext, name: string): Promise<string> {
  const ro = await getRollout(ctx.session, name);
  if (ro.status?.abort) throw new CliError(`rollout "${name}" is already aborted`);
  if (fullyPromoted(ro) && phaseOf(ro).phase === 'Healthy') {
    throw new CliError(`rollout "${name}" is not progressing: nothing to abort`);
  }
  await patchStatus(ctx.session, ro, { status: { abort: true } });
  return `rollout '${name}' aborted\n`;
}

export async function retry(ctx: VerbContext, name: string): Promise<string> {
  const ro = await getRollout(ctx.session, name);
  if (!ro.status?.abort) throw new CliError(`rollout "${name}" is not aborted: nothing to retry`);
  await patchStatus(ctx.session, ro, { status: { abort: false } });
  return `rollout '${name}' retried\n`;
}

export async function pause(ctx: VerbContext, name: string): Promise<string> {
  const ro = await getRollout(ctx.session, name);
  if (ro.spec.paused) throw new CliError(`rollout "${name}" is already paused (kubectl ramp resume ${name})`);
  await patchSpec(ctx.session, ro, { spec: { paused: true } });
  return `rollout '${name}' paused\n`;
}

type Verb = (ctx: VerbContext, name: string) => Promise<string>;

/** Runs a verb for each name given, as Argo's plugin does. */
const each = (deps: ProgramDeps, verb: Verb) =>
  clusterAction(deps, async (ctx, names) => {
    for (const name of names) ctx.io.out(await verb(ctx, name));
  });

export function registerRolloutActions(program: Command, deps: ProgramDeps): void {
  addClusterFlags(
    program
      .command('promote')
      .argument('<name>', 'the rollout')
      .description(
        'Promote a paused rollout: end the pause, or skip the current canary step; --full skips the rest',
      )
      .option('--full', 'promote fully now: skip the remaining steps, pauses and analysis'),
  ).action(
    clusterAction<{ full?: boolean }>(deps, async (ctx, [name], opts) => {
      ctx.io.out(await promote(ctx, name!, opts.full === true));
    }),
  );
  addClusterFlags(
    program
      .command('resume')
      .argument('<name...>', 'the rollouts')
      .description('End a pause (spec.paused and the pause conditions) without skipping a step'),
  ).action(each(deps, resume));
  addClusterFlags(
    program
      .command('abort')
      .argument('<name...>', 'the rollouts')
      .description('Abort an update: traffic and pods go back to the stable version (spec.template stays)'),
  ).action(each(deps, abort));
  const retryCmd = program.command('retry').description('Retry an aborted rollout');
  addClusterFlags(
    retryCmd
      .command('rollout')
      .aliases(['ro', 'rollouts'])
      .argument('<name...>', 'the rollouts')
      .description('Retry an aborted rollout: the update starts again from its first step'),
  ).action(each(deps, retry));
  addClusterFlags(
    program
      .command('pause')
      .argument('<name...>', 'the rollouts')
      .description('Pause a rollout (spec.paused): it stays where it is until resumed or promoted'),
  ).action(each(deps, pause));
}
