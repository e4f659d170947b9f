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

/** One plan being applied: what it writes to, and the writes made so far. */
interface Applying {
  client: KubeClient;
  log: Log;
  snapshot: RolloutSnapshot;
  plan: RolloutPlan;
  namespace: string;
  /** The snapshot's ReplicaSets by name, with the one this plan created. */
  replicaSets: Map<string, ReplicaSet>;
  runs: Map<string, AnalysisRun>;
  writes: string[];
}

function wrote(a: Applying, what: string): void {
  a.writes.push(what);
  a.log.debug({ write: what }, 'wrote');
}

export async function applyPlan(
  ctx: ApplyContext,
  snapshot: RolloutSnapshot,
  plan: RolloutPlan,
): Promise<ApplyResult> {
  const a: Applying = {
    client: ctx.client,
    log: ctx.log ?? silentLog,
    snapshot,
    plan,
    namespace: snapshot.rollout.metadata.namespace ?? 'default',
    replicaSets: new Map(snapshot.replicaSets.map((rs) => [rs.metadata.name, rs])),
    runs: new Map(snapshot.analysisRuns.map((run) => [run.metadata.name ?? '', run])),
    writes: [],
  };
  await createReplicaSet(a);
  await patchServices(a);
  await patchReplicaSets(a);
  await createAnalysisRuns(a);
  await terminateAnalysisRuns(a);
  await deleteObjects(a);
  const replaced = await writeRollout(a);
  for (const event of plan.events) {
    if (ctx.events) await ctx.events.record(snapshot.rollout, event);
  }
  return { writes: a.writes, replaced };
}

async function createReplicaSet(a: Applying): Promise<void> {
  const create = a.plan.createReplicaSet;
  if (!create || a.replicaSets.has(create.metadata.name)) return;
  try {
    const created = await a.client.create(
      RESOURCES.replicaSets,
      create,
      create.metadata.namespace ?? a.namespace,
    );
    a.replicaSets.set(created.metadata.name, created);
    wrote(a, `create ReplicaSet/${create.metadata.name}`);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

async function patchServices(a: Applying): Promise<void> {
  for (const change of a.plan.updateServices) {
    const svc = a.snapshot.services.get(change.name);
    if (!svc) {
      a.log.warn({ service: change.name }, 'the plan changes a Service that does not exist; skipped');
      continue;
    }
    const patch = servicePatch(svc, change);
    if (!patch) continue;
    await a.client.patch(RESOURCES.services, change.name, patch, { namespace: a.namespace, type: 'merge' });
    wrote(a, `patch Service/${change.name}`);
  }
}

/** Scale-ups, then other changes, then scale-downs. */
async function patchReplicaSets(a: Applying): Promise<void> {
  const replicasOf = (n: string) => a.replicaSets.get(n)?.spec.replicas ?? 0;
  for (const change of scaleOrder(a.plan.updateReplicaSets, replicasOf)) {
    const patch = replicaSetPatch(a.replicaSets.get(change.name), change);
    if (!patch) continue;
    await a.client.patch(RESOURCES.replicaSets, change.name, patch, {
      namespace: a.namespace,
      type: 'merge',
    });
    wrote(a, `patch ReplicaSet/${change.name}`);
  }
}

async function createAnalysisRuns(a: Applying): Promise<void> {
  for (const run of a.plan.createAnalysisRuns) {
    const runName = run.metadata.name ?? '';
    if (a.runs.has(runName)) continue;
    try {
      await a.client.create<AnalysisRun>(RESOURCES.analysisRuns, run, run.metadata.namespace ?? a.namespace);
      wrote(a, `create AnalysisRun/${runName}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

async function terminateAnalysisRuns(a: Applying): Promise<void> {
  for (const runName of a.plan.terminateAnalysisRuns) {
    const run = a.runs.get(runName);
    if (!run || run.spec.terminate === true || run.metadata.deletionTimestamp) continue;
    await ignoreNotFound(
      a.client.patch(
        RESOURCES.analysisRuns,
        runName,
        {
          metadata: { annotations: { [TERMINATED_BY_ANNOTATION]: TERMINATED_BY_ROLLOUT } },
          spec: { terminate: true },
        },
        { namespace: a.namespace },
      ),
    );
    wrote(a, `terminate AnalysisRun/${runName}`);
  }
}

/** Deletes only what the snapshot holds: ReplicaSets, AnalysisRuns, then pods. */
async function deleteObjects(a: Applying): Promise<void> {
  const { plan, snapshot } = a;
  const deletions: { resource: ResourceType; name: string }[] = [
    ...plan.deleteReplicaSets
      .filter((n) => a.replicaSets.has(n))
      .map((n) => ({ resource: RESOURCES.replicaSets, name: n })),
    ...plan.deleteAnalysisRuns
      .filter((n) => a.runs.has(n))
      .map((n) => ({ resource: RESOURCES.analysisRuns, name: n })),
    ...plan.deletePods
      .filter((n) => snapshot.pods?.some((p) => p.metadata.name === n))
      .map((n) => ({ resource: RESOURCES.pods, name: n })),
  ];
  for (const { resource, name } of deletions) {
    await ignoreNotFound(
      a.client.delete(resource, name, { namespace: a.namespace, propagationPolicy: 'Background' }),
    );
    wrote(a, `delete ${resource.kind}/${name}`);
  }
}

/**
 * The Rollout's own writes, each guarded by the version the plan was decided on (the annotation's write
 * gives the version the status write is then guarded by): a stale cache gets a 409. Returns the
 * versions they replaced, oldest first.
 */
async function writeRollout(a: Applying): Promise<string[]> {
  const { rollout } = a.snapshot;
  const name = rollout.metadata.name ?? '';
  const namespace = a.namespace;
  const replaced: string[] = [];
  let version = rollout.metadata.resourceVersion;
  const annotations = mapDiff(rollout.metadata.annotations, a.plan.rolloutAnnotations);
  if (annotations) {
    const body = { metadata: { resourceVersion: version, annotations } };
    const patched = await a.client.patch<Rollout>(RESOURCES.rollouts, name, body, {
      namespace,
      type: 'merge',
    });
    if (version) replaced.push(version);
    version = patched.metadata.resourceVersion;
    wrote(a, `patch Rollout/${name}`);
  }
  const statusPatch = mergePatchDiff(rollout.status ?? {}, a.plan.status as Record<string, unknown>);
  if (statusPatch) {
    const body = { metadata: { resourceVersion: version }, status: statusPatch };
    await a.client.patchStatus(RESOURCES.rollouts, name, body, { namespace });
    if (version) replaced.push(version);
    wrote(a, `patch Rollout/${name}/status`);
  }
  return replaced;
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
