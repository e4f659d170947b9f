// Objects and helpers shared by the validation tests.
import { validateObject } from '../validate/validate';

export const rollout = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'demo' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'demo' } },
    template: {
      metadata: { labels: { app: 'demo' } },
      spec: { containers: [{ name: 'app', image: 'demo:1' }] },
    },
    strategy: {
      canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1h' } }, { pause: {} }] },
    } as Record<string, unknown>,
  } as Record<string, unknown>,
});

export const template = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'rate' },
  spec: {
    args: [{ name: 'address' }],
    metrics: [
      {
        name: 'errors',
        interval: '5s',
        failureLimit: 4,
        successCondition: 'result[0] < 0.05',
        provider: { prometheus: { address: '{{args.address}}', query: 'sum(rate(x[1m]))' } },
      },
    ] as Record<string, unknown>[],
  } as Record<string, unknown>,
});

export type Obj = Record<string, unknown>;
export function at(obj: Obj, path: string): Obj {
  return path.split('.').reduce<Obj>((o, k) => o[k] as Obj, obj);
}

export function findings(doc: unknown) {
  return validateObject(doc).findings.map((f) => `${f.severity} ${f.path}: ${f.message}`);
}
