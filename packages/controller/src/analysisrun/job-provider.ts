// The job metric provider: one Kubernetes Job per measurement, judged by its conditions
// (Complete → Successful, Failed → Failed), deleted when the measurement is stopped.
import type { EngineProvider, MeasureOutcome } from '@ramp/analysis';
import type { AnalysisRun, Measurement, Metric } from '@ramp/api';
import { isAlreadyExists } from '@ramp/kube';
import type { Job } from '../model/kube-objects';

export const JOB_NAME_METADATA = 'job-name';
export const RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';
export const RUN_NAME_LABEL = 'analysisrun.argoproj.io/name';
export const METRIC_NAME_LABEL = 'analysisrun.argoproj.io/metric-name';

/** How the provider reaches Jobs: reads from the informer cache, writes through the API. */
export interface JobAccess {
  get(namespace: string, name: string): Job | undefined;
  create(job: Job): Promise<void>;
  delete(namespace: string, name: string): Promise<void>;
}

/** How often a running Job is looked at again when no Job event comes first. */
const RESUME_AFTER_MS = 10_000;
const MAX_NAME = 63;

function jobName(run: AnalysisRun, metric: string, n: number): string {
  const name = `${run.metadata.uid ?? run.metadata.name}.${metric}.${n}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-');
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - String(n).length - 1)}.${n}`;
}

function verdictOf(job: Job): MeasureOutcome | undefined {
  const done = (job.status?.conditions ?? []).find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  if (!done) return undefined;
  const name = job.metadata.name;
  if (done.type === 'Complete')
    return { kind: 'verdict', phase: 'Successful', metadata: { [JOB_NAME_METADATA]: name } };
  return {
    kind: 'verdict',
    phase: 'Failed',
    message: `Job ${name} failed${done.message ? `: ${done.message}` : ''}`,
    metadata: { [JOB_NAME_METADATA]: name },
  };
}

export function jobProvider(run: AnalysisRun, access: JobAccess): EngineProvider {
  const namespace = run.metadata.namespace ?? 'default';
  const uid = run.metadata.uid ?? '';
  return {
    type: 'job',
    async measure(metric: Metric, ctx): Promise<MeasureOutcome> {
      const spec = metric.provider.job;
      if (!spec) return { kind: 'error', message: 'metric has no job provider' };
      // Numbered from the run's own counters, as Argo does: a reconcile of a run read before its last
      // measurement was recorded names the same Job again instead of starting a second one.
      const result = run.status?.metricResults?.find((r) => r.name === metric.name);
      const n = (result?.count ?? 0) + (result?.error ?? 0) + 1;
      const name = jobName(run, metric.name, n);
      const job: Job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name,
          namespace,
          labels: {
            ...(spec.metadata?.labels ?? {}),
            [RUN_UID_LABEL]: uid,
            [RUN_NAME_LABEL]: run.metadata.name ?? '',
            [METRIC_NAME_LABEL]: metric.name,
          },
          annotations: { ...(spec.metadata?.annotations ?? {}) },
          ownerReferences: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'AnalysisRun',
              name: run.metadata.name ?? '',
              uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(spec.spec) as unknown as Record<string, unknown>,
      };
      try {
        await access.create(job);
      } catch (e) {
        // Already there: made for this same measurement by a reconcile of the run; go on with it.
        const existing = access.get(namespace, name);
        const foreign = existing && !existing.metadata.ownerReferences?.some((o) => o.uid === uid);
        if (!isAlreadyExists(e) || foreign)
          return { kind: 'error', message: `cannot create Job ${name}: ${(e as Error).message}` };
      }
      return {
        kind: 'running',
        resumeAt: new Date(ctx.now().getTime() + RESUME_AFTER_MS),
        metadata: { [JOB_NAME_METADATA]: name },
      };
    },
    async resume(_metric: Metric, measurement: Measurement, ctx): Promise<MeasureOutcome> {
      const name = measurement.metadata?.[JOB_NAME_METADATA];
      if (!name) return { kind: 'error', message: 'the measurement does not name its Job' };
      const job = access.get(namespace, name);
      if (!job) return { kind: 'error', message: `Job ${name} no longer exists` };
      return (
        verdictOf(job) ?? {
          kind: 'running',
          resumeAt: new Date(ctx.now().getTime() + RESUME_AFTER_MS),
          metadata: { [JOB_NAME_METADATA]: name },
        }
      );
    },
    async terminate(_metric: Metric, measurement: Measurement): Promise<void> {
      const name = measurement.metadata?.[JOB_NAME_METADATA];
      if (name && access.get(namespace, name)) await access.delete(namespace, name);
    },
  };
}

/**
 * The run with its in-flight Job measurements due now when their Job has finished: the Job's event,
 * not the fallback resumeAt, brings the verdict (Argo resumes on Job events too).
 */
export function withFinishedJobsDue(run: AnalysisRun, get: JobAccess['get']): AnalysisRun {
  const namespace = run.metadata.namespace ?? 'default';
  let due: AnalysisRun | undefined;
  (run.status?.metricResults ?? []).forEach((result, i) => {
    const last = result.measurements?.at(-1);
    const name = last?.metadata?.[JOB_NAME_METADATA];
    if (!last || last.finishedAt || !last.resumeAt || !name) return;
    const job = get(namespace, name);
    if (!job || !verdictOf(job)) return;
    due ??= structuredClone(run);
    delete due.status?.metricResults?.[i]?.measurements?.at(-1)?.resumeAt;
  });
  return due ?? run;
}
