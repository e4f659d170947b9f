// Argo Rollouts' defaults, applied where a field is absent. One function per field, so every
// decision reads the same default (the controller never copies defaults into the object).
import type { Metric } from './schema/analysis';
import type { BlueGreenStrategy, CanaryStrategy, Rollout } from './schema/rollout';
import { intFromIntOrString } from './values/int-or-percent';

export const DEFAULTS = {
  replicas: 1,
  maxSurge: '25%',
  maxUnavailable: '25%',
  progressDeadlineSeconds: 600,
  revisionHistoryLimit: 10,
  autoPromotionEnabled: true,
  scaleDownDelaySeconds: 30,
  abortScaleDownDelaySeconds: 30,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  measurementRetention: 10,
  prometheusTimeoutSeconds: 30,
  webTimeoutSeconds: 10,
  successfulRunHistoryLimit: 5,
  unsuccessfulRunHistoryLimit: 5,
} as const;

type Spec = Rollout['spec'];

export const replicasOf = (spec: Spec): number => spec.replicas ?? DEFAULTS.replicas;
export const revisionHistoryLimitOf = (spec: Spec): number =>
  spec.revisionHistoryLimit ?? DEFAULTS.revisionHistoryLimit;
export const progressDeadlineSecondsOf = (spec: Spec): number =>
  spec.progressDeadlineSeconds ?? DEFAULTS.progressDeadlineSeconds;
export const minReadySecondsOf = (spec: Spec): number => spec.minReadySeconds ?? 0;

export const maxSurgeOf = (canary: CanaryStrategy): number | string => canary.maxSurge ?? DEFAULTS.maxSurge;
export const maxUnavailableOf = (s: CanaryStrategy | BlueGreenStrategy): number | string =>
  s.maxUnavailable ?? DEFAULTS.maxUnavailable;

export const autoPromotionEnabledOf = (bg: BlueGreenStrategy): boolean =>
  bg.autoPromotionEnabled ?? DEFAULTS.autoPromotionEnabled;
export const scaleDownDelaySecondsOf = (s: CanaryStrategy | BlueGreenStrategy): number =>
  s.scaleDownDelaySeconds ?? DEFAULTS.scaleDownDelaySeconds;
export const abortScaleDownDelaySecondsOf = (s: CanaryStrategy | BlueGreenStrategy): number =>
  s.abortScaleDownDelaySeconds ?? DEFAULTS.abortScaleDownDelaySeconds;

/** A limit given as IntOrString, after args substitution; `undefined` input gives the default. */
function limit(value: number | string | undefined, fallback: number): number {
  return intFromIntOrString(value) ?? fallback;
}

export const failureLimitOf = (m: Metric): number => limit(m.failureLimit, DEFAULTS.failureLimit);
export const inconclusiveLimitOf = (m: Metric): number =>
  limit(m.inconclusiveLimit, DEFAULTS.inconclusiveLimit);
export const consecutiveErrorLimitOf = (m: Metric): number =>
  limit(m.consecutiveErrorLimit, DEFAULTS.consecutiveErrorLimit);
/** 0 means "not set": the metric does not complete early on consecutive successes. */
export const consecutiveSuccessLimitOf = (m: Metric): number => limit(m.consecutiveSuccessLimit, 0);

/**
 * Argo's Metric.EffectiveCount: no count and no interval → 1; interval only → undefined (until
 * terminated); otherwise the count.
 */
export function effectiveCountOf(m: Metric): number | undefined {
  const count = intFromIntOrString(m.count);
  if (count === undefined || count === 0) return m.interval ? undefined : 1;
  return count;
}
