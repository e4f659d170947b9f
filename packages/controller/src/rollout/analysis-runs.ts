// AnalysisRuns for a Rollout: built from its templates, named and labelled as Argo does, and
// found again through the names the Rollout's status records.
import { runSpecFromTemplates } from '@ramp/analysis';
import type { AnalysisPhase, AnalysisRun, RolloutAnalysis, RolloutAnalysisRunStatus } from '@ramp/api';
import {
  type AnalysisRunType,
  analysisRunName,
  INSTANCE_ID_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
  TERMINATED_BY_ANNOTATION,
  TERMINATED_BY_ROLLOUT,
} from '../model/names';
import type { RolloutSnapshot } from '../model/snapshot';
import { type Resolved, resolveTemplates, rolloutArgs } from './analysis-templates';

export interface RunRequest {
  type: AnalysisRunType;
  analysis: RolloutAnalysis;
  stepIndex?: number;
}

export interface RunContext {
  hash: string;
  stableHash?: string;
  revision: number;
}

export const phaseOf = (run: AnalysisRun | undefined): AnalysisPhase | undefined => run?.status?.phase;

export const isRunDone = (phase: AnalysisPhase | undefined): boolean =>
  phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';

/** The run a status entry names, if it still exists and was made for this request and revision. */
export function recordedRun(
  snapshot: RolloutSnapshot,
  recorded: RolloutAnalysisRunStatus | undefined,
  request: Pick<RunRequest, 'type' | 'stepIndex'>,
  ctx: RunContext,
): AnalysisRun | undefined {
  if (!recorded) return undefined;
  const run = snapshot.analysisRuns.find((r) => r.metadata.name === recorded.name);
  return run && madeFor(run, request, ctx) ? run : undefined;
}

/** The run was made for this request (type, step) and this revision (hash, revision number). */
function madeFor(
  run: AnalysisRun,
  request: Pick<RunRequest, 'type' | 'stepIndex'>,
  ctx: RunContext,
): boolean {
  const labels = run.metadata.labels ?? {};
  if (labels[ROLLOUT_TYPE_LABEL] !== request.type || labels[POD_TEMPLATE_HASH_LABEL] !== ctx.hash)
    return false;
  if (run.metadata.annotations?.[REVISION_ANNOTATION] !== String(ctx.revision)) return false;
  return request.type !== 'Step' || labels[STEP_INDEX_LABEL] === String(request.stepIndex);
}

/** Where a run's name puts it among a request's runs: 0 for `<base>`, N for `<base>.N`. */
function counterOf(run: AnalysisRun, base: string): number {
  const name = run.metadata.name ?? '';
  if (name === base) return 0;
  const n = name.startsWith(`${base}.`) ? Number(name.slice(base.length + 1)) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Every run made for this request and revision, oldest (lowest counter) first. */
export function runsFor(snapshot: RolloutSnapshot, request: RunRequest, ctx: RunContext): AnalysisRun[] {
  const base = baseRunName(snapshot, request, ctx);
  return snapshot.analysisRuns
    .filter((run) => !run.metadata.deletionTimestamp && madeFor(run, request, ctx))
    .sort((a, b) => counterOf(a, base) - counterOf(b, base));
}

/** `run` comes after `previous` among a request's runs. */
export function newerRun(run: AnalysisRun, previous: AnalysisRun, base: string): boolean {
  return counterOf(run, base) > counterOf(previous, base);
}

/** What the Rollout's status says about a run. */
export function runStatusEntry(run: AnalysisRun): RolloutAnalysisRunStatus {
  const phase = phaseOf(run) ?? 'Pending';
  return {
    name: run.metadata.name ?? '',
    status: phase,
    ...(run.status?.message ? { message: run.status.message } : {}),
  };
}

function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) {
    const name = `${base}.${i}`;
    if (!taken.has(name)) return name;
  }
}

/** The name Argo gives a request's first run: `<rollout>-<hash>-<revision>[-<step>|-pre|-post]`. */
export function baseRunName(snapshot: RolloutSnapshot, request: RunRequest, ctx: RunContext): string {
  return analysisRunName(
    snapshot.rollout.metadata.name ?? '',
    ctx.hash,
    ctx.revision,
    request.type,
    request.stepIndex,
  );
}

/**
 * The name of the run that replaces `previous` (a retry, a rerun after an inconclusive result):
 * `<base>.1` after `<base>`, `<base>.N+1` after `<base>.N`. Derived from the run replaced, not from
 * the names taken, so two reconciles that replace the same run (one on a cache that already holds
 * the other's new run) make the same one.
 */
export function successorRunName(previous: string, base: string): string | undefined {
  if (previous === base) return `${base}.1`;
  const counter = previous.startsWith(`${base}.`) ? Number(previous.slice(base.length + 1)) : Number.NaN;
  return Number.isInteger(counter) && counter > 0 ? `${base}.${counter + 1}` : undefined;
}

/** Measurements a run took, over all its metrics (dry-run ones included). */
export function measurementsOf(run: AnalysisRun): number {
  return (run.status?.metricResults ?? []).reduce((n, m) => n + (m.count ?? m.measurements?.length ?? 0), 0);
}

/** Ramp asked the run to stop because the Rollout no longer needed it. */
export const stoppedByRamp = (run: AnalysisRun): boolean =>
  run.metadata.annotations?.[TERMINATED_BY_ANNOTATION] === TERMINATED_BY_ROLLOUT;

/** A new AnalysisRun for the request, or why it cannot be made (a missing template, an arg without value). */
export function buildRun(
  snapshot: RolloutSnapshot,
  request: RunRequest,
  ctx: RunContext,
  /** The run's name; by default the base name, or the first `<base>.N` not taken. */
  runName?: string,
): Resolved<AnalysisRun> {
  const { rollout } = snapshot;
  const templates = resolveTemplates(request.analysis.templates ?? [], snapshot);
  if (!templates.ok) return templates;
  const args = rolloutArgs(rollout, request.analysis.args, {
    latest: ctx.hash,
    ...(ctx.stableHash ? { stable: ctx.stableHash } : {}),
  });
  if (!args.ok) return args;
  let spec: AnalysisRun['spec'];
  try {
    spec = runSpecFromTemplates(templates.value, {
      args: args.value,
      ...(request.analysis.dryRun ? { dryRun: request.analysis.dryRun } : {}),
      ...(request.analysis.measurementRetention
        ? { measurementRetention: request.analysis.measurementRetention }
        : {}),
    });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const rolloutName = rollout.metadata.name ?? '';
  const name =
    runName ??
    freeName(
      baseRunName(snapshot, request, ctx),
      new Set(snapshot.analysisRuns.map((r) => r.metadata.name ?? '')),
    );
  const metadata = request.analysis.analysisRunMetadata ?? {};
  const instanceId = rollout.metadata.labels?.[INSTANCE_ID_LABEL];
  const labels: Record<string, string> = {
    ...(metadata.labels ?? {}),
    // as Argo: the Rollout's selector labels too (kubectl get analysisrun -l app=...)
    ...(rollout.spec.selector?.matchLabels ?? {}),
    [ROLLOUT_TYPE_LABEL]: request.type,
    [POD_TEMPLATE_HASH_LABEL]: ctx.hash,
    ...(request.type === 'Step' ? { [STEP_INDEX_LABEL]: String(request.stepIndex ?? 0) } : {}),
    ...(instanceId ? { [INSTANCE_ID_LABEL]: instanceId } : {}),
  };
  return {
    ok: true,
    value: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name,
        namespace: rollout.metadata.namespace ?? 'default',
        labels,
        annotations: { ...(metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(ctx.revision) },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: rolloutName,
            uid: rollout.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
    },
  };
}
