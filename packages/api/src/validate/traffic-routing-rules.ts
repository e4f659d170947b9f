// Argo's rules for `spec.strategy.canary.trafficRouting` (its validation.go and the nginx checks of
// validation_references.go), and Ramp's for the routers it runs: which routers, the Services they
// need, maxTrafficWeight, managedRoutes, the nginx Ingress fields, and the Gateway API plugin's
// configuration (gateway-api-plugin-rules.ts).
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { type Findings, joinPath } from './findings';
import { checkGatewayApiConfig } from './gateway-api-plugin-rules';
import { isPlainObject } from './schema-check';
import { ROUTERS_RAMP_RUNS } from './support';
import { namesAnyRouter, type TrafficRouters, trafficRoutersOf } from './traffic-routers';

type Obj = Record<string, unknown>;
const PATH = 'spec.strategy.canary';
const ROUTING = `${PATH}.trafficRouting`;

function checkRouterChoice(routing: Obj, routers: TrafficRouters, findings: Findings): void {
  if (!namesAnyRouter(routers)) {
    findings.error(
      ROUTING,
      `names no traffic router; ${ROUTERS_RAMP_RUNS}: add one of them, or remove trafficRouting to split traffic by replica counts`,
      'required',
    );
  }
  const plugins = isPlainObject(routing.plugins) ? routing.plugins : {};
  for (const name of routers.otherPlugins) {
    findings.unsupported(
      joinPath(joinPath(ROUTING, 'plugins'), name),
      `The traffic router plugin "${name}"`,
      `Ramp runs the Gateway API plugin's configuration ("${GATEWAY_API_PLUGIN}") natively and runs no plugin binaries`,
    );
  }
  if (routers.gatewayApi) {
    checkGatewayApiConfig(
      plugins[GATEWAY_API_PLUGIN],
      joinPath(joinPath(ROUTING, 'plugins'), GATEWAY_API_PLUGIN),
      findings,
    );
  }
}

/** Every router Ramp runs moves traffic between the two Services, so it needs both names. */
function checkServices(canary: Obj, routers: TrafficRouters, findings: Findings): void {
  const runs = [
    ...(routers.gatewayApi ? ['the Gateway API plugin'] : []),
    ...(routers.nginx ? ['nginx'] : []),
    ...(routers.smi ? ['smi'] : []),
  ];
  if (runs.length === 0) return;
  for (const field of ['canaryService', 'stableService']) {
    const value = canary[field];
    if (value === undefined || value === null || value === '') {
      findings.error(
        joinPath(PATH, field),
        `is required with trafficRouting: ${runs.join(' and ')} ${runs.length > 1 ? 'send' : 'sends'} the canary's share of the traffic to the canaryService and the rest to the stableService; add "${field}: <Service name>"`,
        'required',
      );
    }
  }
}

function checkMaxTrafficWeight(routing: Obj, routers: TrafficRouters, findings: Findings): void {
  const max = routing.maxTrafficWeight;
  if (max === undefined || max === null) return;
  const path = joinPath(ROUTING, 'maxTrafficWeight');
  if (!routers.nginx && !routers.gatewayApi && routers.otherPlugins.length === 0) {
    findings.error(
      path,
      'is only supported with nginx and the Gateway API plugin (as in Argo Rollouts: nginx and plugins); remove it (the weights are then out of 100)',
    );
  } else if (typeof max === 'number' && max <= 0) {
    findings.error(
      path,
      `${max} must be greater than 0; it is the total the weights are out of (default 100)`,
    );
  }
}

function checkManagedRoutes(routing: Obj, findings: Findings): void {
  const routes = routing.managedRoutes;
  if (!Array.isArray(routes)) return;
  const seen = new Map<string, number>();
  routes.forEach((route, i) => {
    if (!isPlainObject(route) || typeof route.name !== 'string') return;
    const path = joinPath(joinPath(joinPath(ROUTING, 'managedRoutes'), i), 'name');
    if (route.name === '') {
      findings.error(
        path,
        'is empty; give the route a name that setHeaderRoute or setMirrorRoute steps use',
        'required',
      );
      return;
    }
    const first = seen.get(route.name);
    if (first !== undefined) {
      findings.error(
        path,
        `"${route.name}" is already listed at managedRoutes[${first}]; each managed route needs its own name`,
      );
    } else seen.set(route.name, i);
  });
}

/** Argo's ValidateRolloutNginxIngressesConfig: exactly one of stableIngress and stableIngresses. */
function checkNginx(routing: Obj, findings: Findings): void {
  const nginx = routing.nginx;
  if (!isPlainObject(nginx)) return;
  const path = joinPath(ROUTING, 'nginx');
  const one = typeof nginx.stableIngress === 'string' && nginx.stableIngress !== '';
  const many = Array.isArray(nginx.stableIngresses) && nginx.stableIngresses.length > 0;
  if (one && many) {
    findings.error(
      joinPath(path, 'stableIngresses'),
      'is given with stableIngress; name the Ingress with stableIngress, or several with stableIngresses, not both',
    );
  } else if (!one && !many) {
    findings.error(
      path,
      'names no Ingress; add "stableIngress: <the Ingress that routes to the stableService>" (or stableIngresses for several)',
      'required',
    );
  }
  if (Array.isArray(nginx.stableIngresses)) {
    nginx.stableIngresses.forEach((name, i) => {
      if (name === '') {
        findings.error(
          joinPath(joinPath(path, 'stableIngresses'), i),
          'is empty; give the Ingress name',
          'required',
        );
      }
    });
  }
}

/** The rules of a canary with `trafficRouting` (steps are route-step-rules.ts's). */
export function checkTrafficRouting(canary: Obj, findings: Findings): void {
  const routing = canary.trafficRouting;
  if (!isPlainObject(routing)) return;
  const routers = trafficRoutersOf(routing);
  checkRouterChoice(routing, routers, findings);
  checkServices(canary, routers, findings);
  checkMaxTrafficWeight(routing, routers, findings);
  checkManagedRoutes(routing, findings);
  checkNginx(routing, findings);
}
