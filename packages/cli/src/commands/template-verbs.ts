// Verbs that change the pod template or restart the pods: undo (an older revision's template back into
// spec.template), set image (one container's image), restart (spec.restartAt).
import { type PodTemplateSpec, parseGoDuration } from '@ramp/api';
import type { Command } from 'commander';
import { CliError } from '../errors';
import {
  ownedBy,
  POD_TEMPLATE_HASH_LABEL,
  RES,
  type ReplicaSet,
  revisionOf,
  selectorString,
} from '../kube/model';
import { getRollout, isConflict } from '../kube/session';
import type { ProgramDeps } from '../program';
import { addClusterFlags, clusterAction, type VerbContext } from './cluster-verb';

/** Go's apiequality.Semantic.DeepDerivative: what `a` leaves unset is not compared. */
export function derivative(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || a === '') return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => derivative(x, b[i]));
  }
  if (typeof a === 'object') {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return Object.keys(a).length === 0;
    const other = b as Record<string, unknown>;
    return Object.entries(a).every(([k, v]) => derivative(v, other[k]));
  }
  return a === b;
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

export async function undo(ctx: VerbContext, name: string, toRevision: number): Promise<string> {
  const s = ctx.session;
  const ro = await getRollout(s, name);
  if (ro.spec.workloadRef) {
    throw new CliError(
      `rollout "${name}" takes its template from spec.workloadRef: undo that workload instead`,
    );
  }
  const namespace = ro.metadata.namespace ?? s.namespace;
  const list = await s.client.list<ReplicaSet>(RES.replicaSets, {
    namespace,
    labelSelector: selectorString(ro.spec.selector),
  });
  const revisions = ownedBy(list.items, ro.metadata.uid).sort((a, b) => revisionOf(b) - revisionOf(a));
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = revisions.find((rs) => revisionOf(rs) === toRevision);
    if (!target) {
      const known = revisions.map(revisionOf).join(', ') || 'none';
      throw new CliError(`rollout "${name}" has no revision ${toRevision} (its revisions: ${known})`);
    }
  } else {
    target = revisions[1];
    if (!target) throw new CliError(`rollout "${name}" has no earlier revision to go back to`);
  }
  const revision = revisionOf(target);
  const template = withoutHash(target.spec.template);
  if (derivative(withoutHash(ro.spec.template), template)) {
    return `skipped rollback (current template already matches revision ${revision})\n`;
  }
  await s.client.patch(RES.rollouts, name, [{ op: 'replace', path: '/spec/template', value: template }], {
    namespace,
    type: 'json',
  });
  return `rollout '${name}' rolled back to revision ${revision}\n`;
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Sets images by container name (`*` for all), as a JSON patch that checks each container's name. */
export async function setImage(ctx: VerbContext, name: string, pairs: string[]): Promise<string> {
  const wanted = pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw new CliError(`set image takes CONTAINER=IMAGE pairs, not "${pair}"`);
    }
    return { container: pair.slice(0, at), image: pair.slice(at + 1) };
  });
  for (let attempt = 1; ; attempt++) {
    const ro = await getRollout(ctx.session, name);
    const ref = ro.spec.workloadRef;
    if (ref) {
      const workload = [ref.kind, ref.name].filter(Boolean).join(' ');
      throw new CliError(
        `rollout "${name}" takes its pod template from spec.workloadRef (${workload}): set the image there`,
      );
    }
    const spec = ro.spec.template?.spec ?? { containers: [] };
    const ops: unknown[] = [];
    for (const { container, image } of wanted) {
      let found = false;
      for (const list of CONTAINER_LISTS) {
        (spec[list] ?? []).forEach((c, i) => {
          if (c.name !== container && container !== '*') return;
          found = true;
          const path = `/spec/template/spec/${list}/${i}`;
          ops.push({ op: 'test', path: `${path}/name`, value: c.name });
          ops.push({ op: c.image === undefined ? 'add' : 'replace', path: `${path}/image`, value: image });
        });
      }
      if (!found) {
        const names = spec.containers.map((c) => c.name).join(', ');
        throw new CliError(`rollout "${name}" has no container "${container}" (its containers: ${names})`);
      }
    }
    try {
      await ctx.session.client.patch(RES.rollouts, name, ops, {
        namespace: ro.metadata.namespace,
        type: 'json',
      });
      return `rollout "${name}" image updated\n`;
    } catch (err) {
      // A failed `test` (the containers moved in between) is a 422 or a 409: read again and retry.
      if (attempt >= 5 || !(isConflict(err) || /test/i.test((err as Error).message))) throw err;
    }
  }
}

export async function restart(ctx: VerbContext, name: string, inText: string | undefined): Promise<string> {
  let delayMs = 0;
  if (inText !== undefined) {
    const parsed = parseGoDuration(inText);
    if (!parsed.ok || parsed.ms < 0)
      throw new CliError(`--in ${inText} is not a duration (e.g. 30s, 5m, 1h)`);
    delayMs = parsed.ms;
  }
  const ro = await getRollout(ctx.session, name);
  const at = new Date(Math.floor((ctx.now().getTime() + delayMs) / 1000) * 1000);
  const restartAt = at.toISOString().replace('.000Z', 'Z');
  await ctx.session.client.patch(
    RES.rollouts,
    name,
    { spec: { restartAt } },
    { namespace: ro.metadata.namespace },
  );
  return `rollout '${name}' restarts in ${inText ?? '0s'}\n`;
}

export function registerTemplateVerbs(program: Command, deps: ProgramDeps): void {
  addClusterFlags(
    program
      .command('undo')
      .argument('<name>', 'the rollout')
      .description("Roll back: put an earlier revision's pod template back into spec.template")
      .option('--to-revision <n>', 'the revision to go back to (default: the one before the current)'),
  ).action(
    clusterAction<{ toRevision?: string }>(deps, async (ctx, [name], opts) => {
      const n = opts.toRevision === undefined ? 0 : Number(opts.toRevision);
      if (!Number.isInteger(n) || n < 0)
        throw new CliError(`--to-revision ${opts.toRevision} is not a revision number`);
      ctx.io.out(await undo(ctx, name!, n));
    }),
  );
  const set = program.command('set').description("Change a rollout's pod template");
  addClusterFlags(
    set
      .command('image')
      .argument('<name>', 'the rollout')
      .argument('<container=image...>', 'new images by container name (* for every container)')
      .description('Update container images: the rollout starts an update to the new template'),
  ).action(
    clusterAction(deps, async (ctx, [name, ...pairs]) => {
      ctx.io.out(await setImage(ctx, name!, pairs));
    }),
  );
  addClusterFlags(
    program
      .command('restart')
      .argument('<name>', 'the rollout')
      .description('Restart the pods of a rollout (spec.restartAt), now or --in a while')
      .option('-i, --in <duration>', 'restart after this long (e.g. 30s, 5m, 1h)'),
  ).action(
    clusterAction<{ in?: string }>(deps, async (ctx, [name], opts) => {
      ctx.io.out(await restart(ctx, name!, opts.in));
    }),
  );
}
