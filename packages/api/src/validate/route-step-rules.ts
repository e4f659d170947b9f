// The canary steps that act on traffic routes: setCanaryScale (needs trafficRouting), setHeaderRoute
// (Istio, ALB, APISIX, the Gateway API plugin) and setMirrorRoute (Istio, the Gateway API plugin) need
// a router that runs them, a managed route of their name, and string matches with exactly one of
// exact, prefix or regex (with ALB, header values exact only), as Argo's validation.go has them.
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { type Findings, joinPath } from './findings';
import { isPlainObject } from './schema-check';
import { type BuiltInRouter, ROUTER_NAMES, type TrafficRouters, trafficRoutersOf } from './traffic-routers';
import { listed } from './traffic-routing-rules';

type Obj = Record<string, unknown>;
const ROUTING = 'spec.strategy.canary.trafficRouting';
const GATEWAY_API = `the Gateway API plugin (trafficRouting.plugins["${GATEWAY_API_PLUGIN}"])`;
const MATCH_KINDS = ['exact', 'prefix', 'regex'];

interface RouteStep {
  field: 'setHeaderRoute' | 'setMirrorRoute';
  /** Argo's built-in routers that run the step (plugins run both; Ramp runs the Gateway API plugin's). */
  routers: readonly BuiltInRouter[];
  nameOptionalInSchema: boolean;
}

/** Argo's validation.go: "SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix" (and plugins). */
const HEADER: RouteStep = {
  field: 'setHeaderRoute',
  routers: ['istio', 'alb', 'apisix'],
  nameOptionalInSchema: true,
};
/** Argo's validation.go: "SetMirrorRoute requires TrafficRouting, supports Istio and Plugins". */
const MIRROR: RouteStep = {
  field: 'setMirrorRoute',
  routers: ['istio'],
  nameOptionalInSchema: false,
};

/** Exactly one of exact, prefix and regex, as Argo's hasMultipleMatchValues (an empty string is none). */
function checkStringMatch(match: unknown, path: string, findings: Findings): void {
  if (!isPlainObject(match)) return; // absent is reported by the schema where it is required
  const set = MATCH_KINDS.filter((k) => typeof match[k] === 'string' && match[k] !== '');
  if (set.length > 1) {
    findings.error(path, `has ${set.join(' and ')}; give exactly one of exact, prefix or regex`);
  } else if (set.length === 0) {
    findings.error(path, 'gives no value; give exactly one of exact, prefix or regex', 'required');
  }
}

function checkRouter(
  step: RouteStep,
  routers: TrafficRouters,
  routed: boolean,
  path: string,
  findings: Findings,
): void {
  if (routers.gatewayApi || routers.otherPlugins.length > 0) return; // plugins run it; others are reported
  if (step.routers.some((r) => routers.builtIn.includes(r))) return;
  const have = routers.builtIn.map((r) => ROUTER_NAMES[r]);
  const why = !routed
    ? 'needs trafficRouting with a router that runs it'
    : have.length === 0
      ? 'needs a traffic router that runs it'
      : `needs a traffic router that runs it, and ${listed(have)} ${have.length > 1 ? 'do' : 'does'} not`;
  const runners = [GATEWAY_API, ...step.routers];
  findings.error(
    path,
    `${why}: ${step.field} runs with ${listed(runners)} (as in Argo Rollouts, which also runs it with other plugins); route with one of them, or remove the step`,
  );
}

/** The step's route name must be one of `trafficRouting.managedRoutes`. */
function checkManagedName(
  step: RouteStep,
  value: Obj,
  routing: Obj | undefined,
  path: string,
  findings: Findings,
): void {
  if (!routing) return; // the router check reported the missing trafficRouting
  const name = typeof value.name === 'string' ? value.name : '';
  const namePath = joinPath(path, 'name');
  const managed = Array.isArray(routing.managedRoutes) ? routing.managedRoutes : undefined;
  const listed = (managed ?? []).some((r) => isPlainObject(r) && r.name === name && name !== '');
  if (name === '') {
    // setMirrorRoute's schema requires the name (reported there); setHeaderRoute's leaves it optional
    const absent = value.name === undefined || value.name === null;
    if (value.name === '' || (absent && step.nameOptionalInSchema)) {
      findings.error(
        namePath,
        `is required; name the route, and list it under ${ROUTING}.managedRoutes`,
        'required',
      );
    }
  } else if (managed === undefined) {
    findings.error(
      namePath,
      `"${name}" needs ${ROUTING}.managedRoutes, which is missing; add "managedRoutes: [{name: ${name}}]" under trafficRouting`,
      'required',
    );
  } else if (!listed) {
    findings.error(
      namePath,
      `"${name}" is not in ${ROUTING}.managedRoutes; add "- name: ${name}" there, or use one of its names`,
    );
  }
}

/** Header routes go only into HTTP and gRPC routes that take them (the plugin's useHeaderRoutes). */
function headerRoutesReach(config: Obj, kinds: readonly ('http' | 'grpc')[]): boolean {
  return kinds.some((kind) => {
    if (typeof config[`${kind}Route`] === 'string' && config[`${kind}Route`] !== '') return true;
    const routes = config[`${kind}Routes`];
    return Array.isArray(routes) && routes.some((r) => isPlainObject(r) && r.useHeaderRoutes === true);
  });
}

function checkGatewayReach(
  step: RouteStep,
  routing: Obj | undefined,
  path: string,
  findings: Findings,
): void {
  const plugins = routing && isPlainObject(routing.plugins) ? routing.plugins : {};
  const config = plugins[GATEWAY_API_PLUGIN];
  if (!isPlainObject(config)) return;
  const kinds = step === HEADER ? (['http', 'grpc'] as const) : (['http'] as const);
  if (headerRoutesReach(config, kinds)) return;
  const where = step === HEADER ? 'HTTPRoutes and GRPCRoutes' : 'HTTPRoutes';
  findings.warn(
    path,
    `changes no route: the Gateway API plugin adds it only to ${where} named by ${kinds.map((k) => `${k}Route`).join(' or ')}, or listed under ${kinds.map((k) => `${k}Routes`).join(' or ')} with "useHeaderRoutes: true" (routes found by a selector never take it); set useHeaderRoutes on the route that should carry it`,
  );
}

/** Argo's hasALBInvalidValues: an ALB listener rule matches a header value exactly, nothing else. */
function checkAlbHeaderValue(match: unknown, path: string, findings: Findings): void {
  if (!isPlainObject(match)) return; // absent is reported by the schema
  const others = ['prefix', 'regex'].filter((k) => typeof match[k] === 'string' && match[k] !== '');
  if (others.length > 0) {
    findings.error(
      path,
      `has ${others.join(' and ')}, which ALB cannot match (Argo Rollouts: "ALB supports 'exact' value only"); match the header with "exact" alone`,
    );
  } else if (!(typeof match.exact === 'string' && match.exact !== '')) {
    findings.error(path, 'gives no value; give "exact" (ALB matches header values exactly)', 'required');
  }
}

function checkHeaderRoute(value: Obj, alb: boolean, path: string, findings: Findings): void {
  if (!Array.isArray(value.match)) return;
  value.match.forEach((m, j) => {
    if (!isPlainObject(m)) return;
    const at = joinPath(joinPath(joinPath(path, 'match'), j), 'headerValue');
    if (alb) checkAlbHeaderValue(m.headerValue, at, findings);
    else checkStringMatch(m.headerValue, at, findings);
  });
}

function checkMirrorRoute(value: Obj, gatewayApi: boolean, path: string, findings: Findings): void {
  const percentage = value.percentage;
  if (typeof percentage === 'number' && (percentage < 0 || percentage > 100)) {
    findings.error(
      joinPath(path, 'percentage'),
      `${percentage} is out of range; use 0..100 (percent of the matched requests)`,
    );
  }
  if (!Array.isArray(value.match)) return;
  value.match.forEach((m, j) => {
    if (!isPlainObject(m)) return;
    const mp = joinPath(joinPath(path, 'match'), j);
    checkStringMatch(m.method, joinPath(mp, 'method'), findings);
    checkStringMatch(m.path, joinPath(mp, 'path'), findings);
    if (isPlainObject(m.headers)) {
      for (const [name, match] of Object.entries(m.headers))
        checkStringMatch(match, joinPath(joinPath(mp, 'headers'), name), findings);
    }
    const method = m.method;
    if (gatewayApi && isPlainObject(method) && !(typeof method.exact === 'string' && method.exact !== '')) {
      if (MATCH_KINDS.some((k) => typeof method[k] === 'string' && method[k] !== '')) {
        findings.error(
          joinPath(mp, 'method'),
          'must be matched with "exact" with the Gateway API plugin: an HTTPRoute matches a method exactly; write e.g. "method: {exact: GET}"',
        );
      }
    }
  });
}

/** The rules of the steps that act on routes, for a canary at `spec.strategy.canary`. */
export function checkRouteSteps(canary: Obj, findings: Findings): void {
  const steps = Array.isArray(canary.steps) ? canary.steps : [];
  const routing = isPlainObject(canary.trafficRouting) ? canary.trafficRouting : undefined;
  const routers = trafficRoutersOf(routing);
  steps.forEach((step, i) => {
    if (!isPlainObject(step)) return;
    const p = joinPath(joinPath('spec.strategy.canary', 'steps'), i);
    if (step.setCanaryScale !== undefined && step.setCanaryScale !== null && !routing) {
      findings.error(
        joinPath(p, 'setCanaryScale'),
        "needs trafficRouting: without a traffic router the canary's share of the pods is its share of the traffic, so it cannot be scaled apart from the weight; add trafficRouting, or use setWeight alone",
      );
    }
    for (const kind of [HEADER, MIRROR]) {
      const value = step[kind.field];
      if (!isPlainObject(value)) continue;
      const path = joinPath(p, kind.field);
      checkRouter(kind, routers, routing !== undefined, path, findings);
      checkManagedName(kind, value, routing, path, findings);
      checkGatewayReach(kind, routing, path, findings);
      if (kind === HEADER) checkHeaderRoute(value, routers.alb, path, findings);
      else checkMirrorRoute(value, routers.gatewayApi, path, findings);
    }
  });
}
