// The rules of a Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute), as the Gateway API
// plugin of Argo Rollouts changes them: the weights of the backendRefs to the canary and stable
// Services in the user's rules, and, on HTTP and gRPC routes, managed rules for header and mirror
// routes. Pure functions of plain JSON; gateway-api-router.ts applies them to whole objects.
import type { HeaderRoute, MirrorRoute } from './router';
import { gatewayMatch, type StringMatch } from './string-match';

type Json = Record<string, unknown>;

export interface BackendRef extends Json {
  name: string;
  weight?: number;
  port?: number;
}

export interface RouteRule extends Json {
  name?: string;
  matches?: Json[];
  filters?: Json[];
  backendRefs?: BackendRef[];
}

export interface Services {
  canary: string;
  stable: string;
}

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The backendRefs of a rule that name a Service (group "" and kind Service, the defaults). */
function serviceRefs(rule: RouteRule): BackendRef[] {
  return (rule.backendRefs ?? []).filter(
    (ref) =>
      isJson(ref) &&
      typeof ref.name === 'string' &&
      // "core" too, as some users write it (the Linkerd examples): the plugin goes by name alone
      (ref.group === undefined || ref.group === '' || ref.group === 'core') &&
      (ref.kind === undefined || ref.kind === 'Service'),
  );
}

/** A rule name that a managed route owns: the route's name, or `name-N` (one per source rule). */
export function isManagedName(ruleName: unknown, managed: ReadonlySet<string>): boolean {
  if (typeof ruleName !== 'string') return false;
  if (managed.has(ruleName)) return true;
  const m = /^(.*)-(\d+)$/.exec(ruleName);
  return !!m && managed.has(m[1]!);
}

/** The rules a person wrote (not the managed ones), with their indexes in the list. */
export function userRules(rules: readonly RouteRule[], managed: ReadonlySet<string>): RouteRule[] {
  return rules.filter((rule) => !isManagedName(rule.name, managed));
}

/** Rules that send traffic to both Services: the ones a canary split happens in. */
export function splitRules(rules: readonly RouteRule[], services: Services): RouteRule[] {
  return rules.filter((rule) => {
    const names = serviceRefs(rule).map((ref) => ref.name);
    return names.includes(services.canary) && names.includes(services.stable);
  });
}

/**
 * The canary's share in the rules, out of maxWeight: the same in every rule that splits between the
 * two Services (a backendRef without weight weighs 1, as the Gateway API says), else undefined.
 */
export function readSplit(
  rules: readonly RouteRule[],
  services: Services,
  maxWeight: number,
): number | undefined {
  const shares = splitRules(rules, services).map((rule) => {
    const refs = serviceRefs(rule);
    const sum = (name: string) =>
      refs
        .filter((r) => r.name === name)
        .reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 1), 0);
    const canary = sum(services.canary);
    const total = canary + sum(services.stable);
    return total === 0 ? 0 : Math.round((canary * maxWeight) / total);
  });
  if (shares.length === 0) return undefined;
  return shares.every((s) => s === shares[0]) ? shares[0] : undefined;
}

/** The user's rules with the canary's backendRefs at `weight` and the stable's at the rest. */
export function weighted(
  rules: readonly RouteRule[],
  services: Services,
  weight: number,
  maxWeight: number,
): RouteRule[] {
  return rules.map((rule) => {
    if (!Array.isArray(rule.backendRefs)) return rule;
    return {
      ...rule,
      backendRefs: rule.backendRefs.map((ref) => {
        if (!serviceRefs({ backendRefs: [ref] }).length) return ref;
        if (ref.name === services.canary) return { ...ref, weight };
        if (ref.name === services.stable) return { ...ref, weight: maxWeight - weight };
        return ref;
      }),
    };
  });
}

/** The backendRef of the canary Service in a rule, for the port a managed rule uses. */
function canaryRef(rule: RouteRule, services: Services): BackendRef {
  const ref = serviceRefs(rule).find((r) => r.name === services.canary)!;
  return {
    group: '',
    kind: 'Service',
    name: services.canary,
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
}

/** A rule's name for the index-th source rule: the route's own name first, then `name-1`, `name-2`... */
const ruleName = (name: string, index: number) => (index === 0 ? name : `${name}-${index}`);

type HeaderMatch = { type: 'Exact' | 'RegularExpression'; name: string; value: string };

function headerMatches(route: HeaderRoute): HeaderMatch[] {
  return route.match.flatMap((m) => {
    const value = gatewayMatch(m.headerValue);
    return value ? [{ name: m.headerName, ...value }] : [];
  });
}

/**
 * A header route's rules: for every rule splitting between the two Services, a rule with that rule's
 * matches (each with the route's headers added) and filters, sending everything to the canary.
 */
export function headerRules(
  sources: readonly RouteRule[],
  services: Services,
  route: HeaderRoute,
): RouteRule[] {
  const headers = headerMatches(route);
  return sources.map((source, i) => {
    const matches = source.matches?.length
      ? source.matches.map((m) => ({
          ...m,
          headers: [...(Array.isArray(m.headers) ? m.headers : []), ...headers],
        }))
      : [{ headers }];
    return {
      name: ruleName(route.name, i),
      matches,
      ...(source.filters?.length ? { filters: structuredClone(source.filters) } : {}),
      backendRefs: [canaryRef(source, services)],
    };
  });
}

/** A StringMatch on a path as an HTTPPathMatch. */
function pathMatch(path: StringMatch): Json | undefined {
  if (path.exact) return { type: 'Exact', value: path.exact };
  if (path.prefix) return { type: 'PathPrefix', value: path.prefix };
  if (path.regex) return { type: 'RegularExpression', value: path.regex };
  return undefined;
}

/** A mirror route's HTTP matches: each of the rule's matches narrowed by each of the route's. */
function mirrorMatches(source: RouteRule, route: MirrorRoute): Json[] {
  const base = source.matches?.length ? source.matches : [{}];
  if (route.match.length === 0) return base.map((m) => ({ ...m }));
  return base.flatMap((m) =>
    route.match.map((rm) => {
      const out: Json = { ...m };
      const path = rm.path ? pathMatch(rm.path) : undefined;
      if (path) out.path = path;
      if (rm.method?.exact) out.method = rm.method.exact.toUpperCase();
      const headers = Object.entries(rm.headers ?? {}).flatMap(([name, match]) => {
        const value = gatewayMatch(match);
        return value ? [{ name, ...value }] : [];
      });
      if (headers.length) out.headers = [...(Array.isArray(m.headers) ? m.headers : []), ...headers];
      return out;
    }),
  );
}

/** Why a mirror route cannot be written as HTTPRoute matches (a method matched by prefix or regex). */
export function mirrorProblem(route: MirrorRoute): string | undefined {
  const bad = route.match.findIndex((m) => m.method && !m.method.exact);
  return bad < 0
    ? undefined
    : `match[${bad}].method: an HTTPRoute matches a method exactly; use "exact" (GET, POST, ...)`;
}

/**
 * A mirror route's rules: for every split rule, the same backends (and weights) for the route's
 * matches, plus a RequestMirror filter copying `percentage` of those requests to the canary.
 */
export function mirrorRules(
  sources: readonly RouteRule[],
  services: Services,
  route: MirrorRoute,
): RouteRule[] {
  return sources.map((source, i) => {
    const percent = route.percentage ?? 100;
    const mirror = {
      type: 'RequestMirror',
      requestMirror: { backendRef: canaryRef(source, services), ...(percent < 100 ? { percent } : {}) },
    };
    return {
      ...structuredClone(source),
      name: ruleName(route.name, i),
      matches: mirrorMatches(source, route),
      filters: [...(source.filters ? structuredClone(source.filters) : []), mirror],
    };
  });
}

/**
 * Whether the rules Ramp wants are those in place, allowing for what the API server adds (the CRDs'
 * defaults: a backendRef's group, kind and weight, a match's path): every field the wanted rules
 * give is there with the same value, and every list has the same length. Without this, a managed
 * rule written without its defaults would be written again on every reconcile.
 */
export function rulesInPlace(wanted: unknown, current: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(current) &&
      wanted.length === current.length &&
      wanted.every((w, i) => rulesInPlace(w, current[i]))
    );
  }
  if (isJson(wanted)) {
    return (
      isJson(current) &&
      Object.entries(wanted).every(([k, v]) => v === undefined || rulesInPlace(v, current[k]))
    );
  }
  return wanted === current;
}
