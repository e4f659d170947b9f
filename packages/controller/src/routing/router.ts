// The traffic-router seam (one file per router, as Flagger's pkg/router): a router says which objects
// it reads, reads back the canary weight they carry, and plans, as data, the writes that bring them
// to what the decision wants (a weight, header and mirror routes). It never does I/O: the controller
// caches its objects (runtime/routing-caches.ts) and applies its writes (runtime/apply-routes.ts).
import type { StringMatch } from './string-match';

/** The kinds of objects routers read and write (route-resources.ts gives their API versions). */
export type RouteResourceName =
  | 'httproutes'
  | 'grpcroutes'
  | 'tcproutes'
  | 'tlsroutes'
  | 'ingresses'
  | 'trafficsplits'
  | 'virtualservices'
  | 'destinationrules'
  | 'apisixroutes'
  | 'traefikservices'
  | 'mappings';

/** A routing object as the API server holds it: plain JSON. */
export interface RouteObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    deletionTimestamp?: string;
    [field: string]: unknown;
  };
  spec?: unknown;
  [field: string]: unknown;
}

/** What a router watches: one object, or every object of a namespace (selectors, objects it owns). */
export interface RouteWatch {
  resource: RouteResourceName;
  namespace: string;
  /** Absent: the whole namespace. */
  name?: string;
}

/** Whether the cache of a resource can be read yet. */
export type ResourceState = { listed: true; apiVersion: string } | { listed: false; error?: string };

/** The routing objects as the caches hold them (read-only; never an API read). */
export interface RouteObjects {
  get(resource: RouteResourceName, namespace: string, name: string): RouteObject | undefined;
  list(resource: RouteResourceName, namespace: string): RouteObject[];
  state(resource: RouteResourceName): ResourceState;
}

export interface HeaderRoute {
  name: string;
  match: { headerName: string; headerValue: StringMatch }[];
}

export interface MirrorRoute {
  name: string;
  match: { method?: StringMatch; path?: StringMatch; headers?: Record<string, StringMatch> }[];
  /** Percent of the matched requests mirrored (default 100). */
  percentage?: number;
}

/** A managed route in force (setHeaderRoute / setMirrorRoute), named as in trafficRouting.managedRoutes. */
export type ManagedRoute = ({ type: 'header' } & HeaderRoute) | ({ type: 'mirror' } & MirrorRoute);

/** What the decision wants of the routing objects. */
export interface RouteIntent {
  /** The canary's share, out of maxWeight. */
  weight: number;
  maxWeight: number;
  /** The managed routes in force, in trafficRouting.managedRoutes order (the first wins ties). */
  managedRoutes: ManagedRoute[];
  /** Every name in trafficRouting.managedRoutes: rules of those names not in force are removed. */
  managedNames: string[];
  /**
   * The pod-template hash of the canary's pods (the new ReplicaSet's; while rolling back dynamically to
   * the stable, the previous canary's, as Argo's status.canary.weights.canary.podTemplateHash); absent
   * when there is none. Routers that select pods by subset (Istio's DestinationRule) label with it.
   */
  canaryHash?: string;
  /** The pod-template hash of the stable's pods; absent before the first stable. */
  stableHash?: string;
}

/** An Event a write is announced with (Argo's reasons, where Argo records one). */
export interface RouteEvent {
  reason: string;
  message: string;
}

/**
 * One write to a routing object (`message` says what it does, for the log). `update` sends what
 * differs from `current`, guarded by its resourceVersion.
 */
export type RouteWrite = (
  | { action: 'create'; resource: RouteResourceName; object: RouteObject }
  | { action: 'update'; resource: RouteResourceName; current: RouteObject; object: RouteObject }
  | { action: 'delete'; resource: RouteResourceName; current: RouteObject }
) & { message: string; event?: RouteEvent };

/** Why a router cannot act: the object, the field, what is wrong and how to fix it. */
export interface RouterProblem {
  /** `HTTPRoute default/web`. */
  object: string;
  /** `spec.rules[0].backendRefs`; absent when the object itself is the problem. */
  field?: string;
  message: string;
}

export type RouterRead =
  | { weight: number | undefined }
  | { problem: RouterProblem }
  /** A cache has not listed its objects yet (the controller just started, or began to watch them). */
  | { waiting: string };
export type RouterPlan = { writes: RouteWrite[] } | { problem: RouterProblem };

export interface TrafficRouter {
  /** Argo's name for it (`GatewayAPI`, `Nginx`, `SMI`), as events and logs say. */
  readonly type: string;
  /**
   * false when Ramp cannot verify that the traffic really moved (ALB: Argo checks the target groups
   * through the AWS API, which Ramp does not call): status.canary.weights.verified then stays unset.
   */
  readonly verifiable?: boolean;
  /** The objects it reads. */
  watches(): RouteWatch[];
  /**
   * The canary weight the objects carry now (undefined when they disagree or carry none yet), or why
   * the objects cannot be routed (missing, malformed).
   */
  read(objects: RouteObjects): RouterRead;
  /** Pure: the writes that bring the objects to `intent` (none when they are there already). */
  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan;
}

/** `Kind namespace/name`, as problems and messages name an object. */
export function describeObject(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}

/** Why a resource's objects cannot be read yet: a problem (its list fails), or waiting (not listed yet). */
export function unreadable(
  objects: RouteObjects,
  resource: RouteResourceName,
  kind: string,
): { problem: RouterProblem } | { waiting: string } | undefined {
  const state = objects.state(resource);
  if (state.listed) return undefined;
  if (!state.error) return { waiting: `the ${kind} cache to list` };
  return { problem: { object: `${kind} objects`, message: `cannot be listed: ${state.error}` } };
}
