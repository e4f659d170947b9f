// What a data plane does with one class of requests, as each router's model decides it from the
// routing objects: where the requests go, by weight (a Service's ready pods, or an answer the data
// plane gives itself), and which copies it mirrors. The traffic model turns decisions into counts.
import type { RequestClass } from './request-mix';
import type { Subset } from './service-endpoints';

/** Something wrong in an object the traffic follows: which object, which field, what. */
export interface RoutingProblem {
  /** `Kind namespace/name`, e.g. `HTTPRoute default/shop`. */
  object: string;
  /** The field path, e.g. `spec.rules[0].backendRefs[1].weight` (empty for the object as a whole). */
  field: string;
  message: string;
}

export type Destination =
  /**
   * Forwarded to the ready pods the Service's selector selects, only those with the subset's labels when
   * one is given (the router checked there are some).
   */
  | { kind: 'pods'; service: string; subset?: Subset }
  /**
   * Answered by the data plane itself, never reaching a pod: `code` is an HTTP status (`404`, `500`,
   * `503`, `302`), a gRPC status (`UNAVAILABLE`, `UNIMPLEMENTED`) or what a connection gets
   * (`rejected`, `refused`, `unresolved`); `service` is the backend it was meant for ('' for none).
   */
  | { kind: 'answer'; code: string; service: string; reason: string };

/** Copies of requests sent to a Service's pods, whose answers are dropped. */
export interface Mirror {
  /** Where the filter is, e.g. `rules[0].filters[1]`: keys its carried fraction. */
  id: string;
  service: string;
  /** Only the Service's pods with these labels (an Istio subset). */
  subset?: Subset;
  /** The share of requests copied, 0..1. */
  fraction: number;
}

export interface WeightedDestination {
  /** Relative to the other destinations of the decision; 0 gets nothing. */
  weight: number;
  destination: Destination;
  /** Copies of the requests sent to this destination (Gateway API backendRef-level RequestMirror filters). */
  mirrors: readonly Mirror[];
}

export interface RouteDecision {
  /** The rule that matched, e.g. `rules[1]`, `canary`, `service`; names it in /status and keys its carries. */
  rule: string;
  destinations: readonly WeightedDestination[];
  /** Copies of every request the rule matched (rule-level RequestMirror filters). */
  mirrors: readonly Mirror[];
}

/** One router's model, built from the objects as read at one tick. */
export interface Router {
  /** The entry point, e.g. `HTTPRoute default/shop`. */
  readonly entry: string;
  /** What was wrong with the objects (the router did what the data plane does despite it). */
  readonly problems: readonly RoutingProblem[];
  decide(request: RequestClass): RouteDecision;
}

/** The decision for requests the data plane answers itself. */
export function answered(rule: string, code: string, reason: string, service = ''): RouteDecision {
  return {
    rule,
    destinations: [{ weight: 1, destination: { kind: 'answer', code, service, reason }, mirrors: [] }],
    mirrors: [],
  };
}

/** A router whose objects leave it nothing to choose: every request gets `decision`. */
export function fixedRouter(entry: string, problems: ProblemList, decision: RouteDecision): Router {
  return { entry, problems: problems.items, decide: () => decision };
}

/** Collects problems while a router reads its objects. */
export class ProblemList {
  readonly items: RoutingProblem[] = [];
  constructor(private readonly object: string) {}

  add(field: string, message: string, object = this.object): void {
    if (!this.items.some((p) => p.object === object && p.field === field && p.message === message))
      this.items.push({ object, field, message });
  }
}
