// What `get rollout` shows of a routed canary's traffic: its routers, the weights the controller recorded
// (status.canary.weights, verified or not), the TrafficRouting condition when it is False, and each
// routing object as read now, with the weights it carries and whether they are the recorded ones (an
// Istio DestinationRule: the pod-template hashes its subsets select, against the recorded ones).
import { maxTrafficWeightOf, type Rollout } from '@ramp/api';
import type { RolloutObj } from '../kube/model';
import type { RouteKind } from '../kube/route-kinds';
import type { ReadProblem, RouteRead } from '../kube/route-reader';
import { type RouterType, routersNotRun, routeTargets, splitServices } from '../kube/routing-targets';
import { type CarriedWeights, carriedWeights, type RouteContext, type Split } from './route-weights';

export type RouteStatus =
  | 'Synced'
  | 'OutOfSync'
  | 'Found'
  | 'Invalid'
  | 'NotFound'
  | 'NoMatch'
  | 'Forbidden'
  | 'NotServed'
  | 'Unreadable';

export const ROUTE_ICON: Record<RouteStatus, string> = {
  Synced: '✔',
  OutOfSync: '◌',
  Found: '•',
  Invalid: '✖',
  NotFound: '⚠',
  NoMatch: '⚠',
  Forbidden: '⚠',
  NotServed: '⚠',
  Unreadable: '⚠',
};

export interface RouteInfo {
  router: RouterType;
  kind: RouteKind;
  namespace: string;
  /** The object's name; absent for a selector that matched nothing. */
  name?: string;
  /** The label selector that found it (or found nothing), as `key=value,...`. */
  selector?: string;
  /** Nginx: the stable Ingress the canary Ingress is copied from. */
  stableIngress?: string;
  /** Ambassador: the Mapping the canary Mapping is copied from. */
  baseMapping?: string;
  apiVersion?: string;
  created?: string;
  /** Synced: carries the recorded canary weight; OutOfSync: another; Found: nothing recorded to compare. */
  status: RouteStatus;
  icon: string;
  splits: Split[];
  /** Istio DestinationRule: its canary and stable subsets, each with the pod-template hash it selects. */
  subsets?: { canary: SubsetInfo; stable: SubsetInfo };
  /** Why it is not Synced, in a few words. */
  note?: string;
}

export interface SubsetInfo {
  name: string;
  /** The subset's rollouts-pod-template-hash label; absent when it has none (or the subset is missing). */
  hash?: string;
}

type Weights = NonNullable<NonNullable<NonNullable<Rollout['status']>['canary']>['weights']>;

export interface TrafficInfo {
  routers: RouterType[];
  /** Argo's routers and plugins the Rollout names that Ramp does not run. */
  notRun: string[];
  maxWeight: number;
  /** status.canary.weights as the controller wrote it. */
  weights?: Weights;
  /** The TrafficRouting condition, when it is False: why the rollout waits. */
  error?: { reason: string; message: string };
  objects: RouteInfo[];
}

export const TRAFFIC_ROUTING_CONDITION = 'TrafficRouting';

/** Why a routing object could not be read, in a few words. */
function readNote(problem: ReadProblem, read: RouteRead): string {
  const { target } = read;
  switch (problem.reason) {
    case 'NotFound':
      if (target.router === 'Nginx') return `not found: Ramp creates it from Ingress ${target.stableIngress}`;
      if (target.router === 'SMI') return 'not found: Ramp creates it';
      if (target.router === 'Ambassador') return 'not found: Ramp creates it at the first weight';
      return `not found in namespace ${target.namespace}`;
    case 'NoMatch':
      return `no ${target.kind} in namespace ${target.namespace} has these labels`;
    case 'Forbidden':
      return `forbidden: you may not ${problem.verb} ${problem.resource} in namespace ${target.namespace}`;
    case 'NotServed':
      return `the cluster does not serve ${problem.resource} (${(problem.versions ?? []).join(', ')})`;
    case 'Unreadable': {
      const message = (problem.message ?? '').split('\n')[0]!;
      return `cannot read: ${message.length > 120 ? `${message.slice(0, 117)}...` : message}`;
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A selector as `app=web,tier in (a,b)`; it comes from the plugin's free-form config, so any shape. */
function selectorText(read: RouteRead): string | undefined {
  const selector: unknown = read.target.selector;
  if (!isRecord(selector)) return undefined;
  const labels = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const terms = [
    ...labels.map(([k, v]) => `${k}=${String(v)}`),
    ...expressions.filter(isRecord).map((e) => {
      const values = Array.isArray(e.values) && e.values.length ? ` (${e.values.join(',')})` : '';
      return `${String(e.key)} ${String(e.operator)}${values}`;
    }),
  ];
  return terms.join(',') || '(everything)';
}

/** What the controller recorded in status.canary.weights: the canary's weight and both hashes. */
interface Recorded {
  weight?: number;
  canaryHash?: string;
  stableHash?: string;
}

type Verdict = Pick<RouteInfo, 'status' | 'icon' | 'splits' | 'subsets' | 'note'>;

const verdict = (status: RouteStatus, rest: Omit<Verdict, 'status' | 'icon'>): Verdict => ({
  status,
  icon: ROUTE_ICON[status],
  ...rest,
});

/** A DestinationRule: Synced when its subsets select the hashes the rollout records. */
function subsetVerdict(carried: CarriedWeights, read: RouteRead, recorded: Recorded): Verdict {
  const names = read.target.subsets ?? { canary: '', stable: '' };
  const subset = (what: 'canary' | 'stable'): SubsetInfo => {
    const hash = carried.hashes?.[what];
    return { name: names[what], ...(hash ? { hash } : {}) };
  };
  const subsets = { canary: subset('canary'), stable: subset('stable') };
  if (carried.problem) return verdict('Invalid', { splits: [], subsets, note: carried.problem });
  const { canaryHash, stableHash } = recorded;
  if (canaryHash === undefined || stableHash === undefined) return verdict('Found', { splits: [], subsets });
  if (subsets.canary.hash === canaryHash && subsets.stable.hash === stableHash) {
    return verdict('Synced', { splits: [], subsets });
  }
  const note = `the rollout records canary ${canaryHash}, stable ${stableHash}`;
  return verdict('OutOfSync', { splits: [], subsets, note });
}

/** A routing object with the weights it carries: Synced when every split is the recorded weight. */
function weightVerdict(carried: CarriedWeights, recorded: Recorded): Verdict {
  const { splits, problem } = carried;
  if (problem) return verdict('Invalid', { splits, note: problem });
  // nothing recorded, or nothing carried, to compare
  if (recorded.weight === undefined || splits.length === 0) return verdict('Found', { splits });
  if (splits.every((s) => s.share === recorded.weight)) return verdict('Synced', { splits });
  return verdict('OutOfSync', { splits, note: `the rollout records canary ${recorded.weight}` });
}

function routeInfo(read: RouteRead, ctx: RouteContext, recorded: Recorded): RouteInfo {
  const { target } = read;
  const base = {
    router: target.router,
    kind: target.kind,
    namespace: target.namespace,
    ...(target.name !== undefined ? { name: target.name } : {}),
    ...(target.selector ? { selector: selectorText(read) } : {}),
    ...(target.stableIngress !== undefined ? { stableIngress: target.stableIngress } : {}),
    ...(target.baseMapping !== undefined ? { baseMapping: target.baseMapping } : {}),
  };
  if ('problem' in read) {
    // Ramp deletes the Ambassador canary Mapping at weight 0: absent is how weight 0 looks
    if (target.router === 'Ambassador' && read.problem.reason === 'NotFound' && recorded.weight === 0) {
      const splits = [{ canary: 0, stable: 100, share: 0 }];
      return {
        ...base,
        ...verdict('Synced', { splits, note: 'absent at weight 0: Ramp creates it at the first weight' }),
      };
    }
    const status = read.problem.reason;
    return { ...base, status, icon: ROUTE_ICON[status], splits: [], note: readNote(read.problem, read) };
  }
  const { object } = read;
  const found = {
    ...base,
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.metadata.creationTimestamp ? { created: object.metadata.creationTimestamp } : {}),
  };
  const carried = carriedWeights(target, object, ctx);
  const result =
    target.kind === 'DestinationRule'
      ? subsetVerdict(carried, read, recorded)
      : weightVerdict(carried, recorded);
  return { ...found, ...result };
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** How the routers read the Rollout: the Services they split between and each router's own settings. */
function routeContext(ro: RolloutObj, maxWeight: number): RouteContext {
  const canary: Fields = isFields(ro.spec.strategy?.canary) ? (ro.spec.strategy.canary as Fields) : {};
  const routing: Fields = isFields(canary.trafficRouting) ? canary.trafficRouting : {};
  const field = (router: string, key: string) => {
    const config = routing[router];
    return isFields(config) ? nonEmpty(config[key]) : undefined;
  };
  const dr = routeTargets(ro, '').find((t) => t.kind === 'DestinationRule');
  const managed = Array.isArray(routing.managedRoutes) ? routing.managedRoutes.filter(isFields) : [];
  return {
    services: splitServices(ro, 'Istio'),
    albServices: splitServices(ro, 'ALB'),
    maxWeight,
    annotationPrefix: field('nginx', 'annotationPrefix') ?? 'nginx.ingress.kubernetes.io',
    alb: {
      annotationPrefix: field('alb', 'annotationPrefix') ?? 'alb.ingress.kubernetes.io',
      // Argo's ALBActionAnnotationKey: rootService, else the spec's stableService (not the ping-pong pair)
      actionService: field('alb', 'rootService') ?? nonEmpty(canary.stableService) ?? '',
    },
    ...(dr?.subsets ? { istioSubsets: dr.subsets } : {}),
    managedRoutes: managed.map((r) => nonEmpty(r.name)).filter((n): n is string => n !== undefined),
    rollout: { name: ro.metadata.name, ...(ro.metadata.uid ? { uid: ro.metadata.uid } : {}) },
  };
}

/** The traffic part of `get rollout`, or undefined for a Rollout without trafficRouting. */
export function trafficInfo(
  ro: RolloutObj,
  reads: readonly RouteRead[] | undefined,
): TrafficInfo | undefined {
  const canary = ro.spec.strategy?.canary;
  const routing = canary?.trafficRouting;
  if (!canary || !routing) return undefined;
  const maxWeight = maxTrafficWeightOf(canary as Record<string, unknown>).max;
  const ctx = routeContext(ro, maxWeight);
  const weights = ro.status?.canary?.weights;
  const recorded: Recorded = {
    ...(weights ? { weight: weights.canary.weight } : {}),
    ...(weights?.canary.podTemplateHash ? { canaryHash: weights.canary.podTemplateHash } : {}),
    ...(weights?.stable.podTemplateHash ? { stableHash: weights.stable.podTemplateHash } : {}),
  };
  const objects = (reads ?? []).map((read) => routeInfo(read, ctx, recorded));
  const condition = ro.status?.conditions?.find((c) => c.type === TRAFFIC_ROUTING_CONDITION);
  const routers = [...new Set(routeTargets(ro, '').map((t) => t.router))];
  return {
    routers,
    notRun: routersNotRun(ro),
    maxWeight,
    ...(weights ? { weights } : {}),
    ...(condition?.status === 'False'
      ? { error: { reason: condition.reason, message: condition.message } }
      : {}),
    objects,
  };
}
