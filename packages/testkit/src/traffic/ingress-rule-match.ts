// Which path of an Ingress (networking.k8s.io/v1) a request reaches, as ingress-nginx builds its
// servers and locations. The host: the request's (--host), else the host of the Ingress' first
// rule; a rule of that exact host wins over a wildcard rule (`*.example.com` matches one label:
// `a.example.com`, not `a.b.example.com`), which wins over rules without a host. The path, among
// the paths of every rule of that host: an `Exact` path equal to the request's first, else the
// longest matching path (`Prefix`: element by element, `/foo` matches `/foo/bar` not `/foobar`;
// `ImplementationSpecific`: a plain string prefix, as an nginx location). No path: the Ingress'
// `spec.defaultBackend`, else none (404). Regular-expression paths (use-regex) are not modelled.
import { isObject, stringField } from './json-shape';
import type { RequestClass } from './request-mix';
import type { ProblemList } from './route-decision';

export interface IngressLocation {
  /** The rule's host ('' for none, or the default backend). */
  host: string;
  /** The path ('' for the default backend). */
  path: string;
  pathType: string;
  service: string;
  /** The backend's service port, by number or name (undefined when missing). */
  port: number | string | undefined;
  /** Its field path, e.g. `spec.rules[0].http.paths[1].backend`. */
  field: string;
}

/** Every path of the Ingress, with its backend; unreadable ones are reported and left out. */
export function ingressLocations(ingress: unknown, problems: ProblemList): IngressLocation[] {
  const spec = isObject(ingress) ? ingress['spec'] : undefined;
  const rules = isObject(spec) ? spec['rules'] : undefined;
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) {
    problems.add('spec.rules', 'expected a list of rules');
    return [];
  }
  const out: IngressLocation[] = [];
  rules.forEach((rule: unknown, i) => {
    const host = stringField(rule, 'host') ?? '';
    const paths = isObject(rule) && isObject(rule['http']) ? rule['http']['paths'] : undefined;
    if (!Array.isArray(paths)) return;
    paths.forEach((p: unknown, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const backend = backendOf(isObject(p) ? p['backend'] : undefined, `${at}.backend`, problems);
      if (!backend) return;
      out.push({
        host,
        path: stringField(p, 'path') ?? '/',
        pathType: stringField(p, 'pathType') ?? 'ImplementationSpecific',
        ...backend,
        field: `${at}.backend`,
      });
    });
  });
  return out;
}

/** The Ingress' default backend, when it has one. */
export function ingressDefaultBackend(ingress: unknown, problems: ProblemList): IngressLocation | undefined {
  const spec = isObject(ingress) ? ingress['spec'] : undefined;
  if (!isObject(spec) || spec['defaultBackend'] === undefined) return undefined;
  const backend = backendOf(spec['defaultBackend'], 'spec.defaultBackend', problems);
  return backend && { host: '', path: '', pathType: '', ...backend, field: 'spec.defaultBackend' };
}

/** The host a request without --host is sent to: the first rule's. */
export function defaultIngressHost(ingress: unknown): string | undefined {
  const spec = isObject(ingress) ? ingress['spec'] : undefined;
  const rules = isObject(spec) ? spec['rules'] : undefined;
  return Array.isArray(rules) ? stringField(rules[0], 'host') : undefined;
}

/** The location the request reaches among `locations` (all of one Ingress), or undefined. */
export function matchIngressLocation(
  locations: readonly IngressLocation[],
  request: RequestClass,
  host: string,
): IngressLocation | undefined {
  const exact = locations.filter((l) => l.host !== '' && l.host === host);
  const wildcard = locations.filter((l) => l.host.startsWith('*.') && wildcardMatches(l.host, host));
  const candidates =
    exact.length > 0 ? exact : wildcard.length > 0 ? wildcard : locations.filter((l) => l.host === '');
  const exactPath = candidates.find((l) => l.pathType === 'Exact' && l.path === request.path);
  if (exactPath) return exactPath;
  let best: IngressLocation | undefined;
  for (const l of candidates)
    if (l.pathType !== 'Exact' && pathMatches(l, request.path) && (!best || l.path.length > best.path.length))
      best = l;
  return best;
}

function wildcardMatches(pattern: string, host: string): boolean {
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length;
}

function pathMatches(location: IngressLocation, path: string): boolean {
  if (location.pathType === 'Prefix') {
    const prefix = location.path.replace(/\/+$/, '');
    return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  }
  return path.startsWith(location.path);
}

function backendOf(
  backend: unknown,
  at: string,
  problems: ProblemList,
): Pick<IngressLocation, 'service' | 'port'> | undefined {
  const service = isObject(backend) ? backend['service'] : undefined;
  const name = stringField(service, 'name');
  if (!name) {
    problems.add(
      at,
      isObject(backend) && backend['resource'] !== undefined
        ? 'a resource backend is not modelled; the path is left out'
        : 'expected backend.service.name; the path is left out',
    );
    return undefined;
  }
  const port = isObject(service) && isObject(service['port']) ? service['port'] : undefined;
  const number = port?.['number'];
  const portName = port?.['name'];
  return {
    service: name,
    port: typeof number === 'number' ? number : typeof portName === 'string' ? portName : undefined,
  };
}
