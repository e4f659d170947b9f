// What a strategy decides about one Rollout, as a value: the sizes and annotations it wants on
// ReplicaSets, where its Services should point, the AnalysisRuns it needs, its own part of the
// status, the pause conditions, a lifecycle transition, the wake-up. The strategies (canary.ts,
// bluegreen.ts) only read their context and return this; compose.ts alone turns it into the plan.
import type { AnalysisRun, PauseCondition, RolloutStatus } from '@ramp/api';
import type { KubeEvent } from '../model/plan';
import type { RouteIntent, RouteObjects, TrafficRouter } from '../routing/router';
import type { LifecycleFacts, PromotionReason } from './lifecycle';
import type { ProgressFacts } from './progress';

import type { RolloutView } from './view';

/** A routed canary's routers and what their objects carry now (read back from the caches). */
export interface TrafficFacts {
  routers: TrafficRouter[];
  objects: RouteObjects;
  /** The canary weight in place: the same in every routing object, else undefined. */
  current: number | undefined;
  /** trafficRouting.maxTrafficWeight, or 100. */
  maxWeight: number;
}

/** What a routed canary wants of its routers, and the status.canary.weights that records it. */
export interface TrafficDecision {
  intent: RouteIntent;
  weights: NonNullable<NonNullable<RolloutStatus['canary']>['weights']>;
}

/** What a strategy reads: the Rollout's view, the time, and the status as the lifecycle left it. */
export interface DecisionContext {
  view: RolloutView;
  now: Date;
  /** `now` as Kubernetes writes times (whole seconds). */
  nowIso: string;
  /** The previous status after the lifecycle's start (new-revision and retry resets, abort vs promote-full). */
  status: Readonly<RolloutStatus>;
  lifecycle: LifecycleFacts;
  /** Present for a canary with trafficRouting. */
  traffic?: TrafficFacts;
}

/** What a decision wants of one ReplicaSet: a size, annotations to set (string) or remove (null). */
export interface ReplicaSetTarget {
  name: string;
  replicas?: number;
  annotations?: Record<string, string | null>;
}

/** Where a Service should send traffic: the pod-template hash it is to select. */
export interface ServiceTarget {
  name: string;
  hash: string;
}

/** The AnalysisRuns a decision needs: those in use (kept; the others are stopped) and those to create. */
export interface RunNeeds {
  inUse: string[];
  create: AnalysisRun[];
}

/** A lifecycle transition the strategy asks for; lifecycle.ts carries it out, the same for both. */
export type Transition = { kind: 'promote'; reason: PromotionReason } | { kind: 'abort'; message: string };

/** The pause conditions once the strategy is done, and whether it added one (controllerPause). */
export interface PauseOutcome {
  conditions: PauseCondition[];
  added: boolean;
}

/** The part of the status a strategy owns: its steps, its runs, its selectors. */
export type StrategyStatus = Pick<
  RolloutStatus,
  'currentStepIndex' | 'currentStepHash' | 'canary' | 'blueGreen'
>;

export interface StrategyDecision {
  /** Sizes and annotations per ReplicaSet; the new one's size is its size when it is created. */
  replicaSets: ReplicaSetTarget[];
  services: ServiceTarget[];
  runs: RunNeeds;
  status: StrategyStatus;
  pauses: PauseOutcome;
  transition?: Transition;
  progress: ProgressFacts;
  wakeAt?: Date;
  events: KubeEvent[];
  /** The spec cannot be run as it is (a template is missing, an arg has no value). */
  invalid?: string;
  /**
   * The canary weight in force (percent of traffic meant for the new revision). Without a router
   * it is approximated by the replica counts; with one, `traffic` says what the routers apply.
   */
  weight?: number;
  /** A routed canary: the weight and managed routes for its routers (none: leave the routes as they are). */
  traffic?: TrafficDecision;
}

/** Runs, wake-ups and events gathered from the parts of one decision. */
export function gather<T extends { runs?: RunNeeds; events?: KubeEvent[]; wakeAt?: Date }>(
  parts: readonly (T | undefined)[],
): { runs: RunNeeds; events: KubeEvent[]; wakeAt?: Date } {
  const runs: RunNeeds = { inUse: [], create: [] };
  const events: KubeEvent[] = [];
  let wakeAt: Date | undefined;
  for (const part of parts) {
    if (!part) continue;
    runs.inUse.push(...(part.runs?.inUse ?? []));
    runs.create.push(...(part.runs?.create ?? []));
    events.push(...(part.events ?? []));
    wakeAt = earlier(wakeAt, part.wakeAt);
  }
  return { runs, events, ...(wakeAt ? { wakeAt } : {}) };
}

/** The earlier of two times; an invalid time (a duration beyond what a Date holds) counts as none. */
export function earlier(a: Date | undefined, b: Date | undefined): Date | undefined {
  const valid = (d: Date | undefined) => (d && !Number.isNaN(d.getTime()) ? d : undefined);
  const x = valid(a);
  const y = valid(b);
  if (!x) return y;
  if (!y) return x;
  return x.getTime() <= y.getTime() ? x : y;
}
