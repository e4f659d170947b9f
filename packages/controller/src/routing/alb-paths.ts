// The Ingress paths of an ALB Ingress that name an action: a path whose backend is the Service name
// `<action>` with the port name `use-annotation` makes the AWS Load Balancer Controller take that
// path's rule from the `actions.<action>` annotation. The Rollout's action needs such a path (the
// person writes it); a header route gets one added at the head of every rule's paths, as Argo's
// CreateAnnotationBasedPath does, and taken out again when the route is no longer in force.
import { type Fields, isFields } from './json-fields';

/** The port name that sends a path to its action annotation. */
export const USE_ANNOTATION = 'use-annotation';

/** A path naming a backend Service, where it is in the Ingress. */
export interface PathAt {
  rule: number;
  path: number;
  /** The backend's port name, if it has one. */
  portName: string | undefined;
}

/** The backend Service name of a path, if it has one. */
function backendName(path: unknown): string | undefined {
  if (!isFields(path) || !isFields(path.backend) || !isFields(path.backend.service)) return undefined;
  return typeof path.backend.service.name === 'string' ? path.backend.service.name : undefined;
}

function portName(path: Fields): string | undefined {
  const service = (path.backend as Fields).service as Fields;
  const port = isFields(service.port) ? service.port.name : undefined;
  return typeof port === 'string' ? port : undefined;
}

/** The path lists of the rules that have one (a rule without `http` has no paths to route). */
function pathLists(spec: unknown): { rule: number; paths: unknown[] }[] {
  const rules = isFields(spec) && Array.isArray(spec.rules) ? spec.rules : [];
  return rules.flatMap((rule, i) =>
    isFields(rule) && isFields(rule.http) && Array.isArray(rule.http.paths)
      ? [{ rule: i, paths: rule.http.paths }]
      : [],
  );
}

/** Every path whose backend is the Service `name` (Argo's HasRuleWithService asks whether there is one). */
export function pathsTo(spec: unknown, name: string): PathAt[] {
  return pathLists(spec).flatMap(({ rule, paths }) =>
    paths.flatMap((p, path) =>
      backendName(p) === name ? [{ rule, path, portName: portName(p as Fields) }] : [],
    ),
  );
}

/** The path Argo adds for a header route: every request, to the action of the route's name. */
function actionPath(name: string): Fields {
  return {
    path: '/*',
    pathType: 'ImplementationSpecific',
    backend: { service: { name, port: { name: USE_ANNOTATION } } },
  };
}

/**
 * A copy of the Ingress spec with a path for each header route `inForce` (added at the head of every
 * rule's paths when no path names it yet), none for the routes `removed`, and the paths naming managed
 * routes first in each rule, in trafficRouting.managedRoutes order (`order`), the others as they were
 * (Argo's SortHttpPaths).
 */
export function withRoutePaths(
  spec: unknown,
  inForce: readonly string[],
  removed: readonly string[],
  order: readonly string[],
): unknown {
  const copy = structuredClone(spec);
  for (const list of pathLists(copy)) {
    const kept = list.paths.filter((p) => {
      const name = backendName(p);
      return name === undefined || !removed.includes(name);
    });
    list.paths.splice(0, list.paths.length, ...kept);
  }
  for (const name of inForce) {
    if (pathsTo(copy, name).length > 0) continue;
    for (const list of pathLists(copy)) list.paths.unshift(actionPath(name));
  }
  const rank = (p: unknown) => {
    const name = backendName(p);
    const i = name === undefined ? -1 : order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  for (const list of pathLists(copy)) {
    const sorted = [...list.paths].sort((a, b) => rank(a) - rank(b));
    list.paths.splice(0, list.paths.length, ...sorted);
  }
  return copy;
}
