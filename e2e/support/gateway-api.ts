// A Gateway API canary as the Argo Gateway API plugin's users write it (its examples' names and
// shapes: a Gateway, an HTTPRoute whose one rule has the stable and canary Services as backendRefs,
// both Services selecting the app, the Rollout naming them and the route under
// trafficRouting.plugins["argoproj-labs/gatewayAPI"]), gated by a background analysis of the canary's
// own error ratio: rejected / received over the pods of the canary's pod-template hash only, from the
// test's Prometheus.
import { parse } from 'yaml';
import { type ErrorRatioOptions, errorRatioAnalysis, errorRatioTemplate } from './canary-error-ratio';

export const GW_ROLLOUT = 'rollouts-demo';
export const GW_SELECTOR = 'app=rollouts-demo';
export const GW_ROUTE = 'argo-rollouts-http-route';
export const GW_STABLE = 'argo-rollouts-stable-service';
export const GW_CANARY = 'argo-rollouts-canary-service';
export const GW_IMAGE = 'kostiscodefresh/summer-of-k8s-app';
export const GW_CONTAINER = 'rollouts-demo';

export interface HttpRouteJson {
  metadata: { name: string; resourceVersion?: string };
  spec: { rules: { backendRefs?: { name: string; weight?: number }[] }[] };
}

/** The weight the route's first rule gives `service` (the Gateway API's default is 1). */
export function routeWeight(route: HttpRouteJson, service: string): number | undefined {
  const ref = route.spec.rules[0]?.backendRefs?.find((b) => b.name === service);
  return ref ? (ref.weight ?? 1) : undefined;
}

export interface GatewayCanaryOptions extends ErrorRatioOptions {
  /** The pause after setWeight 20: long enough for the analysis to judge a bad canary there. */
  firstPause: string;
  /** The pause after setWeight 60. */
  secondPause: string;
  abortScaleDownDelaySeconds: number;
}

/** The objects to apply, in order. */
export function gatewayCanary(o: GatewayCanaryOptions): Record<string, unknown>[] {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: ramp-e2e
spec:
  controllerName: ramp.dev/e2e-gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ramp-e2e
  namespace: default
spec:
  gatewayClassName: ramp-e2e
  listeners:
    - name: http
      protocol: HTTP
      port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ${GW_STABLE}
  namespace: default
spec:
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app: rollouts-demo
---
apiVersion: v1
kind: Service
metadata:
  name: ${GW_CANARY}
  namespace: default
spec:
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app: rollouts-demo
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${GW_ROUTE}
  namespace: default
spec:
  parentRefs:
    - name: ramp-e2e
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: ${GW_STABLE}
          kind: Service
          port: 80
        - name: ${GW_CANARY}
          kind: Service
          port: 80
---
${errorRatioTemplate(o).trim()}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${GW_ROLLOUT}
  namespace: default
spec:
  replicas: 5
  strategy:
    canary:
      canaryService: ${GW_CANARY}
      stableService: ${GW_STABLE}
      abortScaleDownDelaySeconds: ${o.abortScaleDownDelaySeconds}
      trafficRouting:
        plugins:
          argoproj-labs/gatewayAPI:
            httpRoute: ${GW_ROUTE}
            namespace: default
${errorRatioAnalysis(o)}
      steps:
        - setWeight: 20
        - pause: {duration: ${o.firstPause}}
        - setWeight: 60
        - pause: {duration: ${o.secondPause}}
  revisionHistoryLimit: 2
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
        - name: ${GW_CONTAINER}
          image: ${GW_IMAGE}:v1
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
`
    .split(/^---$/m)
    .map((doc) => parse(doc) as Record<string, unknown>);
}
