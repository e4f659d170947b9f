// What `get rollout` shows of a routed canary's traffic: its routers, the weights the controller recorded
// (status.canary.weights, verified or not), the TrafficRouting condition when it is False, and each
// routing object as read now, with the weights it carries and whether they are the recorded ones.
import { maxTrafficWeightOf, type Rollout } from '@ramp/api';
import type { RolloutObj } from '../kube/model';
import type { RouteKind } from '../kube/route-kinds';
import type { ReadProblem, RouteRead } from '../kube/route-reader';
import { type RouterType, routersNotRun, routeTargets } from '../kube/routing-targets';
import { carriedWeights, type RouteContext, type Split } from './route-weights';

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
  apiVersion?: string;
  created?: string;
  /** Synced: carries the recorded canary weight; OutOfSync: another; Found: nothing recorded to compare. */
  status: RouteStatus;
  icon: string;
  splits: Split[];
  /** Why it is not Synced, in a few words. */
  note?: string;
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

function routeInfo(read: RouteRead, ctx: RouteContext, recorded: number | undefined): RouteInfo {
  const { target } = read;
  const base = {
    router: target.router,
    kind: target.kind,
    namespace: target.namespace,
    ...(target.name !== undefined ? { name: target.name } : {}),
    ...(target.selector ? { selector: selectorText(read) } : {}),
    ...(target.stableIngress !== undefined ? { stableIngress: target.stableIngress } : {}),
  };
  if ('problem' in read) {
    const status = read.problem.reason;
    return { ...base, status, icon: ROUTE_ICON[status], splits: [], note: readNote(read.problem, read) };
  }
  const { object } = read;
  const found = {
    ...base,
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.metadata.creationTimestamp ? { created: object.metadata.creationTimestamp } : {}),
  };
  const carried = carriedWeights(target.kind, object, ctx);
  const status: RouteStatus = carried.problem
    ? 'Invalid'
    : recorded === undefined
      ? 'Found'
      : carried.splits.every((s) => s.share === recorded)
        ? 'Synced'
        : 'OutOfSync';
  const note =
    carried.problem ?? (status === 'OutOfSync' ? `the rollout records canary ${recorded}` : undefined);
  return { ...found, status, icon: ROUTE_ICON[status], splits: carried.splits, ...(note ? { note } : {}) };
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
  const ctx: RouteContext = {
    services: { canary: canary.canaryService ?? '', stable: canary.stableService ?? '' },
    maxWeight,
    annotationPrefix: routing.nginx?.annotationPrefix || 'nginx.ingress.kubernetes.io',
    rollout: { name: ro.metadata.name, ...(ro.metadata.uid ? { uid: ro.metadata.uid } : {}) },
  };
  const weights = ro.status?.canary?.weights;
  const objects = (reads ?? []).map((read) => routeInfo(read, ctx, weights?.canary.weight));
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
