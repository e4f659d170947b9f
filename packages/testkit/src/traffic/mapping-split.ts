// Ambassador / Emissary-ingress Mappings (getambassador.io v2, also read at v3alpha1) as Emissary groups
// and weighs them. The Mappings of the namespace that match the same requests as the entry Mapping (the
// same prefix, prefix_regex, host, hostname, method, headers and query parameters) form its group, and
// share its requests: one Mapping takes them all; otherwise those with a `weight` take that percent
// (rounded), and those without share what is left (each the rounded even share, the last the rest). A
// weight above 100, or weights above 100 in total, make Emissary refuse the group (404 for every
// request); weights below 100 with no Mapping without a weight leave the rest without a route (404).
// A request must match the group: its path starts with `prefix` (or matches it whole when
// `prefix_regex`), its host is `host` (v2; `host_regex` a regular expression) or fits `hostname` (v3
// glob), its method, headers and query parameters those given; else 404. A Mapping's `service` is
// `[scheme://]name[.namespace[.svc.cluster.local]][:port]` (port 80, 443 with https://); a Service
// that does not exist, lacks the port, lives in another namespace or has no ready endpoints answers
// 503 for its share. Not modelled: the Mappings of other prefixes, precedence, rewrites, resolvers,
// circuit breakers, shadow Mappings, Hosts and ambassador_id.
import { field, isObject, stringField } from './json-shape';
import { oldestFirst } from './object-order';
import type { RequestClass } from './request-mix';
import {
  answered,
  fixedRouter,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import { type ServiceWorld, serviceDestination } from './service-endpoints';

export const AMBASSADOR_ANSWERS = { invalid: '503', noEndpoints: '503' } as const;

/** What makes two Mappings match the same requests (Emissary's group). */
const GROUP_FIELDS = [
  'prefix',
  'prefix_regex',
  'prefix_exact',
  'case_sensitive',
  'host',
  'host_regex',
  'hostname',
  'method',
  'method_regex',
  'headers',
  'regex_headers',
  'query_parameters',
  'regex_query_parameters',
] as const;

/** The model of Emissary serving the group of the Mapping `entry` (undefined: not found) among `mappings`. */
export function mappingRouter(
  entry: unknown,
  mappings: readonly unknown[],
  world: ServiceWorld,
  object: string,
): Router {
  const problems = new ProblemList(object);
  if (entry === undefined) {
    problems.add('', 'not found: every request gets 404');
    return fixedRouter(object, problems, answered('none', '404', 'the Mapping is not found'));
  }
  const key = groupKey(entry);
  const others = mappings.filter((m) => nameOf(m) !== nameOf(entry));
  const group = oldestFirst([entry, ...others]).filter((m) => groupKey(m) === key);
  const match = readMatch(field(entry, 'spec'), problems);
  const shares = weighGroup(group, world.namespace, problems);
  const decision: RouteDecision =
    shares === undefined
      ? answered('group', '404', 'Emissary refuses the group of Mappings')
      : { rule: 'group', destinations: destinationsOf(shares, world, problems), mirrors: [] };
  return {
    entry: object,
    problems: problems.items,
    decide: (request) =>
      match(request) ? decision : answered('none', '404', 'the request does not match the Mapping'),
  };
}

function nameOf(m: unknown): string {
  return stringField(field(m, 'metadata'), 'name') ?? '';
}

function namespaceOf(m: unknown, fallback: string): string {
  return stringField(field(m, 'metadata'), 'namespace') ?? fallback;
}

function groupKey(m: unknown): string {
  const spec = field(m, 'spec');
  return JSON.stringify(GROUP_FIELDS.map((f) => canonical(field(spec, f))));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value ?? null;
}

interface Share {
  mapping: unknown;
  percent: number;
}

/** Each Mapping's percent of the group's requests, as Emissary normalizes them; undefined when it refuses the group. */
function weighGroup(
  group: readonly unknown[],
  namespace: string,
  problems: ProblemList,
): Share[] | undefined {
  if (group.length === 1) return [{ mapping: group[0], percent: 100 }];
  const weighted: Share[] = [];
  const weightless: unknown[] = [];
  let total = 0;
  for (const m of group) {
    const label = `Mapping ${namespace}/${nameOf(m)}`;
    const weight = field(field(m, 'spec'), 'weight');
    if (weight === undefined || weight === null) {
      weightless.push(m);
      continue;
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      problems.add(
        'spec.weight',
        `expected a number within 0..100, got ${JSON.stringify(weight)}; read as no weight`,
        label,
      );
      weightless.push(m);
      continue;
    }
    if (weight > 100) {
      problems.add(
        'spec.weight',
        `invalid weight ${weight}: Emissary refuses the group, every request gets 404`,
        label,
      );
      return undefined;
    }
    const percent = pythonRound(weight);
    total += percent;
    weighted.push({ mapping: m, percent });
  }
  if (total > 100) {
    problems.add(
      'spec.weight',
      `the weights of the group total ${total}, above 100: Emissary refuses the group, every request gets 404`,
    );
    return undefined;
  }
  if (weightless.length === 0) {
    if (total < 100)
      problems.add(
        'spec.weight',
        `the weights of the group total ${total}: the other ${100 - total}% of the requests match no route (404)`,
      );
    return weighted;
  }
  const each = pythonRound((100 - total) / weightless.length);
  const shares = weightless.map((m, i) => ({
    mapping: m,
    percent: i === weightless.length - 1 ? 100 - total - each * (weightless.length - 1) : each,
  }));
  return [...weighted, ...shares];
}

/** Python's round(): halves to the even neighbour. */
function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function destinationsOf(
  shares: readonly Share[],
  world: ServiceWorld,
  problems: ProblemList,
): WeightedDestination[] {
  const out: WeightedDestination[] = shares.map((s) => ({
    weight: Math.max(0, s.percent),
    destination: mappingDestination(s.mapping, world, problems),
    mirrors: [],
  }));
  const rest = 100 - shares.reduce((sum, s) => sum + Math.max(0, s.percent), 0);
  if (rest > 0)
    out.push({
      weight: rest,
      destination: { kind: 'answer', code: '404', service: '', reason: 'no route' },
      mirrors: [],
    });
  return out;
}

function mappingDestination(
  m: unknown,
  world: ServiceWorld,
  problems: ProblemList,
): WeightedDestination['destination'] {
  const label = `Mapping ${world.namespace}/${nameOf(m)}`;
  const text = stringField(field(m, 'spec'), 'service');
  const invalid = (service: string, reason: string): WeightedDestination['destination'] => {
    problems.add('spec.service', `${reason}: its share gets 503`, label);
    return { kind: 'answer', code: AMBASSADOR_ANSWERS.invalid, service, reason };
  };
  if (!text) return invalid('', 'missing');
  const parsed = /^(?:(https?):\/\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::(\d+))?$/i.exec(text.trim());
  if (!parsed) return invalid(text, `not a service address: ${JSON.stringify(text)}`);
  const [, scheme, host, , portText] = parsed;
  const port = portText !== undefined ? Number(portText) : scheme === 'https' ? 443 : 80;
  const parts = host!.toLowerCase().split('.');
  const name = parts[0]!;
  const namespace = parts[1] ?? namespaceOf(m, world.namespace);
  const suffix = parts.slice(2).join('.');
  if (suffix !== '' && suffix !== 'svc' && suffix !== 'svc.cluster.local')
    return invalid(host!, `${host} is not a Service address (external hosts are not modelled)`);
  if (namespace !== world.namespace)
    return invalid(host!, `Service "${namespace}/${name}" is in another namespace (not modelled)`);
  const service = world.service(name);
  if (!service) return invalid(name, `Service "${name}" not found`);
  if (!service.ports.some((p) => p.port === port))
    return invalid(name, `Service "${name}" has no port ${port}`);
  return serviceDestination(world, name, AMBASSADOR_ANSWERS);
}

/** Whether a request matches the group's conditions (read from the entry Mapping). */
function readMatch(spec: unknown, problems: ProblemList): (request: RequestClass) => boolean {
  const regexOf = (value: string, at: string): RegExp | undefined => {
    try {
      return new RegExp(`^(?:${value})$`);
    } catch {
      problems.add(at, `not a regular expression: ${value}; no request matches`);
      return undefined;
    }
  };
  const never = () => false;
  const prefix = field(spec, 'prefix');
  if (typeof prefix !== 'string' || prefix === '') {
    problems.add('spec.prefix', 'missing: no request matches the Mapping');
    return never;
  }
  const caseSensitive = field(spec, 'case_sensitive') !== false;
  const prefixRegex = field(spec, 'prefix_regex') === true ? regexOf(prefix, 'spec.prefix') : undefined;
  if (field(spec, 'prefix_regex') === true && !prefixRegex) return never;
  const host = stringField(spec, 'host');
  const hostRegex =
    host !== undefined && field(spec, 'host_regex') === true ? regexOf(host, 'spec.host') : undefined;
  const hostname = stringField(spec, 'hostname');
  const method = stringField(spec, 'method');
  const methodRegex =
    method !== undefined && field(spec, 'method_regex') === true ? regexOf(method, 'spec.method') : undefined;
  const pairs = (key: string, regex: boolean): [string, true | string | RegExp][] => {
    const value = field(spec, key);
    if (value === undefined || value === null) return [];
    if (!isObject(value)) {
      problems.add(`spec.${key}`, 'expected a map; read as none');
      return [];
    }
    const out: [string, true | string | RegExp][] = [];
    for (const [name, v] of Object.entries(value)) {
      if (v === true) out.push([name, true]);
      else if (typeof v === 'string')
        out.push([name, regex ? (regexOf(v, `spec.${key}["${name}"]`) ?? /$^/) : v]);
      else
        problems.add(
          `spec.${key}["${name}"]`,
          `expected a string or true, got ${JSON.stringify(v)}; the condition is left out`,
        );
    }
    return out;
  };
  const headers = [...pairs('headers', false), ...pairs('regex_headers', true)];
  const query = [...pairs('query_parameters', false), ...pairs('regex_query_parameters', true)];
  const holds = (want: true | string | RegExp, value: string | undefined) =>
    value !== undefined && (want === true || (typeof want === 'string' ? value === want : want.test(value)));
  return (request) => {
    const path = caseSensitive ? request.path : request.path.toLowerCase();
    if (
      prefixRegex
        ? !prefixRegex.test(request.path)
        : !path.startsWith(caseSensitive ? prefix : prefix.toLowerCase())
    )
      return false;
    if (request.host !== undefined) {
      if (
        host !== undefined &&
        (hostRegex ? !hostRegex.test(request.host) : host.toLowerCase() !== request.host)
      )
        return false;
      if (hostname !== undefined && !globMatches(hostname.toLowerCase(), request.host)) return false;
    }
    if (
      method !== undefined &&
      (methodRegex ? !methodRegex.test(request.method) : method.toUpperCase() !== request.method)
    )
      return false;
    if (!headers.every(([name, want]) => holds(want, request.headers.get(name.toLowerCase())))) return false;
    return query.every(([name, want]) => holds(want, request.query.get(name)));
  };
}

function globMatches(glob: string, host: string): boolean {
  if (glob === '*') return true;
  if (glob.startsWith('*')) return host.endsWith(glob.slice(1));
  if (glob.endsWith('*')) return host.startsWith(glob.slice(0, -1));
  return glob === host;
}
