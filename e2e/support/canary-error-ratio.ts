// The analysis the routed e2e canaries are gated by (Gateway API, Istio): the canary's own error ratio,
// rejected / received over the pods of the canary's pod-template hash only (passed as podTemplateHashValue:
// Latest), from the test's Prometheus scraping the traffic app; and the Rollout's background-analysis
// stanza that runs it.

export interface ErrorRatioOptions {
  prometheus: string;
  /** How often the analysis measures. */
  interval: string;
  failureLimit: number;
}

/** The AnalysisTemplate `canary-error-ratio`, as one YAML document. */
export function errorRatioTemplate(o: ErrorRatioOptions): string {
  return `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: canary-error-ratio
  namespace: default
spec:
  args:
    - name: prometheus-address
    - name: canary-hash
  metrics:
    - name: canary-error-ratio
      interval: ${o.interval}
      # No canary traffic yet (no series, or 0/0) is not a failure.
      successCondition: len(result) == 0 || isNaN(result[0]) || result[0] < 0.05
      failureLimit: ${o.failureLimit}
      provider:
        prometheus:
          address: "{{args.prometheus-address}}"
          query: |
            sum(rate(number_of_request_reject_total{rollouts_pod_template_hash="{{args.canary-hash}}"}[10s]))
            /
            sum(rate(number_of_request_receive_by_master_total{rollouts_pod_template_hash="{{args.canary-hash}}"}[10s]))
`;
}

/** The canary's `analysis:` running the template in the background, indented for `spec.strategy.canary`. */
export function errorRatioAnalysis(o: ErrorRatioOptions): string {
  return `      analysis:
        templates:
          - templateName: canary-error-ratio
        args:
          - name: prometheus-address
            value: ${o.prometheus}
          - name: canary-hash
            valueFrom:
              podTemplateHashValue: Latest`;
}
