/** Maps a request path to what it addresses: discovery, OpenAPI, or a resource (collection, object, subresource). */

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'core-versions' }
  | { kind: 'groups' }
  | { kind: 'group'; group: string }
  | { kind: 'resource-list'; group: string; version: string }
  | { kind: 'openapi-v3-root' }
  | { kind: 'openapi-v3'; path: string }
  | { kind: 'not-found' }
  | ResourceRoute;

export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  const base = { kind: 'resource' as const, group, version };
  const [a, b, c, d, e] = rest;
  if (rest.length === 0 || rest.some((s) => s === '')) return { kind: 'not-found' };
  if (a === 'namespaces' && rest.length >= 3) {
    // /api/v1/namespaces/NAME/status and /finalize are subresources of the namespace itself.
    if (group === '' && rest.length === 3 && (c === 'status' || c === 'finalize')) {
      return { ...base, plural: 'namespaces', name: b!, subresource: c };
    }
    if (rest.length > 5) return { kind: 'not-found' };
    return {
      ...base,
      namespace: b!,
      plural: c!,
      ...(d !== undefined ? { name: d } : {}),
      ...(e !== undefined ? { subresource: e } : {}),
    };
  }
  if (rest.length > 3) return { kind: 'not-found' };
  return {
    ...base,
    plural: a!,
    ...(b !== undefined ? { name: b } : {}),
    ...(c !== undefined ? { subresource: c } : {}),
  };
}

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  const parts = path.split('/').slice(1).map(decodeURIComponent);
  const [p0, p1, p2, p3] = parts;
  if (path === '/version') return { kind: 'version' };
  if (path === '/healthz' || path === '/readyz' || path === '/livez') return { kind: 'health' };
  if (p0 === 'openapi' && p1 === 'v3') {
    return parts.length === 2
      ? { kind: 'openapi-v3-root' }
      : { kind: 'openapi-v3', path: parts.slice(2).join('/') };
  }
  if (p0 === 'api') {
    if (parts.length === 1) return { kind: 'core-versions' };
    if (parts.length === 2) return { kind: 'resource-list', group: '', version: p1! };
    return resourceRoute('', p1!, parts.slice(2));
  }
  if (p0 === 'apis') {
    if (parts.length === 1) return { kind: 'groups' };
    if (parts.length === 2) return { kind: 'group', group: p1! };
    if (parts.length === 3) return { kind: 'resource-list', group: p1!, version: p2! };
    if (p3 === undefined) return { kind: 'not-found' };
    return resourceRoute(p1!, p2!, parts.slice(3));
  }
  return { kind: 'not-found' };
}
