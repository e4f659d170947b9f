// `get analysisrun` as text: the run's verdict, then each metric with its last value, how many
// measurements it took of how many, its counts against their limits and its verdict.
import {
  consecutiveErrorLimitOf,
  effectiveCountOf,
  failureLimitOf,
  inconclusiveLimitOf,
  type Metric,
  type MetricResult,
} from '@ramp/api';
import { type AnalysisRunObj, revisionOf } from '../kube/model';
import { analysisIcon } from './rollout-info';
import { age, columns, field, noPaint, type Paint } from './text';

export interface MetricView {
  name: string;
  phase: string;
  lastValue?: string;
  measured: number;
  count?: number;
  successful: number;
  failed: number;
  failureLimit: number;
  inconclusive: number;
  inconclusiveLimit: number;
  consecutiveErrors: number;
  consecutiveErrorLimit: number;
  condition?: string;
  message?: string;
  dryRun: boolean;
}

export interface AnalysisRunView {
  name: string;
  namespace: string;
  phase: string;
  message?: string;
  rollout?: string;
  revision?: number;
  stepIndex?: string;
  type?: string;
  startedAt?: string;
  completedAt?: string;
  terminating: boolean;
  metrics: MetricView[];
}

function metricView(metric: Metric, result: MetricResult | undefined): MetricView {
  const last = result?.measurements?.at(-1);
  const condition = metric.successCondition
    ? `success: ${metric.successCondition}`
    : metric.failureCondition
      ? `failure: ${metric.failureCondition}`
      : undefined;
  return {
    name: metric.name,
    phase: result?.phase ?? 'Pending',
    lastValue: last?.value,
    measured: result?.count ?? 0,
    count: effectiveCountOf(metric),
    successful: result?.successful ?? 0,
    failed: result?.failed ?? 0,
    failureLimit: failureLimitOf(metric),
    inconclusive: result?.inconclusive ?? 0,
    inconclusiveLimit: inconclusiveLimitOf(metric),
    consecutiveErrors: result?.consecutiveError ?? 0,
    consecutiveErrorLimit: consecutiveErrorLimitOf(metric),
    condition,
    message: result?.message ?? last?.message,
    dryRun: result?.dryRun === true,
  };
}

export function analysisRunView(run: AnalysisRunObj): AnalysisRunView {
  const owner = run.metadata.ownerReferences?.find((r) => r.kind === 'Rollout');
  const results = new Map((run.status?.metricResults ?? []).map((r) => [r.name, r]));
  const labels = run.metadata.labels ?? {};
  return {
    name: run.metadata.name,
    namespace: run.metadata.namespace ?? '',
    phase: run.status?.phase ?? 'Pending',
    message: run.status?.message || undefined,
    rollout: owner?.name,
    revision: owner ? revisionOf(run) : undefined,
    type: labels['rollout-type'],
    stepIndex: labels['step-index'],
    startedAt: run.status?.startedAt,
    completedAt: run.status?.completedAt,
    terminating: run.spec.terminate === true,
    metrics: run.spec.metrics.map((m) => metricView(m, results.get(m.name))),
  };
}

/** What the run gates: `step analysis at step index 1`, `background analysis`, `pre-promotion analysis`. */
function runKind(view: AnalysisRunView): string | undefined {
  switch (view.type) {
    case 'Step':
      return `step analysis at step index ${view.stepIndex ?? '?'}`;
    case 'Background':
      return 'background analysis';
    case 'PrePromotion':
      return 'pre-promotion analysis';
    case 'PostPromotion':
      return 'post-promotion analysis';
    default:
      return undefined;
  }
}

const shorten = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const limit = (n: number, max: number) => `${n}/${max < 0 ? '∞' : max}`;

export function renderAnalysisRun(view: AnalysisRunView, now: Date, paint: Paint = noPaint): string {
  const icon = analysisIcon(view.phase);
  const color = view.phase === 'Successful' ? 'green' : view.phase === 'Running' ? 'blue' : 'red';
  let out = field('Name:', view.name) + field('Namespace:', view.namespace);
  out += field('Status:', `${paint(icon, view.phase === 'Pending' ? 'yellow' : color)} ${view.phase}`);
  if (view.message) out += field('Message:', view.message);
  if (view.terminating && (view.phase === 'Running' || view.phase === 'Pending')) {
    out += field('Terminating:', 'yes (spec.terminate)');
  }
  if (view.rollout) {
    out += field(
      'Rollout:',
      `${view.rollout} (revision ${view.revision}${runKind(view) ? `, ${runKind(view)}` : ''})`,
    );
  }
  if (view.startedAt) out += field('Started:', `${view.startedAt} (${age(view.startedAt, now)} ago)`);
  if (view.completedAt) out += field('Completed:', `${view.completedAt} (${age(view.completedAt, now)} ago)`);
  const rows = [
    [
      'METRIC',
      'STATUS',
      'MEASURED',
      'LAST VALUE',
      'SUCCESSFUL',
      'FAILED',
      'INCONCLUSIVE',
      'ERRORS',
      'CONDITION',
    ],
  ];
  for (const m of view.metrics) {
    rows.push([
      m.dryRun ? `${m.name} (dry run)` : m.name,
      `${paint(analysisIcon(m.phase), m.phase === 'Successful' ? 'green' : m.phase === 'Running' ? 'blue' : 'red')} ${m.phase}`,
      `${m.measured}/${m.count ?? '∞'}`,
      m.lastValue === undefined ? '-' : shorten(m.lastValue),
      String(m.successful),
      limit(m.failed, m.failureLimit),
      limit(m.inconclusive, m.inconclusiveLimit),
      limit(m.consecutiveErrors, m.consecutiveErrorLimit),
      m.condition ?? '-',
    ]);
  }
  out += `\n${columns(rows)}`;
  const messages = view.metrics.filter((m) => m.message);
  if (messages.length > 0) out += `\n${messages.map((m) => `${m.name}: ${m.message}\n`).join('')}`;
  return out;
}
