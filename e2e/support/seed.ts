// The seed analysis objects (examples/analysis-template.yaml, examples/canary-with-analysis.yaml)
// as the e2e scenarios apply them: the template pointed at the test's Prometheus, or turned to
// the web provider over the traffic app's /ratio (same rule, same ratio); pauses shortened.
import { readYaml } from './harness';

export const SEED_ROLLOUT = 'sgdecoding-online-scaled';
export const SEED_SELECTOR = 'app=sgdecoding-online-scaled';
export const GOOD = 'ghcr.io/kaikiat/fyp-ci:v1';
export const REPO = 'ghcr.io/kaikiat/fyp-ci';

interface Metric {
  name: string;
  interval: string;
  successCondition: string;
  failureLimit: number;
  provider: Record<string, unknown>;
}
export interface TemplateDoc {
  kind: string;
  spec: { args?: { name: string; value?: string }[]; metrics: Metric[] };
}
export interface CanaryDoc {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    template: { spec: { containers: { name: string; image: string }[] } };
    strategy: { canary: { steps: ({ setWeight: number } | { pause: { duration?: string } })[] } };
  };
}

export function seedTemplate(judge: { prometheus: string } | { web: string }): TemplateDoc {
  const template = readYaml<TemplateDoc>('analysis-template.yaml')[0]!;
  if ('prometheus' in judge) {
    template.spec.args = [{ name: 'prometheus-address', value: judge.prometheus }];
    return template;
  }
  const metric = template.spec.metrics[0]!;
  template.spec.args = [];
  metric.successCondition = 'result < 0.05';
  metric.provider = { web: { url: `${judge.web}/ratio`, jsonPath: '{$.rejectRatio}', timeoutSeconds: 5 } };
  return template;
}

/** The seed canary with every pause set to `pause` (the seed has 30s). */
export function seedCanary(pause: string): CanaryDoc {
  const rollout = readYaml<CanaryDoc>('canary-with-analysis.yaml')[0]!;
  rollout.spec.strategy.canary.steps = rollout.spec.strategy.canary.steps.map((step) =>
    'pause' in step ? { pause: { duration: pause } } : step,
  );
  return rollout;
}
