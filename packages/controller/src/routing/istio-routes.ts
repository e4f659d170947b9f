// The routes of an Istio VirtualService as Argo Rollouts' Istio reconciler reads and weights them:
// which HTTP, TLS and TCP routes carry the canary split (the ones the config names, or the only one),
// how a destination is told to be the canary, the stable, an additional subset or some other host,
// the canary's share a route carries, and the route with the canary's weight written. Pure functions
// of plain JSON that never throw on what a person may have written: a `Flaw` says what is wrong where.
import type { TrafficRouting } from '@ramp/api';

export type Json = Record<string, unknown>;
export const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

type IstioConfig = NonNullable<TrafficRouting['istio']>;
export type VirtualServiceConfig = NonNullable<IstioConfig['virtualService']>;

/** What is wrong in an object: the field, and what is wrong with how to fix it. */
export class Flaw {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
}
export const isFlaw = (v: unknown): v is Flaw => v instanceof Flaw;

/** How the canary and stable destinations are told apart. */
export interface SplitTargets {
  /** The canary and stable Services (short names; '' when the spec names none). */
  canary: string;
  stable: string;
  /** With a destinationRule: its canary and stable subsets, and the additional ones. */
  subsets?: { canary: string; stable: string; additional: readonly string[] };
}

export type RouteKind = 'http' | 'tls' | 'tcp';
const KIND_NAMES: Record<RouteKind, string> = { http: 'HTTP', tls: 'TLS', tcp: 'TCP' };

/** A route of the VirtualService that carries the split, with its destinations. */
export interface SplitRoute {
  kind: RouteKind;
  index: number;
  route: Json;
  destinations: Json[];
}

export const routeField = (kind: RouteKind, index: number) => `spec.${kind}[${index}]`;

/** spec.http, spec.tls or spec.tcp: undefined when absent (or null), a Flaw when not a list of routes. */
export function routesOf(spec: Json, kind: RouteKind): Json[] | undefined | Flaw {
  const list = spec[kind];
  if (list === undefined || list === null) return undefined;
  const bad = Array.isArray(list) ? list.findIndex((r) => !isJson(r)) : -1;
  if (!Array.isArray(list) || bad >= 0) {
    return new Flaw(
      Array.isArray(list) ? routeField(kind, bad) : `spec.${kind}`,
      `is not a list of ${KIND_NAMES[kind]} routes; write each route as a map with its "route" destinations`,
    );
  }
  return list as Json[];
}

export const routeName = (route: Json): string | undefined =>
  typeof route.name === 'string' && route.name !== '' ? route.name : undefined;

/**
 * Argo's getHost: a destination host up to its first dot, so `web` and `web.ns.svc.cluster.local`
 * both name the Service `web` (the namespace is not compared); '' for a host starting with a dot.
 */
export function shortHost(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}

const destinationOf = (d: Json) => d.destination as Json;
const hostOf = (d: Json) => shortHost(destinationOf(d).host as string);
const subsetOf = (d: Json) => (destinationOf(d).subset as string | null | undefined) ?? '';
/** A destination's weight (absent reads as 0, as Istio and Argo read it). */
export const weightOf = (d: Json) => (d.weight as number | null | undefined) ?? 0;

export type DestinationRole = 'canary' | 'stable' | 'additional' | 'other' | 'unnamed';

/** Argo's processRoutes: which side a destination is, by Service host or by subset. */
export function roleOf(destination: Json, targets: SplitTargets): DestinationRole {
  const host = hostOf(destination);
  const subset = subsetOf(destination);
  if (host === '') return 'unnamed';
  if (host === targets.canary || (subset !== '' && subset === targets.subsets?.canary)) return 'canary';
  if (host === targets.stable || (subset !== '' && subset === targets.subsets?.stable)) return 'stable';
  if (subset !== '' && targets.subsets?.additional.includes(subset)) return 'additional';
  return 'other';
}

/** A route's destinations, each checked for the shape Istio gives them (host, subset, whole weights). */
export function destinationsOf(route: Json, field: string): Json[] | Flaw {
  const list = route.route ?? [];
  if (!Array.isArray(list))
    return new Flaw(`${field}.route`, 'is not a list of destinations; write it as a list');
  for (const [i, d] of list.entries()) {
    const at = `${field}.route[${i}]`;
    const destination = isJson(d) ? d.destination : undefined;
    if (!isJson(d) || !isJson(destination) || typeof destination.host !== 'string')
      return new Flaw(`${at}.destination.host`, 'is not set; give each destination a host (a Service name)');
    if (
      destination.subset !== undefined &&
      destination.subset !== null &&
      typeof destination.subset !== 'string'
    )
      return new Flaw(`${at}.destination.subset`, 'is not a subset name; write it as a string');
    const weight = d.weight;
    if (
      weight !== undefined &&
      weight !== null &&
      !(typeof weight === 'number' && Number.isInteger(weight) && weight >= 0)
    )
      return new Flaw(
        `${at}.weight`,
        `is ${JSON.stringify(weight)}, not a whole number of 0 or more; write the weight as a number`,
      );
  }
  return list as Json[];
}

/** Argo's validateVirtualServiceRouteDestinations: the route reaches both the canary and the stable. */
export function missingSide(destinations: Json[], field: string, targets: SplitTargets): Flaw | undefined {
  const { subsets } = targets;
  const has = (side: 'canary' | 'stable') =>
    destinations.some((d) =>
      subsets
        ? subsets[side] !== '' && subsetOf(d) === subsets[side]
        : targets[side] !== '' && hostOf(d) === targets[side],
    );
  for (const side of ['canary', 'stable'] as const) {
    if (has(side)) continue;
    const message = subsets
      ? `has no destination to the ${side} subset "${subsets[side]}" of the destinationRule; route to the DestinationRule's host with subset "${subsets[side]}" beside the ${side === 'canary' ? 'stable' : 'canary'} one (weight 0 for the canary)`
      : `has no destination to the ${side} Service "${targets[side]}"; route to it beside the ${side === 'canary' ? 'stable' : 'canary'} Service (weight 0 for the canary)`;
    return new Flaw(`${field}.route`, message);
  }
  return undefined;
}

/**
 * The canary's share of a route, out of maxWeight. Istio's weights add up to 100 (Ramp writes them
 * out of maxTrafficWeight, which Argo allows with Istio only beside nginx or a plugin): any other
 * total is a route that someone else changed, or that was written wrong.
 */
export function canaryShare(
  destinations: Json[],
  field: string,
  targets: SplitTargets,
  maxWeight: number,
): number | Flaw {
  const total = destinations.reduce((n, d) => n + weightOf(d), 0);
  const canary = destinations
    .filter((d) => roleOf(d, targets) === 'canary')
    .reduce((n, d) => n + weightOf(d), 0);
  if (total === maxWeight) return canary;
  if (total === 100) return Math.round((canary * maxWeight) / 100);
  return new Flaw(
    `${field}.route`,
    `has weights that add up to ${total}, not ${maxWeight === 100 ? 100 : `100 or ${maxWeight}`}; set them to add up to 100 (the stable's weight 100 and the canary's 0, before a rollout)`,
  );
}

/**
 * The route with the canary's destinations at `weight` and the stable's at what is left once the
 * additional subsets keep theirs; destinations to other hosts that carry weight are dropped (Argo's
 * experiment clean-up: it removes them too), and a weight already right is left as written.
 */
export function weightedRoute(
  split: SplitRoute,
  targets: SplitTargets,
  weight: number,
  maxWeight: number,
): Json | Flaw {
  const field = routeField(split.kind, split.index);
  const additional = split.destinations
    .filter((d) => roleOf(d, targets) === 'additional')
    .reduce((n, d) => n + weightOf(d), 0);
  const stable = maxWeight - weight - additional;
  if (stable < 0) {
    return new Flaw(
      `${field}.route`,
      `gives the additional subsets ${additional} of ${maxWeight}, so a canary weight of ${weight} leaves the stable less than nothing; lower the additional subsets' weights or the step's weight`,
    );
  }
  const set = (d: Json, w: number) => (weightOf(d) === w ? d : { ...d, weight: w });
  const destinations = split.destinations.flatMap((d) => {
    const role = roleOf(d, targets);
    if (role === 'canary') return [set(d, weight)];
    if (role === 'stable') return [set(d, stable)];
    if (role === 'other' && weightOf(d) !== 0) return [];
    return [d];
  });
  return { ...split.route, route: destinations };
}

/** Where a VirtualService entry of the config sits, for the problems that name its fields. */
export interface EntryPath {
  config: VirtualServiceConfig;
  /** `spec.strategy.canary.trafficRouting.istio.virtualService` or `...virtualServices[1]`. */
  path: string;
}

/**
 * The routes of a VirtualService that carry the split for one config entry, checked (Argo's
 * ValidateHTTPRoutes, ValidateTlsRoutes, ValidateTcpRoutes): each named route present, exactly one
 * route of a kind when the config names none, and every chosen route reaching canary and stable. A
 * kind the VirtualService does not have at all is skipped, as Argo skips it.
 */
export function splitRoutes(
  spec: Json,
  entry: EntryPath,
  managedNames: ReadonlySet<string>,
  targets: SplitTargets,
): SplitRoute[] | Flaw {
  const out: SplitRoute[] = [];
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    const routes = routesOf(spec, kind);
    if (routes === undefined) continue;
    if (isFlaw(routes)) return routes;
    const chosen =
      kind === 'http'
        ? chooseHttp(routes, entry, managedNames)
        : chooseByPort(kind, routes, entry, kind === 'tls' ? entry.config.tlsRoutes : entry.config.tcpRoutes);
    if (isFlaw(chosen)) return chosen;
    for (const index of chosen) {
      const field = routeField(kind, index);
      const route = routes[index]!;
      const destinations = destinationsOf(route, field);
      if (isFlaw(destinations)) return destinations;
      const missing = missingSide(destinations, field, targets);
      if (missing) return missing;
      out.push({ kind, index, route, destinations });
    }
  }
  return out;
}

/** The HTTP routes named in `routes`, or the only one the user wrote (managed routes aside). */
function chooseHttp(routes: Json[], entry: EntryPath, managedNames: ReadonlySet<string>): number[] | Flaw {
  const names = entry.config.routes ?? [];
  if (names.length === 0) {
    const user = routes.flatMap((r, i) => (managedNames.has(routeName(r) ?? '') ? [] : [i]));
    if (user.length <= 1) return user;
    return new Flaw(
      'spec.http',
      `has ${user.length} HTTP routes; name the ones the canary shares in ${entry.path}.routes (the route is inferred only when there is exactly one)`,
    );
  }
  const chosen: number[] = [];
  for (const [i, name] of names.entries()) {
    const index = routes.findIndex((r) => routeName(r) === name);
    if (index < 0) {
      return new Flaw(
        'spec.http',
        `has no HTTP route named "${name}" (${entry.path}.routes[${i}]); name the route in the VirtualService, or fix the name in the Rollout`,
      );
    }
    if (!chosen.includes(index)) chosen.push(index);
  }
  return chosen;
}

type PortConfig = { port?: number; sniHosts?: string[] };

/**
 * The TLS or TCP routes the config's entries match (Argo's searchTlsRoute / searchTcpRoute): the
 * route's matches name exactly one port (a match without one counts as port 0), equal to the entry's
 * (0 when absent), and for TLS the SNI hosts of all its matches are the entry's, in any order. With no
 * entries, the only route of the kind.
 */
function chooseByPort(
  kind: 'tls' | 'tcp',
  routes: Json[],
  entry: EntryPath,
  wanted: PortConfig[] | undefined,
): number[] | Flaw {
  const configField = `${entry.path}.${kind}Routes`;
  if (!wanted?.length) {
    if (routes.length <= 1) return routes.map((_, i) => i);
    return new Flaw(
      `spec.${kind}`,
      `has ${routes.length} ${KIND_NAMES[kind]} routes; list the ones the canary shares in ${configField} (the route is inferred only when there is exactly one)`,
    );
  }
  const chosen: number[] = [];
  for (const [i, want] of wanted.entries()) {
    const found = routes.flatMap((r, index) => (matchesPort(r, want, kind) ? [index] : []));
    if (found.length === 0) {
      const sni = kind === 'tls' ? ` and SNI hosts [${(want.sniHosts ?? []).join(', ')}]` : '';
      return new Flaw(
        `spec.${kind}`,
        `has no ${KIND_NAMES[kind]} route matching port ${want.port ?? 0}${sni} (${configField}[${i}]); match exactly that port${kind === 'tls' ? ' and those SNI hosts' : ''} in one route, or fix ${configField}[${i}]`,
      );
    }
    for (const index of found) if (!chosen.includes(index)) chosen.push(index);
  }
  return chosen;
}

function matchesPort(route: Json, want: PortConfig, kind: 'tls' | 'tcp'): boolean {
  const matches = Array.isArray(route.match) ? route.match.filter(isJson) : [];
  const ports = new Set(matches.map((m) => (typeof m.port === 'number' ? m.port : 0)));
  if (ports.size > 1) return false;
  const port = ports.size === 1 ? [...ports][0] : 0;
  if (port !== (want.port ?? 0)) return false;
  if (kind === 'tcp') return true;
  const hosts = new Set(
    matches.flatMap((m) =>
      Array.isArray(m.sniHosts) ? m.sniHosts.filter((h): h is string => typeof h === 'string') : [],
    ),
  );
  const wantHosts = want.sniHosts ?? [];
  return wantHosts.length === hosts.size && wantHosts.every((h) => hosts.has(h));
}
