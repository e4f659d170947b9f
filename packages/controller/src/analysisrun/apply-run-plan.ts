// A RunPlan turned into writes, compared with the run as the cache holds it: the run deleted (its
// ttlStrategy has passed), or at most one status write (runtime/status-patch.ts: a merge patch
// guarded by the cached resourceVersion, nothing sent when the status is unchanged), then its Events.
import type { AnalysisRun } from '@ramp/api';
import { type KubeClient, type Log, RESOURCES, silentLog } from '@ramp/kube';
import type { EventRecorder } from '../runtime/event-recorder';
import { writeStatus } from '../runtime/status-patch';
import type { RunPlan } from './decide-run';

export interface RunApplyContext {
  client: KubeClient;
  /** Where Events go; without one, plan.events are dropped. */
  events?: EventRecorder;
  log?: Log;
}

export interface RunApplyResult {
  /** The writes made, as `verb kind/name` (Events not included). */
  writes: string[];
  /** The resourceVersions of the run that this plan's writes replaced. */
  replaced: string[];
}

export async function applyRunPlan(
  ctx: RunApplyContext,
  run: AnalysisRun,
  plan: RunPlan,
): Promise<RunApplyResult> {
  const { client } = ctx;
  const log = ctx.log ?? silentLog;
  const namespace = run.metadata.namespace ?? 'default';
  const name = run.metadata.name ?? '';
  if (plan.delete) {
    await client.delete(RESOURCES.analysisRuns, name, { namespace });
    log.info({}, 'deleted after its ttlStrategy');
    return { writes: [`delete AnalysisRun/${name}`], replaced: [] };
  }
  const writes: string[] = [];
  const replaced: string[] = [];
  const version = run.metadata.resourceVersion;
  const target = { kind: 'AnalysisRun', name, namespace, resourceVersion: version } as const;
  if (plan.status && (await writeStatus(client, target, run.status, plan.status))) {
    writes.push(`patch AnalysisRun/${name}/status`);
    if (version) replaced.push(version);
    log.info({ phase: plan.status.phase }, 'status written');
  }
  const involved = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: run.metadata };
  for (const event of plan.events) await ctx.events?.record(involved, event);
  return { writes, replaced };
}
