// The gauges that describe each Rollout and AnalysisRun, computed from the informer caches at every
// scrape (as Argo Rollouts' collectors do): an object that leaves the cache leaves the metrics with
// it. Names and labels are Argo's (controller/metrics/rollouts.go, analysis.go), so its dashboards
// work; analysis_run_metric_value/limit/count are Ramp's, to show why a run failed.
import { providerTypeOf } from '@ramp/analysis';
import {
  type AnalysisRun,
  consecutiveErrorLimitOf,
  failureLimitOf,
  inconclusiveLimitOf,
  type Metric,
  type Rollout,
  replicasOf,
} from '@ramp/api';
import { Gauge, type Registry } from 'prom-client';

type Labels = Record<string, string>;
export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

/** Argo's calculated phase of a Rollout (from its Progressing and InvalidSpec conditions). */
export function rolloutMetricPhase(rollout: Rollout): string {
  const conditions = rollout.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'InvalidSpec')) return 'InvalidSpec';
  const reason = conditions.find((c) => c.type === 'Progressing')?.reason;
  switch (reason) {
    case 'NewReplicaSetAvailable':
      return 'Completed';
    case 'RolloutPaused':
      return 'Paused';
    case 'FailedRSCreate':
    case 'ServiceNotFound':
      return 'Error';
    case 'ProgressDeadlineExceeded':
      return 'Timeout';
    case 'RolloutAborted':
      return 'Abort';
    default:
      return 'Progressing';
  }
}

/** The phases of Argo's deprecated rollout_phase gauge (one series each, 1 for the current one). */
export const ROLLOUT_PHASES = ['Completed', 'Progressing', 'Paused', 'Timeout', 'Error', 'Abort'] as const;
export const ANALYSIS_PHASES = [
  'Pending',
  'Error',
  'Failed',
  'Successful',
  'Running',
  'Inconclusive',
] as const;

/** Argo's names of the traffic routers it reports (later ones win, as in Argo); others report "". */
const TRAFFIC_ROUTERS: [string, string][] = [
  ['alb', 'ALB'],
  ['ambassador', 'Ambassador'],
  ['istio', 'Istio'],
  ['nginx', 'Nginx'],
  ['smi', 'SMI'],
  ['appMesh', 'AppMesh'],
];

export function strategyAndRouter(rollout: Rollout): { strategy: string; router: string } {
  const strategy = rollout.spec.strategy;
  if (strategy?.blueGreen) return { strategy: 'blueGreen', router: '' };
  if (!strategy?.canary) return { strategy: 'none', router: '' };
  const routing = (strategy.canary.trafficRouting ?? {}) as Record<string, unknown>;
  let router = '';
  for (const [key, label] of TRAFFIC_ROUTERS) if (routing[key] != null) router = label;
  return { strategy: 'canary', router };
}

export function rolloutSamples(rollout: Rollout): Sample[] {
  const id = { namespace: rollout.metadata.namespace ?? '', name: rollout.metadata.name ?? '' };
  const { strategy, router } = strategyAndRouter(rollout);
  const phase = rolloutMetricPhase(rollout);
  const status = rollout.status ?? {};
  const available = status.availableReplicas ?? 0;
  return [
    { name: 'rollout_info', labels: { ...id, strategy, traffic_router: router, phase }, value: 1 },
    { name: 'rollout_info_replicas_available', labels: id, value: available },
    { name: 'rollout_info_replicas_unavailable', labels: id, value: (status.replicas ?? 0) - available },
    { name: 'rollout_info_replicas_desired', labels: id, value: replicasOf(rollout.spec) },
    { name: 'rollout_info_replicas_updated', labels: id, value: status.updatedReplicas ?? 0 },
    ...ROLLOUT_PHASES.map((p) => ({
      name: 'rollout_phase',
      labels: { ...id, strategy, phase: p },
      value: p === phase ? 1 : 0,
    })),
  ];
}

/** Argo's provider type names (metricproviders.Type). */
const PROVIDER_TYPES: Record<string, string> = {
  prometheus: 'Prometheus',
  web: 'Web',
  job: 'Job',
  datadog: 'Datadog',
  newRelic: 'NewRelic',
  wavefront: 'Wavefront',
  kayenta: 'Kayenta',
  cloudWatch: 'CloudWatch',
  graphite: 'Graphite',
  influxdb: 'Influxdb',
  skywalking: 'SkyWalking',
  plugin: 'Plugin',
};

export function metricTypeOf(metric: Metric): string {
  const key = providerTypeOf(metric);
  if (!key) return 'Unknown';
  return PROVIDER_TYPES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** A measurement's value as a number: `0.5`, or a one-element vector `[0.5]` (Prometheus); else undefined. */
export function numericValue(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*\[?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\]?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

function isDryRun(run: AnalysisRun, metric: string, resultDryRun: boolean | undefined): boolean {
  if (resultDryRun !== undefined) return resultDryRun;
  return (run.spec.dryRun ?? []).some((rule) => {
    if (rule.metricName === '*' || rule.metricName === metric) return true;
    try {
      return new RegExp(`^(?:${rule.metricName})$`).test(metric);
    } catch {
      return false;
    }
  });
}

export function analysisRunSamples(run: AnalysisRun): Sample[] {
  const id = { namespace: run.metadata.namespace ?? '', name: run.metadata.name ?? '' };
  const phase = run.status?.phase ?? '';
  const samples: Sample[] = [
    { name: 'analysis_run_info', labels: { ...id, phase }, value: 1 },
    ...ANALYSIS_PHASES.map((p) => ({
      name: 'analysis_run_phase',
      labels: { ...id, phase: p },
      value: p === phase || (p === 'Pending' && phase === '') ? 1 : 0,
    })),
  ];
  for (const metric of run.spec.metrics) {
    const type = metricTypeOf(metric);
    const m = { ...id, metric: metric.name };
    const result = run.status?.metricResults?.find((r) => r.name === metric.name);
    const metricPhase = result?.phase ?? '';
    const dryRun = String(isDryRun(run, metric.name, result?.dryRun));
    samples.push({ name: 'analysis_run_metric_type', labels: { ...m, type }, value: 1 });
    for (const p of ANALYSIS_PHASES) {
      const current = p === metricPhase || (p === 'Pending' && metricPhase === '');
      samples.push({
        name: 'analysis_run_metric_phase',
        labels: { ...m, type, dry_run: dryRun, phase: p },
        value: current ? 1 : 0,
      });
    }
    const measurements = result?.measurements ?? [];
    for (let i = measurements.length - 1; i >= 0; i--) {
      const value = numericValue(measurements[i]?.value);
      if (value === undefined) continue;
      samples.push({ name: 'analysis_run_metric_value', labels: m, value });
      break;
    }
    const limits: [string, number][] = [
      ['failure', failureLimitOf(metric)],
      ['inconclusive', inconclusiveLimitOf(metric)],
      ['consecutive_error', consecutiveErrorLimitOf(metric)],
    ];
    for (const [limit, value] of limits) {
      samples.push({ name: 'analysis_run_metric_limit', labels: { ...m, limit }, value });
    }
    const counts: [string, number | undefined][] = [
      ['total', result?.count],
      ['successful', result?.successful],
      ['failed', result?.failed],
      ['inconclusive', result?.inconclusive],
      ['error', result?.error],
      ['consecutive_error', result?.consecutiveError],
    ];
    for (const [kind, value] of counts) {
      samples.push({ name: 'analysis_run_metric_count', labels: { ...m, result: kind }, value: value ?? 0 });
    }
  }
  return samples;
}

interface GaugeSpec {
  name: string;
  help: string;
  labels: string[];
}

const ID = ['namespace', 'name'];
export const OBJECT_GAUGES: GaugeSpec[] = [
  {
    name: 'rollout_info',
    help: 'Information about rollout.',
    labels: [...ID, 'strategy', 'traffic_router', 'phase'],
  },
  {
    name: 'rollout_info_replicas_available',
    help: 'The number of available replicas per rollout.',
    labels: ID,
  },
  {
    name: 'rollout_info_replicas_unavailable',
    help: 'The number of unavailable replicas per rollout.',
    labels: ID,
  },
  { name: 'rollout_info_replicas_desired', help: 'The number of desired replicas per rollout.', labels: ID },
  { name: 'rollout_info_replicas_updated', help: 'The number of updated replicas per rollout.', labels: ID },
  {
    name: 'rollout_phase',
    help: 'Information on the state of the rollout (DEPRECATED - use rollout_info)',
    labels: [...ID, 'strategy', 'phase'],
  },
  { name: 'analysis_run_info', help: 'Information about analysis run.', labels: [...ID, 'phase'] },
  {
    name: 'analysis_run_phase',
    help: 'Information on the state of the Analysis Run (DEPRECATED - use analysis_run_info)',
    labels: [...ID, 'phase'],
  },
  {
    name: 'analysis_run_metric_type',
    help: 'Information on the type of a specific metric in the Analysis Runs',
    labels: [...ID, 'metric', 'type'],
  },
  {
    name: 'analysis_run_metric_phase',
    help: 'Information on the duration of a specific metric in the Analysis Run',
    labels: [...ID, 'metric', 'type', 'dry_run', 'phase'],
  },
  {
    name: 'analysis_run_metric_value',
    help: 'The last numeric measurement of a metric in the Analysis Run (Ramp).',
    labels: [...ID, 'metric'],
  },
  {
    name: 'analysis_run_metric_limit',
    help: 'The limits of a metric in the Analysis Run: failure, inconclusive, consecutive_error (Ramp; -1: none).',
    labels: [...ID, 'metric', 'limit'],
  },
  {
    name: 'analysis_run_metric_count',
    help: 'Measurements of a metric in the Analysis Run by result: total, successful, failed, inconclusive, error, consecutive_error (Ramp).',
    labels: [...ID, 'metric', 'result'],
  },
];

/**
 * Registers the per-object gauges on `registry`; each scrape asks `objects()` for the current
 * Rollouts and AnalysisRuns (the caches) and reports exactly those.
 */
export function registerObjectGauges(
  registry: Registry,
  objects: () => { rollouts: Rollout[]; analysisRuns: AnalysisRun[] },
): void {
  // One pass over the caches serves every gauge of a scrape: a batch is computed when a gauge finds
  // its samples already taken (the next scrape) or the batch older than a second (a partial read).
  let batch: { samples: Map<string, Sample[]>; at: number } | undefined;
  const take = (name: string): Sample[] => {
    if (!batch?.samples.has(name) || Date.now() - batch.at > 1000) {
      const samples = new Map(OBJECT_GAUGES.map((g) => [g.name, [] as Sample[]]));
      const { rollouts, analysisRuns } = objects();
      for (const s of rollouts.flatMap(rolloutSamples)) samples.get(s.name)?.push(s);
      for (const s of analysisRuns.flatMap(analysisRunSamples)) samples.get(s.name)?.push(s);
      batch = { samples, at: Date.now() };
    }
    const samples = batch.samples.get(name) ?? [];
    batch.samples.delete(name);
    return samples;
  };
  for (const spec of OBJECT_GAUGES) {
    const gauge: Gauge = new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labels,
      registers: [registry],
      collect() {
        gauge.reset();
        for (const s of take(spec.name)) gauge.set(s.labels, s.value);
      },
    });
  }
}
