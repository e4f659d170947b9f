// The weights a routing object carries now, read from the object as the data plane reads it, and why an
// object cannot carry the split, as the controller (Argo's routers) would refuse it:
// - a Gateway API route's backendRefs to the canary and stable Services (a ref without weight weighs 1);
// - an Istio VirtualService's routes the Rollout names (http by name, tls by port and SNI hosts, tcp by
//   port; none named: the only one, or the first unnamed http route), their destinations to the canary
//   and stable Service hosts (`svc`, `svc.ns`, `svc.ns.svc.cluster.local`) or the DestinationRule's
//   canary and stable subsets; the DestinationRule's subsets and the pod-template hashes they select;
// - the nginx canary Ingress' `canary-weight` out of `canary-weight-total` (default 100);
// - the ALB Ingress' action annotation (`<prefix>/actions.<rootService or stableService>`), JSON whose
//   ForwardConfig.TargetGroups weigh the canary and stable Services;
// - a TrafficSplit's backends (v1alpha1 writes quantities);
// - the Ambassador canary Mapping's `spec.weight` (the stable Mapping carries the rest);
// - a TraefikService's `spec.weighted.services` (a service without weight weighs 1, as Traefik's);
// - an ApisixRoute's http rules' backends (a backend without weight weighs 100, as APISIX's).
// Each split also as the canary's share out of maxTrafficWeight, to compare with status.canary.weights:
// of the canary and stable only, or, where Argo's router adds destinations of its own (Istio, ALB,
// APISIX and Traefik keep the others' weights), of everything the route sends to.
//
// The objects are read as the API server sends them: any JSON shape is read, never thrown on.
import { parseQuantity } from '@ramp/api';
import type { RouteObj } from '../kube/route-reader';
import type { IstioTlsRoute, RouteTarget } from '../kube/routing-targets';

export interface Split {
  canary: number;
  stable: number;
  /** The canary's share out of maxTrafficWeight. */
  share: number;
}

export interface CarriedWeights {
  /** One per rule that splits (a route), or the object's one split; distinct splits only. */
  splits: Split[];
  /** Istio DestinationRule: the pod-template hash its canary and stable subsets select. */
  hashes?: { canary?: string; stable?: string };
  /** Why the object cannot carry the canary split. */
  problem?: string;
}

export interface RouteContext {
  /** The canary and stable Services the routers split between (the ping-pong pair when it applies). */
  services: { canary: string; stable: string };
  /** ALB's canary and stable Services, when they differ (ALB prefers the ping-pong pair). */
  albServices?: { canary: string; stable: string };
  /** trafficRouting.maxTrafficWeight, or 100. */
  maxWeight: number;
  /** nginx's annotationPrefix, or nginx.ingress.kubernetes.io. */
  annotationPrefix: string;
  /** ALB: its annotationPrefix (or alb.ingress.kubernetes.io) and the Service its action is named after. */
  alb?: { annotationPrefix: string; actionService: string };
  /** Istio subset split: the DestinationRule's canary and stable subset names. */
  istioSubsets?: { canary: string; stable: string };
  /** trafficRouting.managedRoutes' names (the routes Ramp adds to a VirtualService). */
  managedRoutes?: string[];
  rollout: { name: string; uid?: string };
}

/** What carriedWeights needs of the target: the kind, the router, the router's own settings. */
export type WeightTarget = Pick<RouteTarget, 'router' | 'kind'> &
  Partial<Pick<RouteTarget, 'istioRoutes' | 'subsets' | 'apisixRules' | 'name'>>;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const fieldList = (v: unknown): Fields[] => (Array.isArray(v) ? v.filter(isFields) : []);
/** A weight as written: a finite number, else `absent`. */
const weightOf = (v: unknown, absent: number) => (typeof v === 'number' && Number.isFinite(v) ? v : absent);
const specOf = (object: RouteObj): Fields => (isFields(object.spec) ? object.spec : {});

const shareOf = (canary: number, stable: number, max: number, total = canary + stable) =>
  total <= 0 ? 0 : Math.round((canary * max) / total);

const split = (canary: number, stable: number, max: number, total?: number): Split => ({
  canary,
  stable,
  share: shareOf(canary, stable, max, total),
});

function distinct(splits: Split[]): Split[] {
  return splits.filter(
    (s, i) => splits.findIndex((o) => o.canary === s.canary && o.stable === s.stable) === i,
  );
}

/** The splits, and the problems joined, as one answer. */
function answer(splits: Split[], problems: string[]): CarriedWeights {
  const out: CarriedWeights = { splits: distinct(splits) };
  return problems.length > 0 ? { ...out, problem: problems.join('; ') } : out;
}

/** A backendRef to a Service: group "" (or "core", as Linkerd's examples write it) and kind Service. */
const isServiceRef = (ref: Fields) =>
  typeof ref.name === 'string' &&
  (ref.group === undefined || ref.group === '' || ref.group === 'core') &&
  (ref.kind === undefined || ref.kind === 'Service');

function gatewayWeights(route: RouteObj, ctx: RouteContext): CarriedWeights {
  const { canary, stable } = ctx.services;
  const rules = fieldList(specOf(route).rules);
  const splits: Split[] = [];
  for (const rule of rules) {
    const refs = fieldList(rule.backendRefs).filter(isServiceRef);
    if (!refs.some((r) => r.name === canary) || !refs.some((r) => r.name === stable)) continue;
    const sum = (name: string) =>
      refs.filter((r) => r.name === name).reduce((n, r) => n + weightOf(r.weight, 1), 0);
    splits.push(split(sum(canary), sum(stable), ctx.maxWeight));
  }
  if (splits.length > 0) return { splits: distinct(splits) };
  return { splits, problem: `no rule sends traffic to both ${canary} and ${stable}` };
}

// --- Istio ---------------------------------------------------------------------------------------

/** The Service a destination host names, as Argo's getHost: the part before the first dot. */
function hostService(host: unknown): string {
  if (typeof host !== 'string') return '';
  const dot = host.indexOf('.');
  return dot < 0 ? host : dot === 0 ? '' : host.slice(0, dot);
}

const routeNameOf = (route: unknown) => (isFields(route) && typeof route.name === 'string' ? route.name : '');

/** The ports a tls or tcp route's matches name (a match without a port: 0), and their SNI hosts. */
function matchesOf(route: Fields): { ports: Set<number>; sniHosts: Set<string> } {
  const ports = new Set<number>();
  const sniHosts = new Set<string>();
  for (const match of fieldList(route.match)) {
    ports.add(weightOf(match.port, 0));
    const hosts: unknown[] = Array.isArray(match.sniHosts) ? match.sniHosts : [];
    for (const host of hosts) if (typeof host === 'string') sniHosts.add(host);
  }
  return { ports, sniHosts };
}

/** A tls (or, without SNI hosts, tcp) route the Rollout names: exactly one port, that port, those SNI hosts. */
function matchesRoute(route: Fields, wanted: IstioTlsRoute, tls: boolean): boolean {
  const { ports, sniHosts } = matchesOf(route);
  if (ports.size > 1) return false;
  const port = ports.size === 1 ? [...ports][0] : 0;
  if (port !== wanted.port) return false;
  if (!tls) return true;
  const want = new Set(wanted.sniHosts);
  return want.size === sniHosts.size && [...sniHosts].every((h) => want.has(h));
}

interface ChosenRoute {
  label: string;
  route: Fields;
}

/** The http, tls and tcp routes Argo's Istio router changes in this VirtualService, or why not. */
function istioRoutes(spec: Fields, target: WeightTarget, ctx: RouteContext) {
  const names = target.istioRoutes ?? { http: [], tls: [], tcp: [] };
  const chosen: ChosenRoute[] = [];
  const problems: string[] = [];
  const http: unknown[] | undefined = Array.isArray(spec.http) ? spec.http : undefined;
  if (http && http.length > 0 && names.http.length === 0) {
    const managed = new Set(ctx.managedRoutes ?? []);
    const own = http.filter((r) => !managed.has(routeNameOf(r)));
    const index = http.length === 1 ? 0 : http.findIndex((r) => routeNameOf(r) === '');
    if (own.length > 1) {
      problems.push(`has ${own.length} http routes: name the one to split in virtualService.routes`);
    } else if (index < 0 || !isFields(http[index])) {
      problems.push('has no unnamed http route to split: name it in virtualService.routes');
    } else {
      const name = routeNameOf(http[index]);
      chosen.push({ label: name ? `http route ${name}` : 'the http route', route: http[index] });
    }
  } else if (names.http.length > 0) {
    for (const name of names.http) {
      const route = (http ?? []).find((r) => routeNameOf(r) === name);
      if (isFields(route)) chosen.push({ label: `http route ${name}`, route });
      else problems.push(`has no http route named "${name}"`);
    }
  }
  for (const [field, wanted, tls] of [
    ['tls', names.tls, true],
    ['tcp', names.tcp, false],
  ] as const) {
    const routes: unknown[] | undefined = Array.isArray(spec[field]) ? spec[field] : undefined;
    if (!routes) {
      if (wanted.length > 0) problems.push(`has no ${field} routes`);
      continue;
    }
    if (wanted.length === 0) {
      const [first] = routes;
      if (routes.length > 1) {
        const option = tls ? 'tlsRoutes' : 'tcpRoutes';
        problems.push(
          `has ${routes.length} ${field} routes: name the one to split in virtualService.${option}`,
        );
      } else if (isFields(first)) chosen.push({ label: `the ${field} route`, route: first });
      continue;
    }
    for (const want of wanted) {
      const found = routes.filter(isFields).filter((r) => matchesRoute(r, { sniHosts: [], ...want }, tls));
      const which = tls
        ? `port ${want.port} and SNI hosts ${(want as IstioTlsRoute).sniHosts.join(',') || '(none)'}`
        : `port ${want.port}`;
      if (found.length === 0) problems.push(`has no ${field} route matching ${which}`);
      for (const route of found) chosen.push({ label: `${field} route on ${which}`, route });
    }
  }
  return { chosen: chosen.filter((c, i) => chosen.findIndex((o) => o.route === c.route) === i), problems };
}

function virtualServiceWeights(vs: RouteObj, target: WeightTarget, ctx: RouteContext): CarriedWeights {
  const spec = specOf(vs);
  if (![spec.http, spec.tls, spec.tcp].some(Array.isArray)) {
    return { splits: [], problem: 'has no http, tls or tcp routes' };
  }
  const { canary, stable } = ctx.services;
  const subsets = ctx.istioSubsets;
  const { chosen, problems } = istioRoutes(spec, target, ctx);
  if (chosen.length === 0 && problems.length === 0) problems.push('has no route to split');
  const splits: Split[] = [];
  for (const { label, route } of chosen) {
    const destinations = fieldList(route.route).map((r) => {
      const d = isFields(r.destination) ? r.destination : {};
      const host = hostService(d.host);
      const subset = typeof d.subset === 'string' ? d.subset : '';
      return { host, subset, weight: weightOf(r.weight, 0) };
    });
    // as Argo's processRoutes: by host (when the Service is named), or by the DestinationRule's subset
    const side = (d: { host: string; subset: string }) =>
      (canary && d.host === canary) || (subsets && d.subset !== '' && d.subset === subsets.canary)
        ? 'canary'
        : (stable && d.host === stable) || (subsets && d.subset !== '' && d.subset === subsets.stable)
          ? 'stable'
          : undefined;
    const has = (what: 'canary' | 'stable') =>
      subsets
        ? destinations.some((d) => d.subset !== '' && d.subset === subsets[what])
        : destinations.some((d) => d.host !== '' && d.host === ctx.services[what]);
    const missing = (['canary', 'stable'] as const).find((what) => !has(what));
    if (missing) {
      const to = subsets ? `subset ${subsets[missing] || '""'}` : `Service ${ctx.services[missing] || '""'}`;
      problems.push(`${label}: no destination to the ${missing} ${to}`);
      continue;
    }
    const sum = (what: 'canary' | 'stable') =>
      destinations.filter((d) => side(d) === what).reduce((n, d) => n + d.weight, 0);
    const total = destinations.reduce((n, d) => n + d.weight, 0);
    splits.push(split(sum('canary'), sum('stable'), ctx.maxWeight, total));
  }
  return answer(splits, problems);
}

export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

function destinationRuleHashes(dr: RouteObj, target: WeightTarget): CarriedWeights {
  const subsets = fieldList(specOf(dr).subsets);
  const names = target.subsets ?? { canary: '', stable: '' };
  const hashes: { canary?: string; stable?: string } = {};
  const problems: string[] = [];
  for (const what of ['canary', 'stable'] as const) {
    const subset = subsets.find((s) => s.name === names[what]);
    if (!subset) {
      problems.push(`has no subset named "${names[what]}" (the ${what} subset)`);
      continue;
    }
    const hash = isFields(subset.labels) ? subset.labels[POD_TEMPLATE_HASH_LABEL] : undefined;
    if (typeof hash === 'string' && hash !== '') hashes[what] = hash;
  }
  return { splits: [], hashes, ...(problems.length > 0 ? { problem: problems.join('; ') } : {}) };
}

// --- Ingress (nginx, ALB) ------------------------------------------------------------------------

/** The Ingress' annotation `key`, when it is a string. */
function annotation(object: RouteObj, key: string): string | undefined {
  const annotations: unknown = object.metadata.annotations;
  const value = isFields(annotations) ? annotations[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The object is controlled by the Rollout (Ramp writes only the canary Ingresses and TrafficSplits it owns). */
function notOwned(object: RouteObj, ctx: RouteContext): string | undefined {
  const refs: unknown = object.metadata.ownerReferences;
  if (
    fieldList(refs).some(
      (o) =>
        o.controller === true && (ctx.rollout.uid ? o.uid === ctx.rollout.uid : o.name === ctx.rollout.name),
    )
  )
    return undefined;
  return `not controlled by rollout ${ctx.rollout.name}, so Ramp does not write it`;
}

function nginxWeights(ingress: RouteObj, ctx: RouteContext): CarriedWeights {
  const number = (key: string, fallback: number) => {
    const value = annotation(ingress, `${ctx.annotationPrefix}/${key}`);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
  };
  const total = number('canary-weight-total', 100);
  const weight = Math.min(number('canary-weight', 0), total);
  const splits = [split(weight, total - weight, ctx.maxWeight)];
  const marker = `${ctx.annotationPrefix}/canary`;
  const problem =
    notOwned(ingress, ctx) ??
    (annotation(ingress, marker) === 'true'
      ? undefined
      : `lacks the annotation ${marker}: "true", so ingress-nginx ignores its weight`);
  return problem ? { splits, problem } : { splits };
}

/** Whether a rule of the Ingress has a path to `service` (v1's backend.service.name, v1beta1's serviceName). */
function hasRuleWithService(ingress: RouteObj, service: string): boolean {
  return fieldList(specOf(ingress).rules).some((rule) =>
    fieldList(isFields(rule.http) ? rule.http.paths : undefined).some((path) => {
      const backend = isFields(path.backend) ? path.backend : {};
      const name = isFields(backend.service) ? backend.service.name : backend.serviceName;
      return name === service;
    }),
  );
}

function albWeights(ingress: RouteObj, ctx: RouteContext): CarriedWeights {
  const { canary, stable } = ctx.albServices ?? ctx.services;
  const alb = ctx.alb ?? { annotationPrefix: 'alb.ingress.kubernetes.io', actionService: stable };
  const key = `${alb.annotationPrefix}/actions.${alb.actionService}`;
  const rule = hasRuleWithService(ingress, alb.actionService)
    ? []
    : [`no rule of the Ingress sends to ${alb.actionService || '""'}, so Ramp cannot set its action`];
  const value = annotation(ingress, key);
  if (value === undefined) return answer([], [`lacks the annotation ${key}`, ...rule]);
  let action: unknown;
  try {
    action = JSON.parse(value);
  } catch {
    return answer([], [`the annotation ${key} is not JSON`, ...rule]);
  }
  const forward = isFields(action) && isFields(action.ForwardConfig) ? action.ForwardConfig : undefined;
  const groups = forward ? fieldList(forward.TargetGroups) : [];
  if (!isFields(action) || action.Type !== 'forward' || groups.length === 0) {
    return answer([], [`the annotation ${key} is not a forward action with TargetGroups`, ...rule]);
  }
  const sum = (service: string) =>
    groups.filter((g) => g.ServiceName === service).reduce((n, g) => n + weightOf(g.Weight, 0), 0);
  const missing = [canary, stable].filter((s) => !groups.some((g) => g.ServiceName === s));
  const problems = [...missing.map((s) => `the action forwards to no target group of ${s || '""'}`), ...rule];
  if (missing.length > 0) return answer([], problems);
  const total = groups.reduce((n, g) => n + weightOf(g.Weight, 0), 0);
  return answer([split(sum(canary), sum(stable), ctx.maxWeight, total)], problems);
}

// --- SMI, Ambassador, Traefik, APISIX ------------------------------------------------------------

function trafficSplitWeights(object: RouteObj, ctx: RouteContext): CarriedWeights {
  const backends = fieldList(specOf(object).backends);
  const weight = (service: string) => {
    const value = backends.find((b) => b.service === service)?.weight;
    return typeof value === 'number' || typeof value === 'string' ? parseQuantity(value) : undefined;
  };
  const { canary, stable } = ctx.services;
  const c = weight(canary);
  const s = weight(stable);
  const owner = notOwned(object, ctx);
  if (c === undefined || s === undefined) {
    const missing = c === undefined ? canary : stable;
    return { splits: [], problem: owner ?? `has no backend with a weight for ${missing}` };
  }
  const splits = [split(c, s, ctx.maxWeight)];
  return owner ? { splits, problem: owner } : { splits };
}

function canaryMappingWeights(mapping: RouteObj, ctx: RouteContext): CarriedWeights {
  const spec = specOf(mapping);
  const { canary } = ctx.services;
  const problems: string[] = [];
  const service = spec.service;
  if (canary && !(typeof service === 'string' && service.includes(canary))) {
    const to = typeof service === 'string' ? service : 'no service';
    problems.push(`sends to ${to || '""'}, not the canary Service ${canary}`);
  }
  const weight = spec.weight;
  if (typeof weight !== 'number' || !Number.isFinite(weight)) {
    return answer([], ['has no spec.weight', ...problems]);
  }
  const c = Math.min(Math.max(weight, 0), 100);
  return answer([split(c, 100 - c, ctx.maxWeight)], problems);
}

function traefikWeights(ts: RouteObj, ctx: RouteContext): CarriedWeights {
  const weighted = specOf(ts).weighted;
  const services: unknown = isFields(weighted) ? weighted.services : undefined;
  if (!Array.isArray(services)) return { splits: [], problem: 'has no spec.weighted.services' };
  const entries = fieldList(services);
  const { canary, stable } = ctx.services;
  const missing = [canary, stable].filter((s) => !entries.some((e) => e.name === s));
  if (missing.length > 0) {
    return answer(
      [],
      missing.map((s) => `has no weighted service ${s || '""'}`),
    );
  }
  // as Argo's router: the first entry of each name carries its weight
  const weight = (service: string) => weightOf(entries.find((e) => e.name === service)?.weight, 1);
  const total = entries.reduce((n, e) => n + weightOf(e.weight, 1), 0);
  return answer([split(weight(canary), weight(stable), ctx.maxWeight, total)], []);
}

function apisixWeights(route: RouteObj, target: WeightTarget, ctx: RouteContext): CarriedWeights {
  const http: unknown = specOf(route).http;
  if (!Array.isArray(http)) return { splits: [], problem: 'has no spec.http' };
  const rules = target.apisixRules ?? (target.name ? [target.name] : []);
  const { canary, stable } = ctx.services;
  const splits: Split[] = [];
  const problems: string[] = [];
  for (const name of rules) {
    const rule = fieldList(http).find((r) => r.name === name);
    if (!rule) {
      problems.push(`has no http rule named "${name}"`);
      continue;
    }
    const backends = fieldList(rule.backends);
    const missing = [canary, stable].filter((s) => !backends.some((b) => b.serviceName === s));
    if (missing.length > 0) {
      problems.push(...missing.map((s) => `http rule ${name} has no backend ${s || '""'}`));
      continue;
    }
    const weight = (service: string) =>
      weightOf(backends.find((b) => b.serviceName === service)?.weight, 100);
    const total = backends.reduce((n, b) => n + weightOf(b.weight, 100), 0);
    splits.push(split(weight(canary), weight(stable), ctx.maxWeight, total));
  }
  return answer(splits, problems);
}

/** The weights `object` carries, read as `target`'s router reads its kind. */
export function carriedWeights(target: WeightTarget, object: RouteObj, ctx: RouteContext): CarriedWeights {
  switch (target.kind) {
    case 'Ingress':
      return target.router === 'ALB' ? albWeights(object, ctx) : nginxWeights(object, ctx);
    case 'TrafficSplit':
      return trafficSplitWeights(object, ctx);
    case 'VirtualService':
      return virtualServiceWeights(object, target, ctx);
    case 'DestinationRule':
      return destinationRuleHashes(object, target);
    case 'Mapping':
      return canaryMappingWeights(object, ctx);
    case 'TraefikService':
      return traefikWeights(object, ctx);
    case 'ApisixRoute':
      return apisixWeights(object, target, ctx);
    default:
      return gatewayWeights(object, ctx);
  }
}
