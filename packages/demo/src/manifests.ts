// The demo's objects: the seed AnalysisTemplate and the seed canary with background analysis, from
// examples/, adjusted only where the demo must (its Prometheus address, or the web provider when
// Prometheus is not installed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisTemplate, Rollout } from '@ramp/api';
import { parse } from 'yaml';

export const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

export function seedTemplate(judge: { prometheus: string } | { web: string }): AnalysisTemplate {
  const template = parse(readFileSync(join(EXAMPLES, 'analysis-template.yaml'), 'utf8')) as AnalysisTemplate;
  if ('prometheus' in judge) {
    template.spec.args = [{ name: 'prometheus-address', value: judge.prometheus }];
    return template;
  }
  // Without Prometheus: the same verdict rule over the same ratio, read from the traffic app.
  const metric = template.spec.metrics![0]!;
  template.spec.args = [];
  metric.successCondition = 'result < 0.05';
  metric.provider = { web: { url: `${judge.web}/ratio`, jsonPath: '{$.rejectRatio}', timeoutSeconds: 5 } };
  return template;
}

export function seedCanary(): Rollout {
  const rollout = parse(readFileSync(join(EXAMPLES, 'canary-with-analysis.yaml'), 'utf8')) as Rollout;
  rollout.metadata.namespace = 'default';
  return rollout;
}

export const imageOf = (rollout: Rollout): string => rollout.spec.template?.spec?.containers[0]?.image ?? '';

/** The JSON patch that sets the (only) container's image, as `kubectl ramp set image` does. */
export function withImage(image: string): { op: 'replace'; path: string; value: string }[] {
  return [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }];
}
