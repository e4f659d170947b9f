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
  if (!run) return undefined;
  const labels = run.metadata.labels ?? {};
  if (labels[ROLLOUT_TYPE_LABEL] !== request.type || labels[POD_TEMPLATE_HASH_LABEL] !== ctx.hash)
    return undefined;
  if (run.metadata.annotations?.[REVISION_ANNOTATION] !== String(ctx.revision)) return undefined;
  if (request.type === 'Step' && labels[STEP_INDEX_LABEL] !== String(request.stepIndex)) return undefined;
  return run;
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

/** A new AnalysisRun for the request, or why it cannot be made (a missing template, an arg without value). */
export function buildRun(
  snapshot: RolloutSnapshot,
  request: RunRequest,
  ctx: RunContext,
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
  const name = freeName(
    analysisRunName(rolloutName, ctx.hash, ctx.revision, request.type, request.stepIndex),
    new Set(snapshot.analysisRuns.map((r) => r.metadata.name ?? '')),
  );
  const metadata = request.analysis.analysisRunMetadata ?? {};
  const instanceId = rollout.metadata.labels?.[INSTANCE_ID_LABEL];
  const labels: Record<string, string> = {
    ...(metadata.labels ?? {}),
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
