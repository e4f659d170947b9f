// ingress-nginx canary Ingresses as its balancer applies them. The stable Ingress' location for
// the request (ingress-rule-match.ts) has a primary backend; a canary Ingress (annotation
// `<prefix>/canary: "true"`, same ingress class) with a rule of the same host and a path of the same
// path and pathType, and another Service, is its alternative backend (the oldest such canary, by
// creationTimestamp then name: the balancer uses the first alternative only). Per request, in
// ingress-nginx's order:
//   1. `canary-by-header`: when the request carries the header (names compare case-insensitively,
//      `-` and `_` alike), `canary-by-header-value` given: equal → canary, else on to 2;
//      `canary-by-header-pattern` given (ignored when a value is given): a match anywhere in the
//      value → canary (ECMAScript here, PCRE in nginx), no match → on to 2, a pattern that does not
//      compile → stable; neither given: `always` → canary, `never` → stable, anything else → on.
//   2. `canary-by-cookie`: the cookie `always` → canary, `never` → stable, else on.
//   3. `canary-weight` out of `canary-weight-total` (default 100; as the balancer does, a total of
//      100 or less counts as 100): that share to the canary, the rest to stable.
// The balancer's quirks are kept: a primary backend without ready endpoints answers 503 to every
// request, the canary's share included; a canary backend without ready endpoints sends its share to
// stable. Annotations that do not parse take ingress-nginx's defaults (canary false, weight 0, total
// 100) and are reported. Session affinity, canary on the default backend and other Ingresses of
// the same host are not modelled.
import {
  defaultIngressHost,
  type IngressLocation,
  ingressDefaultBackend,
  ingressLocations,
  matchIngressLocation,
} from './ingress-rule-match';
import { field, stringField } from './json-shape';
import { oldestFirst } from './object-order';
import { cookieOf, type RequestClass } from './request-mix';
import {
  answered,
  fixedRouter,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import type { ServiceWorld } from './service-endpoints';

export const DEFAULT_NGINX_PREFIX = 'nginx.ingress.kubernetes.io';

interface CanaryPolicy {
  header: string;
  headerValue: string;
  headerPattern: string;
  cookie: string;
  weight: number;
  weightTotal: number;
}

interface Canary {
  object: string;
  locations: readonly IngressLocation[];
  policy: CanaryPolicy;
}

/** The model of ingress-nginx serving the Ingress `stableName` and its canaries among `ingresses`. */
export function nginxCanaryRouter(
  stableName: string,
  ingresses: readonly unknown[],
  world: ServiceWorld,
  prefix = DEFAULT_NGINX_PREFIX,
): Router {
  const object = `Ingress ${world.namespace}/${stableName}`;
  const problems = new ProblemList(object);
  const stable = ingresses.find((i) => stringField(field(i, 'metadata'), 'name') === stableName);
  if (!stable) {
    problems.add('', 'not found: every request gets 404 (the default backend)');
    return fixedRouter(object, problems, answered('none', '404', 'the Ingress is not found'));
  }
  const canaries: Canary[] = [];
  for (const ing of oldestFirst(ingresses)) {
    if (ingressClass(ing) !== ingressClass(stable)) continue;
    const name = stringField(field(ing, 'metadata'), 'name') ?? '';
    const label = `Ingress ${world.namespace}/${name}`;
    const policy = canaryPolicy(ing, prefix, problems, label);
    if (name === stableName) {
      if (!policy) continue;
      problems.add(
        `metadata.annotations["${prefix}/canary"]`,
        'the followed Ingress is itself a canary: ingress-nginx serves it only as an alternative backend; every request gets 404',
      );
      return fixedRouter(object, problems, answered('none', '404', 'the Ingress is a canary'));
    }
    if (policy)
      canaries.push({ object: label, locations: ingressLocations(ing, new ProblemList(label)), policy });
  }
  const locations = ingressLocations(stable, problems);
  const defaultBackend = ingressDefaultBackend(stable, problems);
  const host = defaultIngressHost(stable) ?? '';
  return {
    entry: object,
    problems: problems.items,
    decide(request: RequestClass): RouteDecision {
      const location = matchIngressLocation(locations, request, request.host ?? host) ?? defaultBackend;
      if (!location)
        return answered('none', '404', 'no rule of the Ingress matches the request (the default backend)');
      const primary = backendDestination(location, world, problems, object);
      if (primary.destination.kind === 'answer')
        return { rule: 'stable', destinations: [primary], mirrors: [] };
      const canary = location.path === '' ? undefined : alternativeFor(location, canaries);
      if (!canary) return { rule: 'stable', destinations: [primary], mirrors: [] };
      const alternative = backendDestination(canary.location, world, problems, canary.object);
      if (alternative.destination.kind === 'answer' || canary.location.service === location.service)
        return { rule: 'stable', destinations: [primary], mirrors: [] };
      const { rule, canaryWeight, stableWeight } = shape(
        canary.policy,
        request,
        problems,
        canary.object,
        prefix,
      );
      return {
        rule,
        destinations: [
          { ...alternative, weight: canaryWeight },
          { ...primary, weight: stableWeight },
        ],
        mirrors: [],
      };
    },
  };
}

function shape(
  policy: CanaryPolicy,
  request: RequestClass,
  problems: ProblemList,
  object: string,
  prefix: string,
): { rule: string; canaryWeight: number; stableWeight: number } {
  const toCanary = (rule: string) => ({ rule, canaryWeight: 1, stableWeight: 0 });
  const toStable = (rule: string) => ({ rule, canaryWeight: 0, stableWeight: 1 });
  const header = policy.header === '' ? undefined : nginxHeader(request, policy.header);
  if (header !== undefined) {
    if (policy.headerValue !== '') {
      if (header === policy.headerValue) return toCanary('canary-by-header-value');
    } else if (policy.headerPattern !== '') {
      let regex: RegExp | undefined;
      try {
        regex = new RegExp(policy.headerPattern);
      } catch {
        problems.add(
          `metadata.annotations["${prefix}/canary-by-header-pattern"]`,
          'does not compile: requests with the header go to stable',
          object,
        );
        return toStable('canary-by-header-pattern');
      }
      if (regex.test(header)) return toCanary('canary-by-header-pattern');
    } else if (header === 'always') return toCanary('canary-by-header');
    else if (header === 'never') return toStable('canary-by-header');
  }
  const cookie = policy.cookie === '' ? undefined : cookieOf(request, policy.cookie);
  if (cookie === 'always') return toCanary('canary-by-cookie');
  if (cookie === 'never') return toStable('canary-by-cookie');
  const total = Math.max(policy.weightTotal, 100);
  const weight = Math.min(Math.max(policy.weight, 0), total);
  return { rule: 'canary-weight', canaryWeight: weight, stableWeight: total - weight };
}

function nginxHeader(request: RequestClass, name: string): string | undefined {
  const want = name.toLowerCase().replaceAll('-', '_');
  for (const [key, value] of request.headers) if (key.replaceAll('-', '_') === want) return value;
  return undefined;
}

function alternativeFor(
  location: IngressLocation,
  canaries: readonly Canary[],
): { location: IngressLocation; object: string; policy: CanaryPolicy } | undefined {
  for (const canary of canaries) {
    const match = canary.locations.find(
      (l) =>
        l.host === location.host &&
        l.path === location.path &&
        l.pathType === location.pathType &&
        l.service !== location.service,
    );
    if (match) return { location: match, object: canary.object, policy: canary.policy };
  }
  return undefined;
}

function backendDestination(
  location: IngressLocation,
  world: ServiceWorld,
  problems: ProblemList,
  object: string,
): WeightedDestination {
  const answer = (reason: string): WeightedDestination => ({
    weight: 1,
    destination: { kind: 'answer', code: '503', service: location.service, reason },
    mirrors: [],
  });
  const service = world.service(location.service);
  if (!service) {
    problems.add(`${location.field}.service.name`, `Service "${location.service}" not found`, object);
    return answer(`Service "${location.service}" not found`);
  }
  if (
    location.port === undefined ||
    !service.ports.some((p) => p.port === location.port || p.name === location.port)
  ) {
    problems.add(
      `${location.field}.service.port`,
      `Service "${location.service}" has no port ${JSON.stringify(location.port)}`,
      object,
    );
    return answer(`Service "${location.service}" has no port ${JSON.stringify(location.port)}`);
  }
  if (world.endpoints(location.service).length === 0)
    return answer(`Service "${location.service}" has no ready endpoints`);
  return { weight: 1, destination: { kind: 'pods', service: location.service }, mirrors: [] };
}

/** The canary policy of an Ingress, or undefined when it is not a canary. */
function canaryPolicy(
  ing: unknown,
  prefix: string,
  problems: ProblemList,
  object: string,
): CanaryPolicy | undefined {
  const annotations = field(field(ing, 'metadata'), 'annotations');
  const get = (key: string): string | undefined => stringField(annotations, `${prefix}/${key}`);
  const at = (key: string) => `metadata.annotations["${prefix}/${key}"]`;
  const enabled = parseGoBool(get('canary'));
  if (enabled === undefined)
    problems.add(at('canary'), `not a boolean: ${JSON.stringify(get('canary'))}; read as false`, object);
  const int = (key: string, fallback: number): number => {
    const text = get(key);
    if (text === undefined) return fallback;
    if (/^[+-]?\d+$/.test(text)) return Number(text);
    problems.add(at(key), `not an integer: ${JSON.stringify(text)}; read as ${fallback}`, object);
    return fallback;
  };
  const policy: CanaryPolicy = {
    header: get('canary-by-header') ?? '',
    headerValue: get('canary-by-header-value') ?? '',
    headerPattern: get('canary-by-header-pattern') ?? '',
    cookie: get('canary-by-cookie') ?? '',
    weight: int('canary-weight', 0),
    weightTotal: int('canary-weight-total', 100),
  };
  if (enabled === true) return policy;
  if (policy.weight > 0 || policy.header || policy.headerValue || policy.headerPattern || policy.cookie)
    problems.add(
      at('canary'),
      'canary annotations are set but the canary is not enabled: ingress-nginx ignores them',
      object,
    );
  return undefined;
}

/** Go's strconv.ParseBool, as ingress-nginx reads the canary annotation; undefined for a bad value (absent: false). */
function parseGoBool(text: string | undefined): boolean | undefined {
  if (text === undefined) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function ingressClass(ing: unknown): string | undefined {
  return (
    stringField(field(ing, 'spec'), 'ingressClassName') ??
    stringField(field(field(ing, 'metadata'), 'annotations'), 'kubernetes.io/ingress.class')
  );
}
