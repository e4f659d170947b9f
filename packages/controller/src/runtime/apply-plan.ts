// A RolloutPlan turned into the fewest API calls, compared with the cached objects of the snapshot, in a
// safe order: the new ReplicaSet; Service selectors; scale-ups, then other changes, then scale-downs;
// new AnalysisRuns; terminations; deletions; then at most one status write (a merge patch guarded by
// the cached resourceVersion: a stale cache gets a 409 and the reconcile runs again); then Events.
import type { AnalysisRun, Rollout } from '@ramp/api';
import {
  isAlreadyExists,
  isNotFound,
  type KubeClient,
  type Log,
  mergePatchDiff,
  RESOURCES,
  type ResourceType,
  silentLog,
} from '@ramp/kube';
import type { ReplicaSet, Service } from '../model/kube-objects';
import {
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  TERMINATED_BY_ANNOTATION,
  TERMINATED_BY_ROLLOUT,
} from '../model/names';
import { type ReplicaSetChange, type RolloutPlan, type ServiceChange, scaleOrder } from '../model/plan';
import type { RolloutSnapshot } from '../model/snapshot';
import type { EventRecorder } from './event-recorder';

export interface ApplyContext {
  client: KubeClient;
  /** Where Events go; without one, plan.events are dropped. */
  events?: EventRecorder;
  log?: Log;
}

export interface ApplyResult {
  /** The writes made, as `verb kind/name` (Events not included). */
  writes: string[];
  /** The resourceVersions of the Rollout that this plan's own writes to it replaced, oldest first. */
  replaced: string[];
}

type Patch = Record<string, unknown>;

/** Entries of `desired` that differ from `current` (null: remove, only when present). */
function mapDiff(
  current: Record<string, string> | undefined,
  desired: Record<string, string | null> | undefined,
): Record<string, string | null> | undefined {
  const diff: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(desired ?? {})) {
    const now = current?.[k];
    if (v === null ? now !== undefined : now !== v) diff[k] = v;
  }
  return Object.keys(diff).length > 0 ? diff : undefined;
}

export function servicePatch(svc: Service, change: ServiceChange): Patch | undefined {
  const selector = mapDiff(svc.spec.selector, { [POD_TEMPLATE_HASH_LABEL]: change.podTemplateHash });
  const annotations = mapDiff(svc.metadata.annotations, { [MANAGED_BY_ANNOTATION]: change.managedBy });
  if (!selector && !annotations) return undefined;
  return {
    ...(annotations ? { metadata: { annotations } } : {}),
    ...(selector ? { spec: { selector } } : {}),
  };
}

export function replicaSetPatch(rs: ReplicaSet | undefined, change: ReplicaSetChange): Patch | undefined {
  const annotations = mapDiff(rs?.metadata.annotations, change.annotations);
  const labels = mapDiff(rs?.metadata.labels, change.labels);
  const templateLabels = mapDiff(rs?.spec.template.metadata?.labels, change.labels);
  const replicas =
    change.replicas !== undefined && change.replicas !== rs?.spec.replicas ? change.replicas : undefined;
  const metadata = { ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) };
  const spec = {
    ...(replicas !== undefined ? { replicas } : {}),
    ...(templateLabels ? { template: { metadata: { labels: templateLabels } } } : {}),
  };
  const patch = {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(Object.keys(spec).length > 0 ? { spec } : {}),
  };
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export async function applyPlan(
  ctx: ApplyContext,
  snapshot: RolloutSnapshot,
  plan: RolloutPlan,
): Promise<ApplyResult> {
  const { client } = ctx;
  const rollout: Rollout = snapshot.rollout;
  const namespace = rollout.metadata.namespace ?? 'default';
  const name = rollout.metadata.name ?? '';
  const log = ctx.log ?? silentLog;
  const writes: string[] = [];
  const wrote = (what: string) => {
    writes.push(what);
    log.debug({ write: what }, 'wrote');
  };
  const replicaSets = new Map(snapshot.replicaSets.map((rs) => [rs.metadata.name, rs]));
  const runs = new Map(snapshot.analysisRuns.map((run) => [run.metadata.name ?? '', run]));

  const create = plan.createReplicaSet;
  if (create && !replicaSets.has(create.metadata.name)) {
    try {
      const created = await client.create(
        RESOURCES.replicaSets,
        create,
        create.metadata.namespace ?? namespace,
      );
      replicaSets.set(created.metadata.name, created);
      wrote(`create ReplicaSet/${create.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  for (const change of plan.updateServices) {
    const svc = snapshot.services.get(change.name);
    if (!svc) {
      log.warn({ service: change.name }, 'the plan changes a Service that does not exist; skipped');
      continue;
    }
    const patch = servicePatch(svc, change);
    if (!patch) continue;
    await client.patch(RESOURCES.services, change.name, patch, { namespace, type: 'merge' });
    wrote(`patch Service/${change.name}`);
  }

  for (const change of scaleOrder(plan.updateReplicaSets, (n) => replicaSets.get(n)?.spec.replicas ?? 0)) {
    const patch = replicaSetPatch(replicaSets.get(change.name), change);
    if (!patch) continue;
    await client.patch(RESOURCES.replicaSets, change.name, patch, { namespace, type: 'merge' });
    wrote(`patch ReplicaSet/${change.name}`);
  }

  for (const run of plan.createAnalysisRuns) {
    const runName = run.metadata.name ?? '';
    if (runs.has(runName)) continue;
    try {
      await client.create<AnalysisRun>(RESOURCES.analysisRuns, run, run.metadata.namespace ?? namespace);
      wrote(`create AnalysisRun/${runName}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  for (const runName of plan.terminateAnalysisRuns) {
    const run = runs.get(runName);
    if (!run || run.spec.terminate === true || run.metadata.deletionTimestamp) continue;
    await ignoreNotFound(
      client.patch(
        RESOURCES.analysisRuns,
        runName,
        {
          metadata: { annotations: { [TERMINATED_BY_ANNOTATION]: TERMINATED_BY_ROLLOUT } },
          spec: { terminate: true },
        },
        { namespace },
      ),
    );
    wrote(`terminate AnalysisRun/${runName}`);
  }

  const deletions: { resource: ResourceType; name: string }[] = [
    ...plan.deleteReplicaSets
      .filter((n) => replicaSets.has(n))
      .map((n) => ({ resource: RESOURCES.replicaSets, name: n })),
    ...plan.deleteAnalysisRuns
      .filter((n) => runs.has(n))
      .map((n) => ({ resource: RESOURCES.analysisRuns, name: n })),
    ...plan.deletePods
      .filter((n) => snapshot.pods?.some((p) => p.metadata.name === n))
      .map((n) => ({ resource: RESOURCES.pods, name: n })),
  ];
  for (const { resource, name: objName } of deletions) {
    await ignoreNotFound(client.delete(resource, objName, { namespace, propagationPolicy: 'Background' }));
    wrote(`delete ${resource.kind}/${objName}`);
  }

  // The Rollout's own writes, each guarded by the version the plan was decided on (the annotation's
  // write gives the version the status write is then guarded by): a stale cache gets a 409.
  const replaced: string[] = [];
  let version = rollout.metadata.resourceVersion;
  const annotations = mapDiff(rollout.metadata.annotations, plan.rolloutAnnotations);
  if (annotations) {
    const body = { metadata: { resourceVersion: version, annotations } };
    const patched = await client.patch<Rollout>(RESOURCES.rollouts, name, body, { namespace, type: 'merge' });
    if (version) replaced.push(version);
    version = patched.metadata.resourceVersion;
    wrote(`patch Rollout/${name}`);
  }
  const statusPatch = mergePatchDiff(rollout.status ?? {}, plan.status as Record<string, unknown>);
  if (statusPatch) {
    const body = { metadata: { resourceVersion: version }, status: statusPatch };
    await client.patchStatus(RESOURCES.rollouts, name, body, { namespace });
    if (version) replaced.push(version);
    wrote(`patch Rollout/${name}/status`);
  }

  for (const event of plan.events) {
    if (ctx.events) await ctx.events.record(rollout, event);
  }
  return { writes, replaced };
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
