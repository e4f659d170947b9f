// Finished AnalysisRuns kept per Rollout (spec.analysis.successfulRunHistoryLimit and
// unsuccessfulRunHistoryLimit, 5 each by default); older ones are deleted.
import { type AnalysisRun, DEFAULTS } from '@ramp/api';
import type { PlanDraft } from './plan-draft';

const created = (r: AnalysisRun) => r.metadata.creationTimestamp ?? '';

export function cleanUpAnalysisRuns(b: PlanDraft, inUse: ReadonlySet<string>): void {
  const limits = b.view.rollout.spec.analysis ?? {};
  const successLimit = limits.successfulRunHistoryLimit ?? DEFAULTS.successfulRunHistoryLimit;
  const failureLimit = limits.unsuccessfulRunHistoryLimit ?? DEFAULTS.unsuccessfulRunHistoryLimit;
  const done = b.view.snapshot.analysisRuns
    .filter((r) => !inUse.has(r.metadata.name ?? '') && !r.metadata.deletionTimestamp)
    .filter((r) => ['Successful', 'Failed', 'Error', 'Inconclusive'].includes(r.status?.phase ?? ''))
    .sort((a, b2) => (created(a) < created(b2) ? 1 : -1));
  const successful = done.filter((r) => r.status?.phase === 'Successful');
  const unsuccessful = done.filter((r) => r.status?.phase !== 'Successful');
  for (const r of [...successful.slice(successLimit), ...unsuccessful.slice(failureLimit)]) {
    b.plan.deleteAnalysisRuns.push(r.metadata.name ?? '');
  }
}

/** Runs still measuring that no longer serve the Rollout (superseded, promoted, aborted). */
export function terminateUnusedRuns(b: PlanDraft, inUse: ReadonlySet<string>): void {
  for (const run of b.view.snapshot.analysisRuns) {
    const phase = run.status?.phase;
    const running = !phase || phase === 'Pending' || phase === 'Running';
    if (running && !inUse.has(run.metadata.name ?? '')) b.terminateRun(run);
  }
}
