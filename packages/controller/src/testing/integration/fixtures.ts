// The objects the integration tests deploy: copies of the seed examples and of Argo's
// examples/rollout-canary.yaml (durations shortened to seconds), Services, and analysis templates
// for the web and job providers.
import type { AnalysisTemplate, CanaryStep, Rollout } from '@ramp/api';
import type { Service } from '../../model/kube-objects';

type Canary = NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>;
type BlueGreen = NonNullable<NonNullable<Rollout['spec']['strategy']>['blueGreen']>;

const NS = 'default';

function rollout(
  name: string,
  replicas: number,
  image: string,
  strategy: Rollout['spec']['strategy'],
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] },
      },
      strategy,
    },
  };
}

/** seed-examples/example-rollout.yaml: 3 replicas, 20%, then a pause (1h there; `pause` here). */
export function seedCanary(pause: CanaryStep['pause'] = {}): Rollout {
  return rollout('example-rollout', 3, 'your-image:latest', {
    canary: { steps: [{ setWeight: 20 }, { pause }] },
  });
}

/** Argo's examples/rollout-canary.yaml, with its 40s/20s/20s pauses shortened to 2s/1s/1s. */
export function argoCanary(): Rollout {
  const ro = rollout('rollout-canary', 5, 'argoproj/rollouts-demo:blue', {
    canary: {
      steps: [
        { setWeight: 20 },
        { pause: {} },
        { setWeight: 40 },
        { pause: { duration: '2s' } },
        { setWeight: 60 },
        { pause: { duration: '1s' } },
        { setWeight: 80 },
        { pause: { duration: '1s' } },
      ],
    },
  });
  ro.spec.revisionHistoryLimit = 2;
  return ro;
}

/** seed-examples/bluegreen-rollout.yaml (autoPromotionEnabled false), scaleDownDelaySeconds 2. */
export function seedBlueGreen(extra: Partial<BlueGreen> = {}): Rollout {
  return rollout('bluegreen-rollout', 2, 'myapp:latest', {
    blueGreen: {
      activeService: 'myapp-active',
      previewService: 'myapp-preview',
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 2,
      ...extra,
    },
  });
}

/** A 5-replica canary named `name` with stable and canary Services `<name>-stable`/`<name>-canary`. */
export function canary(name: string, steps: CanaryStep[], extra: Partial<Canary> = {}): Rollout {
  return rollout(name, 5, `${name}:v1`, {
    canary: { canaryService: `${name}-canary`, stableService: `${name}-stable`, steps, ...extra },
  });
}

export function service(name: string, app: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { selector: { app }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] },
  };
}

/** The Services a canary from `canary()` names. */
export const canaryServices = (name: string): Service[] => [
  service(`${name}-stable`, name),
  service(`${name}-canary`, name),
];

export interface WebMetricOptions {
  /** Measurements before the run succeeds (none: measure until terminated). */
  count?: number;
  interval?: string;
}

/**
 * A template measuring `url` (the test's own HTTP server): `{"status": "ok"}` passes, `"bad"` fails,
 * anything else is inconclusive. The rollout's pod-template hash goes into the query.
 */
export function webTemplate(name: string, url: string, opts: WebMetricOptions = {}): AnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, namespace: NS },
    spec: {
      args: [{ name: 'hash' }],
      metrics: [
        {
          name: 'web-check',
          interval: opts.interval ?? '1s',
          ...(opts.count !== undefined ? { count: opts.count } : {}),
          successCondition: 'result == "ok"',
          failureCondition: 'result == "bad"',
          provider: { web: { url: `${url}?hash={{args.hash}}`, jsonPath: '{$.status}' } },
        },
      ],
    },
  };
}

/** The Rollout side of a template taking `hash`: the current revision's pod-template hash. */
export const latestHashArgs = [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }];

/** A template whose one measurement is a Job running `sh -c "<script>"`. */
export function jobTemplate(name: string, script: string): AnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, namespace: NS },
    spec: {
      metrics: [
        {
          name: 'job-check',
          provider: {
            job: {
              spec: {
                backoffLimit: 0,
                template: {
                  spec: {
                    restartPolicy: 'Never',
                    containers: [{ name: 'check', image: 'busybox:1.36', command: ['sh', '-c', script] }],
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}
