// The demo's objects with --gateway-api: the seed canary (examples/canary-with-analysis.yaml) routed
// through a Gateway API HTTPRoute, written as the Argo Gateway API plugin's users write it: a stable
// and a canary Service selecting the app, an HTTPRoute whose one rule has both as backendRefs, the
// Rollout naming them and the route under trafficRouting.plugins["argoproj-labs/gatewayAPI"]. Its
// analysis judges the canary alone: the reject ratio of the pods of the canary's pod-template hash
// (passed with podTemplateHashValue: Latest), from Prometheus, or from the traffic app's
// /ratio?version= when Prometheus is not installed.
import type { AnalysisTemplate, Rollout } from '@ramp/api';
import type { ResourceType } from '@ramp/kube';
import { seedCanary } from './manifests';

export const ROUTE = 'sgdecoding-online-scaled';
export const STABLE_SERVICE = 'sgdecoding-online-scaled-stable';
export const CANARY_SERVICE = 'sgdecoding-online-scaled-canary';
/** How long the aborted canary keeps its pods once the route sends it nothing (Argo's default: 30). */
export const ABORT_SCALE_DOWN_DELAY_SECONDS = 10;

export const HTTP_ROUTES: ResourceType = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'httproutes',
  namespaced: true,
  kind: 'HTTPRoute',
};

const APP = { app: 'sgdecoding-online-scaled' };

export function services(): Record<string, unknown>[] {
  return [STABLE_SERVICE, CANARY_SERVICE].map((name) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: APP, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  }));
}

export function httpRoute(): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: ROUTE, namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        {
          backendRefs: [
            { name: STABLE_SERVICE, kind: 'Service', port: 80 },
            { name: CANARY_SERVICE, kind: 'Service', port: 80 },
          ],
        },
      ],
    },
  };
}

/** The seed canary with its traffic routed through the HTTPRoute, and the canary's own analysis. */
export function routedCanary(judge: { prometheus: string } | { web: string }): Rollout {
  const rollout = seedCanary();
  const canary = rollout.spec.strategy?.canary;
  if (!canary) throw new Error('examples/canary-with-analysis.yaml has no spec.strategy.canary');
  canary.canaryService = CANARY_SERVICE;
  canary.stableService = STABLE_SERVICE;
  canary.trafficRouting = {
    plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: ROUTE, namespace: 'default' } },
  };
  // The previous stable keeps its pods 10 s after a promotion (Argo's default: 30) to keep the demo short.
  canary.scaleDownDelaySeconds = 10;
  canary.abortScaleDownDelaySeconds = ABORT_SCALE_DOWN_DELAY_SECONDS;
  canary.analysis = {
    templates: [{ templateName: 'canary-error-ratio' }],
    args: [
      'prometheus' in judge
        ? { name: 'prometheus-address', value: judge.prometheus }
        : { name: 'traffic-address', value: judge.web },
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    ],
  };
  return rollout;
}

/**
 * The seed's rule (more than 5% rejected fails a measurement, every 5 s) over the canary's pods only;
 * a third failure aborts, so a bad canary is caught within the 30 s pause at 20%.
 */
export function canaryTemplate(judge: { prometheus: string } | { web: string }): AnalysisTemplate {
  const byHash = 'rollouts_pod_template_hash="{{args.canary-hash}}"';
  const metric =
    'prometheus' in judge
      ? {
          // No canary traffic yet (no series, or 0/0) is not a failure.
          successCondition: 'len(result) == 0 || isNaN(result[0]) || result[0] < 0.05',
          provider: {
            prometheus: {
              address: '{{args.prometheus-address}}',
              query: `sum(rate(number_of_request_reject_total{${byHash}}[30s]))\n/\nsum(rate(number_of_request_receive_by_master_total{${byHash}}[30s]))\n`,
            },
          },
        }
      : {
          successCondition: 'result < 0.05',
          provider: {
            web: {
              url: '{{args.traffic-address}}/ratio?version={{args.canary-hash}}',
              jsonPath: '{$.rejectRatio}',
              timeoutSeconds: 5,
            },
          },
        };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'canary-error-ratio', namespace: 'default' },
    spec: {
      args: [
        { name: 'prometheus' in judge ? 'prometheus-address' : 'traffic-address' },
        { name: 'canary-hash' },
      ],
      metrics: [{ name: 'canary-error-ratio', interval: '5s', failureLimit: 2, ...metric }],
    },
  };
}
