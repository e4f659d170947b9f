// An Istio subset-level canary as Argo's Istio users write it (the names and shapes of Argo's
// `istio-subset-split` e2e fixture: one Service for the host, a VirtualService whose `primary` route
// splits between the DestinationRule's `stable` and `canary` subsets, both subsets selecting the app
// until Ramp labels them with the pod-template hashes), gated by a background analysis of the canary's
// own error ratio from the test's Prometheus.
import { parse } from 'yaml';
import { type ErrorRatioOptions, errorRatioAnalysis, errorRatioTemplate } from './canary-error-ratio';

export const IS_ROLLOUT = 'istio-subset-split';
export const IS_SELECTOR = 'app=istio-subset-split';
export const IS_VSVC = 'istio-subset-split-vsvc';
export const IS_DESTRULE = 'istio-subset-split-destrule';
export const IS_IMAGE = 'ramp-e2e/istio-app';
export const IS_CONTAINER = 'istio-subset-split';

export interface VirtualServiceJson {
  metadata: { name: string };
  spec: { http: { name?: string; route: { destination: { subset?: string }; weight?: number }[] }[] };
}

export interface DestinationRuleJson {
  metadata: { name: string };
  spec: { subsets: { name: string; labels?: Record<string, string> }[] };
}

/** The weight the primary route gives the subset `subset`. */
export function subsetWeight(vs: VirtualServiceJson, subset: string): number | undefined {
  const primary = vs.spec.http.find((r) => r.name === 'primary');
  return primary?.route.find((d) => d.destination.subset === subset)?.weight;
}

/** The pod-template hash the DestinationRule's subset `subset` selects. */
export function subsetHash(dr: DestinationRuleJson, subset: string): string | undefined {
  return dr.spec.subsets.find((s) => s.name === subset)?.labels?.['rollouts-pod-template-hash'];
}

export interface IstioCanaryOptions extends ErrorRatioOptions {
  /** The pause after setWeight 20: long enough for the analysis to judge a bad canary there. */
  firstPause: string;
  abortScaleDownDelaySeconds: number;
}

/** The objects to apply, in order. */
export function istioCanary(o: IstioCanaryOptions): Record<string, unknown>[] {
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${IS_ROLLOUT}
  namespace: default
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: ${IS_ROLLOUT}
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: ${IS_VSVC}
  namespace: default
spec:
  hosts:
  - ${IS_ROLLOUT}
  http:
  - name: primary
    route:
    - destination:
        host: ${IS_ROLLOUT}
        subset: stable
      weight: 100
    - destination:
        host: ${IS_ROLLOUT}
        subset: canary
      weight: 0
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata:
  name: ${IS_DESTRULE}
  namespace: default
spec:
  host: ${IS_ROLLOUT}
  subsets:
  - name: stable
    labels:
      app: ${IS_ROLLOUT}
  - name: canary
    labels:
      app: ${IS_ROLLOUT}
---
${errorRatioTemplate(o).trim()}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${IS_ROLLOUT}
  namespace: default
spec:
  replicas: 5
  strategy:
    canary:
      abortScaleDownDelaySeconds: ${o.abortScaleDownDelaySeconds}
      trafficRouting:
        istio:
          virtualService:
            name: ${IS_VSVC}
            routes:
            - primary
          destinationRule:
            name: ${IS_DESTRULE}
            canarySubsetName: canary
            stableSubsetName: stable
${errorRatioAnalysis(o)}
      steps:
      - setWeight: 20
      - pause: {duration: ${o.firstPause}}
      - setWeight: 60
      - pause: {duration: 5s}
  selector:
    matchLabels:
      app: ${IS_ROLLOUT}
  template:
    metadata:
      labels:
        app: ${IS_ROLLOUT}
    spec:
      containers:
      - name: ${IS_CONTAINER}
        image: ${IS_IMAGE}:v1
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
`
    .split(/^---$/m)
    .map((doc) => parse(doc) as Record<string, unknown>);
}
