// A RolloutPlan turned into the fewest API calls, compared with the cached objects of the snapshot, in a
// safe order: the new ReplicaSet; Service selectors; routing objects (apply-routes.ts); scale-ups,
// then other changes, then scale-downs;
// new AnalysisRuns; terminations; deletions; then at most one status write (status-patch.ts: a merge
// patch guarded by the cached resourceVersion: a stale cache gets a 409 and the reconcile runs again);
// then Events.
import type { AnalysisRun, Rollout } from '@ramp/api';
import {
  apiVersionOf,
  isAlreadyExists,
  isNotFound,
  type KubeClient,
  type Log,
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
import { routeResourceVersions } from '../routing/route-resources';
import type { RouteResourceName } from '../routing/router';
import { applyRouteWrites } from './apply-routes';
import type { EventRecorder } from './event-recorder';
import { writeStatus } from './status-patch';

export interface ApplyContext {
  client: KubeClient;
  /** Where Events go; without one, plan.events are dropped. */
  events?: EventRecorder;
  log?: Log;
  /** The routing resources' versions (default: route-resources.ts' with SMI v1alpha1 first). */
  routeVersions?: Record<RouteResourceName, ResourceType[]>;
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

/** What each step of the apply writes with: the client, the Rollout's namespace, the log of writes. */
interface Writer {
  client: KubeClient;
  namespace: string;
  log: Log;
  wrote(what: string): void;
  routeVersions: Record<RouteResourceName, ResourceType[]>;
}

export async function applyPlan(
  ctx: ApplyContext,
  snapshot: RolloutSnapshot,
  plan: RolloutPlan,
): Promise<ApplyResult> {
  const rollout: Rollout = snapshot.rollout;
  const log = ctx.log ?? silentLog;
  const writes: string[] = [];
  const w: Writer = {
    client: ctx.client,
    namespace: rollout.metadata.namespace ?? 'default',
    log,
    wrote: (what) => {
      writes.push(what);
      log.debug({ write: what }, 'wrote');
    },
    routeVersions: ctx.routeVersions ?? routeResourceVersions(),
  };
  const replicaSets = await applyReplicaSets(w, snapshot, plan);
  const runs = new Map(snapshot.analysisRuns.map((run) => [run.metadata.name ?? '', run]));
  await applyAnalysisRuns(w, runs, plan);
  await applyDeletions(w, snapshot, plan, { replicaSets, runs });
  const replaced = await applyRolloutWrites(w, rollout, plan);
  for (const event of plan.events) {
    if (ctx.events) await ctx.events.record(rollout, event);
  }
  return { writes, replaced };
}

/**
 * The new ReplicaSet, Service selectors, routing objects, then the ReplicaSets' changes (scale-ups first); resolves
 * to the ReplicaSets by name, the created one included.
 */
async function applyReplicaSets(
  w: Writer,
  snapshot: RolloutSnapshot,
  plan: RolloutPlan,
): Promise<Map<string, ReplicaSet>> {
  const { client, namespace } = w;
  const replicaSets = new Map(snapshot.replicaSets.map((rs) => [rs.metadata.name, rs]));
  const create = plan.createReplicaSet;
  if (create && !replicaSets.has(create.metadata.name)) {
    try {
      const created = await client.create(
        RESOURCES.replicaSets,
        create,
        create.metadata.namespace ?? namespace,
      );
      replicaSets.set(created.metadata.name, created);
      w.wrote(`create ReplicaSet/${create.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  for (const change of plan.updateServices) {
    const svc = snapshot.services.get(change.name);
    if (!svc) {
      w.log.warn({ service: change.name }, 'the plan changes a Service that does not exist; skipped');
      continue;
    }
    const patch = servicePatch(svc, change);
    if (!patch) continue;
    await client.patch(RESOURCES.services, change.name, patch, { namespace, type: 'merge' });
    w.wrote(`patch Service/${change.name}`);
  }

  await applyRouteWrites(
    {
      client,
      wrote: w.wrote,
      resourceOf: (resource, apiVersion) => {
        const candidates = w.routeVersions[resource];
        return candidates.find((c) => apiVersionOf(c) === apiVersion) ?? candidates[0]!;
      },
    },
    plan.routeWrites,
  );

  for (const change of scaleOrder(plan.updateReplicaSets, (n) => replicaSets.get(n)?.spec.replicas ?? 0)) {
    const patch = replicaSetPatch(replicaSets.get(change.name), change);
    if (!patch) continue;
    await client.patch(RESOURCES.replicaSets, change.name, patch, { namespace, type: 'merge' });
    w.wrote(`patch ReplicaSet/${change.name}`);
  }
  return replicaSets;
}

/** New AnalysisRuns (not those already there), then the runs to stop (marked as stopped by the Rollout). */
async function applyAnalysisRuns(
  w: Writer,
  runs: ReadonlyMap<string, AnalysisRun>,
  plan: RolloutPlan,
): Promise<void> {
  const { client, namespace } = w;
  for (const run of plan.createAnalysisRuns) {
    const runName = run.metadata.name ?? '';
    if (runs.has(runName)) continue;
    try {
      await client.create<AnalysisRun>(RESOURCES.analysisRuns, run, run.metadata.namespace ?? namespace);
      w.wrote(`create AnalysisRun/${runName}`);
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
    w.wrote(`terminate AnalysisRun/${runName}`);
  }
}

/** Deletions of ReplicaSets, AnalysisRuns and Pods, each only when present. */
async function applyDeletions(
  w: Writer,
  snapshot: RolloutSnapshot,
  plan: RolloutPlan,
  present: { replicaSets: ReadonlyMap<string, ReplicaSet>; runs: ReadonlyMap<string, AnalysisRun> },
): Promise<void> {
  const deletions: { resource: ResourceType; name: string }[] = [
    ...plan.deleteReplicaSets
      .filter((n) => present.replicaSets.has(n))
      .map((n) => ({ resource: RESOURCES.replicaSets, name: n })),
    ...plan.deleteAnalysisRuns
      .filter((n) => present.runs.has(n))
      .map((n) => ({ resource: RESOURCES.analysisRuns, name: n })),
    ...plan.deletePods
      .filter((n) => snapshot.pods?.some((p) => p.metadata.name === n))
      .map((n) => ({ resource: RESOURCES.pods, name: n })),
  ];
  for (const { resource, name: objName } of deletions) {
    await ignoreNotFound(
      w.client.delete(resource, objName, { namespace: w.namespace, propagationPolicy: 'Background' }),
    );
    w.wrote(`delete ${resource.kind}/${objName}`);
  }
}

/**
 * The Rollout's own writes, each guarded by the version the plan was decided on (the annotation's
 * write gives the version the status write is then guarded by): a stale cache gets a 409. Resolves
 * to the versions these writes replaced, oldest first.
 */
async function applyRolloutWrites(w: Writer, rollout: Rollout, plan: RolloutPlan): Promise<string[]> {
  const { client, namespace } = w;
  const name = rollout.metadata.name ?? '';
  const replaced: string[] = [];
  let version = rollout.metadata.resourceVersion;
  const annotations = mapDiff(rollout.metadata.annotations, plan.rolloutAnnotations);
  if (annotations) {
    const body = { metadata: { resourceVersion: version, annotations } };
    const patched = await client.patch<Rollout>(RESOURCES.rollouts, name, body, { namespace, type: 'merge' });
    if (version) replaced.push(version);
    version = patched.metadata.resourceVersion;
    w.wrote(`patch Rollout/${name}`);
  }
  const target = { kind: 'Rollout', name, namespace, resourceVersion: version } as const;
  if (await writeStatus(client, target, rollout.status, plan.status)) {
    if (version) replaced.push(version);
    w.wrote(`patch Rollout/${name}/status`);
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
