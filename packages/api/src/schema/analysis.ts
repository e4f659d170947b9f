// AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun: metrics, providers, args, status.
import { FieldRef, ObjectMeta, SecretKeyRef } from './common';
import {
  bool,
  embedded,
  int32,
  int64,
  intOrString,
  list,
  obj,
  opt,
  type Static,
  str,
  stringMap,
  Type,
  time,
} from './dsl';

const Header = obj({ key: str(), value: str() });

const OAuth2Config = obj({
  tokenUrl: opt(str()),
  clientId: opt(str()),
  clientSecret: opt(str()),
  scopes: opt(list(Type.String())),
});

export const PrometheusMetric = obj({
  address: opt(str('The Prometheus server, e.g. http://prometheus.monitoring:9090. May use {{args.x}}.')),
  query: opt(str('A PromQL query. May use {{args.x}}.')),
  authentication: opt(
    obj({
      sigv4: opt(obj({ region: opt(str()), profile: opt(str()), roleArn: opt(str()) })),
      oauth2: opt(OAuth2Config),
    }),
  ),
  timeout: opt(int64('Seconds a query may take (default 30).')),
  insecure: opt(bool('Skip TLS certificate verification.')),
  headers: opt(list(Header, 'HTTP headers sent with each query.')),
  rangeQuery: opt(
    obj({
      start: opt(str('Start of the range, e.g. "now() - duration(\\"5m\\")".')),
      end: opt(str('End of the range, e.g. "now()".')),
      step: opt(str('Resolution step, e.g. "1m".')),
    }),
  ),
});
export type PrometheusMetric = Static<typeof PrometheusMetric>;

export const WebMetric = obj({
  method: opt(Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT')])),
  url: str('The endpoint to call. May use {{args.x}}.'),
  headers: opt(list(Header)),
  body: opt(str('Request body (POST or PUT).')),
  jsonBody: opt(embedded('Request body as JSON (POST or PUT).')),
  timeoutSeconds: opt(int64('Seconds the request may take (default 10).')),
  jsonPath: opt(str('JSONPath into the response, e.g. "{$.data.ok}" (default the whole body).')),
  insecure: opt(bool('Skip TLS certificate verification.')),
  authentication: opt(obj({ oauth2: opt(OAuth2Config) })),
});
export type WebMetric = Static<typeof WebMetric>;

export const JobMetric = obj({
  metadata: opt(obj({ labels: opt(stringMap()), annotations: opt(stringMap()) })),
  spec: embedded<import('./common').JobSpec>('The batch/v1 JobSpec to run for each measurement.'),
});
export type JobMetric = Static<typeof JobMetric>;

/** Providers Argo knows but Ramp does not run yet: accepted by the schema, reported by validation. */
const unsupportedProvider = (what: string) => embedded(`${what} metric (not supported by Ramp yet).`);

export const MetricProvider = obj({
  prometheus: opt(PrometheusMetric),
  web: opt(WebMetric),
  job: opt(JobMetric),
  kayenta: opt(unsupportedProvider('Kayenta')),
  datadog: opt(unsupportedProvider('Datadog')),
  wavefront: opt(unsupportedProvider('Wavefront')),
  newRelic: opt(unsupportedProvider('New Relic')),
  cloudWatch: opt(unsupportedProvider('CloudWatch')),
  graphite: opt(unsupportedProvider('Graphite')),
  influxdb: opt(unsupportedProvider('InfluxDB')),
  skywalking: opt(unsupportedProvider('SkyWalking')),
  plugin: opt(unsupportedProvider('Plugin')),
});
export type MetricProvider = Static<typeof MetricProvider>;

export const Metric = obj({
  name: str('Unique within the template.'),
  interval: opt(str('Time between measurements, e.g. 30s, 5m.')),
  initialDelay: opt(str('Wait before the first measurement, e.g. 1m.')),
  count: opt(intOrString('How many measurements (default 1 without interval, unlimited with one).')),
  successCondition: opt(str('Expression over `result`; false means the measurement Failed.')),
  failureCondition: opt(str('Expression over `result`; true means the measurement Failed.')),
  failureLimit: opt(intOrString('Failed measurements tolerated (default 0; -1: no limit).')),
  inconclusiveLimit: opt(intOrString('Inconclusive measurements tolerated (default 0).')),
  consecutiveErrorLimit: opt(intOrString('Consecutive errors tolerated (default 4).')),
  consecutiveSuccessLimit: opt(intOrString('Consecutive successes that complete the metric early.')),
  provider: MetricProvider,
});
export type Metric = Static<typeof Metric>;

export const Argument = obj({
  name: str(),
  value: opt(str()),
  valueFrom: opt(obj({ secretKeyRef: opt(SecretKeyRef), fieldRef: opt(FieldRef) })),
});
export type Argument = Static<typeof Argument>;

export const DryRun = obj({ metricName: str('A metric name or a regular expression ("*" for all).') });
export const MeasurementRetention = obj({
  metricName: str('A metric name or a regular expression ("*" for all).'),
  limit: int32('Measurements kept for the metric (default 10).'),
});

export const AnalysisTemplateRef = obj({
  templateName: str(),
  clusterScope: opt(bool('Look the name up among ClusterAnalysisTemplates.')),
});
export type AnalysisTemplateRef = Static<typeof AnalysisTemplateRef>;

export const AnalysisTemplateSpec = obj({
  metrics: opt(list(Metric)),
  args: opt(list(Argument)),
  dryRun: opt(list(DryRun)),
  measurementRetention: opt(list(MeasurementRetention)),
  templates: opt(list(AnalysisTemplateRef, 'Other templates whose metrics and args join this one.')),
});
export type AnalysisTemplateSpec = Static<typeof AnalysisTemplateSpec>;

const apiVersion = Type.Literal('argoproj.io/v1alpha1');
export const AnalysisTemplate = obj({
  apiVersion,
  kind: Type.Literal('AnalysisTemplate'),
  metadata: ObjectMeta,
  spec: AnalysisTemplateSpec,
});
export const ClusterAnalysisTemplate = obj({
  apiVersion,
  kind: Type.Literal('ClusterAnalysisTemplate'),
  metadata: ObjectMeta,
  spec: AnalysisTemplateSpec,
});

export const AnalysisPhase = Type.Union([
  Type.Literal('Pending'),
  Type.Literal('Running'),
  Type.Literal('Successful'),
  Type.Literal('Failed'),
  Type.Literal('Error'),
  Type.Literal('Inconclusive'),
]);
export type AnalysisPhase = Static<typeof AnalysisPhase>;

export const Measurement = obj({
  phase: AnalysisPhase,
  message: opt(str()),
  startedAt: opt(time()),
  finishedAt: opt(time()),
  value: opt(str()),
  metadata: opt(stringMap()),
  resumeAt: opt(time()),
});

const RunSummary = obj({
  count: opt(int32()),
  successful: opt(int32()),
  failed: opt(int32()),
  inconclusive: opt(int32()),
  error: opt(int32()),
});

export const MetricResult = obj({
  name: str(),
  phase: AnalysisPhase,
  measurements: opt(list(Measurement)),
  message: opt(str()),
  count: opt(int32()),
  successful: opt(int32()),
  failed: opt(int32()),
  inconclusive: opt(int32()),
  error: opt(int32()),
  consecutiveError: opt(int32()),
  consecutiveSuccess: opt(int32()),
  dryRun: opt(bool()),
  metadata: opt(stringMap()),
});

export const AnalysisRunSpec = obj({
  metrics: list(Metric),
  args: opt(list(Argument)),
  terminate: opt(bool('Set to true to stop the run early.')),
  dryRun: opt(list(DryRun)),
  measurementRetention: opt(list(MeasurementRetention)),
  ttlStrategy: opt(
    obj({
      secondsAfterCompletion: opt(int32()),
      secondsAfterFailure: opt(int32()),
      secondsAfterSuccess: opt(int32()),
    }),
  ),
});

export const AnalysisRunStatus = obj({
  phase: opt(AnalysisPhase),
  message: opt(str()),
  metricResults: opt(list(MetricResult)),
  startedAt: opt(time()),
  completedAt: opt(time()),
  runSummary: opt(RunSummary),
  dryRunSummary: opt(RunSummary),
});

export const AnalysisRun = obj({
  apiVersion,
  kind: Type.Literal('AnalysisRun'),
  metadata: ObjectMeta,
  spec: AnalysisRunSpec,
  status: opt(AnalysisRunStatus),
});

export type Measurement = Static<typeof Measurement>;
export type MetricResult = Static<typeof MetricResult>;
export type AnalysisRunSpec = Static<typeof AnalysisRunSpec>;
export type AnalysisRunStatus = Static<typeof AnalysisRunStatus>;
export type AnalysisTemplate = Static<typeof AnalysisTemplate>;
export type ClusterAnalysisTemplate = Static<typeof ClusterAnalysisTemplate>;
export type AnalysisRun = Static<typeof AnalysisRun>;
