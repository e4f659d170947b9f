// What Ramp runs today. Fields Argo Rollouts defines but Ramp does not run yet are accepted by
// the schema and reported as "not supported yet" (an error: lint and the controller refuse to run
// them half-way); fields Ramp will never run (App Mesh) are reported as "will not be supported", with
// why and what to use instead. docs/compatibility.md lists the same fields ("not yet", "never"); a
// test keeps the two in step.
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';

export interface UnsupportedField {
  /** Where the field sits, with [] for "any item": `spec.strategy.canary.steps[].experiment`. */
  path: string;
  /** What a person reads: "Experiment steps". */
  what: string;
  /** What Ramp runs instead, when it runs something close: "Ramp runs ...; use one of them". */
  instead?: string;
}

/** A field Ramp will never run: why not, and what to use instead. */
export interface NeverSupportedField extends UnsupportedField {
  why: string;
  instead: string;
}

/** The traffic routers Ramp runs, as a person reads them in a message. */
export const ROUTERS_RAMP_RUNS = `Ramp runs the Gateway API plugin's configuration (trafficRouting.plugins["${GATEWAY_API_PLUGIN}"]), istio, alb, nginx, smi, apisix, traefik and ambassador`;

export const UNSUPPORTED_ROLLOUT_FIELDS: readonly UnsupportedField[] = [
  { path: 'spec.workloadRef', what: 'workloadRef (a pod template taken from a Deployment)' },
  { path: 'spec.rollbackWindow', what: 'rollbackWindow' },
  { path: 'spec.strategy.canary.steps[].experiment', what: 'Experiment steps' },
  { path: 'spec.strategy.canary.steps[].plugin', what: 'Step plugins' },
  { path: 'spec.strategy.canary.antiAffinity', what: 'antiAffinity' },
  { path: 'spec.strategy.blueGreen.antiAffinity', what: 'antiAffinity' },
  { path: 'spec.strategy.canary.canaryMetadata', what: 'canaryMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.canary.stableMetadata', what: 'stableMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.blueGreen.previewMetadata', what: 'previewMetadata (ephemeral pod metadata)' },
  { path: 'spec.strategy.blueGreen.activeMetadata', what: 'activeMetadata (ephemeral pod metadata)' },
];

export const NEVER_SUPPORTED_ROLLOUT_FIELDS: readonly NeverSupportedField[] = [
  {
    path: 'spec.strategy.canary.trafficRouting.appMesh',
    what: 'The AWS App Mesh traffic router (trafficRouting.appMesh)',
    why: 'AWS discontinued App Mesh (end of support 30 September 2026)',
    instead: `route with the Gateway API instead (trafficRouting.plugins["${GATEWAY_API_PLUGIN}"]; on AWS, the AWS Gateway API Controller for Amazon VPC Lattice implements it)`,
  },
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
export function findUnsupported<F extends UnsupportedField>(
  root: unknown,
  fields: readonly F[],
  rootPath: string,
  report: (path: string, field: F) => void,
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
