// Rollouts and templates for the decision tests.
import type { AnalysisTemplate, Rollout } from '@ramp/api';

export function canaryRollout(
  steps: NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps'],
  extra: Record<string, unknown> = {},
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo', namespace: 'default' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'app', image: 'demo:1' }] },
      },
      strategy: { canary: { steps, ...extra } },
    },
  };
}

export function blueGreenRollout(extra: Record<string, unknown> = {}): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'bg', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'bg' } },
      template: {
        metadata: { labels: { app: 'bg' } },
        spec: { containers: [{ name: 'app', image: 'bg:1' }] },
      },
      strategy: { blueGreen: { activeService: 'bg-active', previewService: 'bg-preview', ...extra } },
    },
  };
}

export function template(name: string): AnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, namespace: 'default' },
    spec: {
      args: [{ name: 'hash' }],
      metrics: [
        {
          name: 'ok',
          interval: '5s',
          successCondition: 'result == "ok"',
          provider: { web: { url: 'http://127.0.0.1:1/{{args.hash}}' } },
        },
      ],
    },
  };
}
