// The app's /status document: what the traffic follows, the problems found in the objects, how
// each class of requests was routed at the last tick, and the counts so far per backend and
// version (client-facing requests only; mirrored copies and the data plane's answers apart).
import type { RoutingProblem } from './route-decision';
import type { AnswerCounts, RoutedCounts, RouteUse } from './routed-traffic-model';
import type { PodCounts } from './traffic-model';

export interface ShareCounts {
  received: number;
  rejected: number;
  /** Of the client-facing requests the present pods received, 0..1. */
  share: number;
}

export interface TrafficStatus {
  mode: 'selector' | 'route';
  /** `HTTPRoute default/shop`, or `pods default/app=shop` in selector mode. */
  following: string;
  requestsPerSecond: number;
  /** When the counters last advanced (ISO 8601); absent before the first tick. */
  lastTick?: string;
  problems: RoutingProblem[];
  /** Requests sent since the start (route mode). */
  sent?: number;
  backends: ({ backend: string; mirrored: number } & ShareCounts)[];
  versions: ({ version: string } & ShareCounts)[];
  answers: AnswerCounts[];
  mirrorsDropped: number;
  routes: RouteUse[];
}

export function routedStatus(
  following: string,
  requestsPerSecond: number,
  counts: RoutedCounts,
  problems: readonly RoutingProblem[],
  lastTick?: Date,
): TrafficStatus {
  const total = counts.pods.reduce((n, c) => n + c.received, 0);
  const backends = new Map<string, { backend: string; mirrored: number } & ShareCounts>();
  for (const c of counts.pods) {
    const b = backends.get(c.backend) ?? {
      backend: c.backend,
      received: 0,
      rejected: 0,
      share: 0,
      mirrored: 0,
    };
    b.received += c.received;
    b.rejected += c.rejected;
    b.mirrored += c.mirrored;
    b.share = total > 0 ? b.received / total : 0;
    backends.set(c.backend, b);
  }
  return {
    mode: 'route',
    following,
    requestsPerSecond,
    ...(lastTick ? { lastTick: lastTick.toISOString() } : {}),
    problems: [...problems],
    sent: counts.sent,
    backends: [...backends.values()],
    versions: byVersion(counts.pods),
    answers: counts.answers,
    mirrorsDropped: counts.mirrorsDropped,
    routes: counts.routes,
  };
}

export function selectorStatus(
  following: string,
  requestsPerSecond: number,
  counts: readonly PodCounts[],
  problems: readonly RoutingProblem[],
  lastTick?: Date,
): TrafficStatus {
  return {
    mode: 'selector',
    following,
    requestsPerSecond,
    ...(lastTick ? { lastTick: lastTick.toISOString() } : {}),
    problems: [...problems],
    backends: [],
    versions: byVersion(counts),
    answers: [],
    mirrorsDropped: 0,
    routes: [],
  };
}

function byVersion(counts: readonly { version: string; received: number; rejected: number }[]) {
  const total = counts.reduce((n, c) => n + c.received, 0);
  const versions = new Map<string, { version: string } & ShareCounts>();
  for (const c of counts) {
    const v = versions.get(c.version) ?? { version: c.version, received: 0, rejected: 0, share: 0 };
    v.received += c.received;
    v.rejected += c.rejected;
    v.share = total > 0 ? v.received / total : 0;
    versions.set(c.version, v);
  }
  return [...versions.values()];
}

/**
 * The reject ratio of one version's pods (its pod-template hash) since they started, as /ratio?version=
 * serves it: NaN when they received nothing (no such version, or no traffic yet).
 */
export function versionRejectRatio(status: TrafficStatus, version: string): number {
  const v = status.versions.find((x) => x.version === version);
  return v && v.received > 0 ? v.rejected / v.received : Number.NaN;
}
