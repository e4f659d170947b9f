// What Ramp runs today. Fields Argo Rollouts defines but Ramp does not run yet are accepted by
// the schema and reported as "not supported yet" (an error: lint and the controller refuse to run
// them half-way). docs/compatibility.md lists the same fields; a test keeps the two in step.

export interface UnsupportedField {
  /** Where the field sits, with [] for "any item": `spec.strategy.canary.steps[].experiment`. */
  path: string;
  /** What a person reads: "Experiment steps". */
  what: string;
  /** What Ramp runs instead, when it runs something close: "Ramp runs ...; use one of them". */
  instead?: string;
}

/** The traffic routers Ramp runs, as a person reads them in a message. */
export const ROUTERS_RAMP_RUNS =
  'Ramp runs the Gateway API plugin\'s configuration (trafficRouting.plugins["argoproj-labs/gatewayAPI"]), nginx and smi';

const router = (field: string, name: string): UnsupportedField => ({
  path: `spec.strategy.canary.trafficRouting.${field}`,
  what: `The ${name} traffic router (trafficRouting.${field})`,
  instead: `${ROUTERS_RAMP_RUNS}; route with one of them`,
});

export const UNSUPPORTED_ROLLOUT_FIELDS: readonly UnsupportedField[] = [
  { path: 'spec.workloadRef', what: 'workloadRef (a pod template taken from a Deployment)' },
  { path: 'spec.rollbackWindow', what: 'rollbackWindow' },
  router('istio', 'Istio'),
  router('alb', 'AWS ALB'),
  router('ambassador', 'Ambassador'),
  router('appMesh', 'AWS App Mesh'),
  router('traefik', 'Traefik'),
  router('apisix', 'APISIX'),
  { path: 'spec.strategy.canary.steps[].experiment', what: 'Experiment steps' },
  { path: 'spec.strategy.canary.steps[].plugin', what: 'Step plugins' },
  { path: 'spec.strategy.canary.antiAffinity', what: 'antiAffinity' },
  { path: 'spec.strategy.blueGreen.antiAffinity', what: 'antiAffinity' },
  { path: 'spec.strategy.canary.pingPong', what: 'pingPong services' },
  { path: 'spec.strategy.canary.canaryMetadata', what: 'canaryMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.canary.stableMetadata', what: 'stableMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.blueGreen.previewMetadata', what: 'previewMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.blueGreen.activeMetadata', what: 'activeMetadata (ephemeral pod metadata)' },
];

export const UNSUPPORTED_METRIC_FIELDS: readonly UnsupportedField[] = [
  { path: 'provider.kayenta', what: 'The Kayenta metric provider' },
  { path: 'provider.datadog', what: 'The Datadog metric provider' },
  { path: 'provider.wavefront', what: 'The Wavefront metric provider' },
  { path: 'provider.newRelic', what: 'The New Relic metric provider' },
  { path: 'provider.cloudWatch', what: 'The CloudWatch metric provider' },
  { path: 'provider.graphite', what: 'The Graphite metric provider' },
  { path: 'provider.influxdb', what: 'The InfluxDB metric provider' },
  { path: 'provider.skywalking', what: 'The SkyWalking metric provider' },
  { path: 'provider.plugin', what: 'Metric provider plugins' },
  { path: 'provider.prometheus.authentication', what: 'Prometheus authentication (sigv4, oauth2)' },
  { path: 'provider.web.authentication', what: 'Web metric authentication (oauth2)' },
];

/** Reports every unsupported field present in `root`, whose own path is `rootPath`. */
export function findUnsupported(
  root: unknown,
  fields: readonly UnsupportedField[],
  rootPath: string,
  report: (path: string, field: UnsupportedField) => void,
): void {
  for (const field of fields) {
    const segments = field.path.split('.');
    visit(root, segments, rootPath, (path) => report(path, field));
  }
}

function visit(value: unknown, segments: string[], path: string, found: (path: string) => void): void {
  if (value === undefined || value === null) return;
  if (segments.length === 0) {
    found(path);
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const child = (value as Record<string, unknown>)[key];
  const childPath = path === '' ? key : `${path}.${key}`;
  if (isList) {
    if (Array.isArray(child)) {
      child.forEach((item, i) => {
        visit(item, rest, `${childPath}[${i}]`, found);
      });
    }
  } else {
    visit(child, rest, childPath, found);
  }
}
