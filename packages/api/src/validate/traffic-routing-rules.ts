// Argo's rules for `spec.strategy.canary.trafficRouting` and `pingPong` (its validation.go, the
// router checks of validation_references.go and controller.go, and what its routers refuse when they
// run), and Ramp's for the routers it runs: which routers, the Services they need, ping-pong,
// maxTrafficWeight, managedRoutes, each router's fields (nginx, Istio, ALB, Ambassador, APISIX,
// Traefik), and the Gateway API plugin's configuration (gateway-api-plugin-rules.ts).
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { type Findings, joinPath } from './findings';
import { checkGatewayApiConfig } from './gateway-api-plugin-rules';
import { isPlainObject } from './schema-check';
import { ROUTERS_RAMP_RUNS } from './support';
import { namesAnyRouter, ROUTER_NAMES, type TrafficRouters, trafficRoutersOf } from './traffic-routers';

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

const given = (v: unknown) => v !== undefined && v !== null;
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** `a`, `a and b`, `a, b and c`. */
export function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The routers that can take ping-pong Services instead of canaryService and stableService. */
const PING_PONG_ROUTERS = ['the Gateway API plugin', 'Istio', 'ALB'];

/**
 * The routers that need canaryService and stableService: Argo's requireCanaryStableServices (every
 * built-in router, but ALB with pingPong and Istio with destinationRule or pingPong), and, Ramp's
 * own rule, the Gateway API plugin unless pingPong gives the Services.
 */
function routersNeedingServices(canary: Obj, routing: Obj, routers: TrafficRouters): string[] {
  const pingPong = given(canary.pingPong);
  const istio = isPlainObject(routing.istio) ? routing.istio : {};
  const out = routers.gatewayApi && !pingPong ? ['the Gateway API plugin'] : [];
  for (const name of routers.builtIn) {
    if (name === 'alb' && pingPong) continue;
    if (name === 'istio' && (pingPong || given(istio.destinationRule))) continue;
    out.push(ROUTER_NAMES[name]);
  }
  return out;
}

/** The routers move traffic between the two Services, so they need both names (see above for which). */
function checkServices(canary: Obj, routing: Obj, routers: TrafficRouters, findings: Findings): void {
  const runs = routersNeedingServices(canary, routing, routers);
  if (runs.length === 0) return;
  const otherWays = [
    ...(runs.every((r) => r === 'Istio') ? ['route by subsets with istio.destinationRule'] : []),
    ...(runs.every((r) => PING_PONG_ROUTERS.includes(r)) ? ['use pingPong'] : []),
  ];
  for (const field of ['canaryService', 'stableService']) {
    const value = canary[field];
    if (value === undefined || value === null || value === '') {
      findings.error(
        joinPath(PATH, field),
        `is required with trafficRouting: ${listed(runs)} ${runs.length > 1 ? 'send' : 'sends'} the canary's share of the traffic to the canaryService and the rest to the stableService; add "${field}: <Service name>"${otherWays.map((w) => `, or ${w}`).join('')}`,
        'required',
      );
    }
  }
}

/**
 * Argo's ping-pong rules (validation.go): both Services, not the same one, with ALB, Istio or a
 * plugin (Ramp: the Gateway API plugin), and ALB's rootService (checkAlb). Without trafficRouting
 * Argo accepts it, but no router splits traffic between the two: a warning.
 */
function checkPingPong(canary: Obj, findings: Findings): void {
  const pingPong = canary.pingPong;
  if (!isPlainObject(pingPong)) return;
  const path = joinPath(PATH, 'pingPong');
  for (const field of ['pingService', 'pongService']) {
    if (pingPong[field] === '') {
      findings.error(
        joinPath(path, field),
        'is empty; give the Service name (pingPong needs two Services, which take turns being the stable)',
        'required',
      );
    }
  }
  if (nonEmpty(pingPong.pingService) && pingPong.pingService === pingPong.pongService) {
    findings.error(
      joinPath(path, 'pongService'),
      `"${pingPong.pongService}" is also the pingService; use two different Services`,
    );
  }
  const routing = canary.trafficRouting;
  if (!given(routing)) {
    findings.warn(
      path,
      'is used only by a traffic router (alb, istio or the Gateway API plugin) and trafficRouting is not set, so no traffic is split between the ping and pong Services (Argo Rollouts accepts it too); add trafficRouting with one of them, or remove pingPong',
    );
    return;
  }
  const routers = trafficRoutersOf(routing);
  const takesPingPong = routers.alb || routers.istio || routers.gatewayApi || routers.otherPlugins.length > 0;
  if (!takesPingPong && routers.builtIn.length > 0) {
    findings.error(
      path,
      `works only with the alb, istio and Gateway API plugin routers (Argo Rollouts: ALB, Istio and plugins), and trafficRouting names ${listed(routers.builtIn)}; route with one of them, or remove pingPong and give canaryService and stableService`,
    );
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

/** An empty name at `path`: "is empty; give the <what>". */
function emptyName(value: unknown, path: string, what: string, findings: Findings): void {
  if (value === '') findings.error(path, `is empty; give the ${what}`, 'required');
}

/**
 * Argo's ValidateRolloutVirtualServicesConfig: exactly one of virtualService and virtualServices; the
 * destinationRule's names (the schema requires them) not empty, and, Ramp's rule, two subsets.
 */
function checkIstio(routing: Obj, findings: Findings): void {
  const istio = routing.istio;
  if (!isPlainObject(istio)) return;
  const path = joinPath(ROUTING, 'istio');
  const one = isPlainObject(istio.virtualService);
  const many = Array.isArray(istio.virtualServices) && istio.virtualServices.length > 0;
  if (one && many) {
    findings.error(
      joinPath(path, 'virtualServices'),
      'is given with virtualService; name the VirtualService with virtualService, or several with virtualServices, not both (Argo Rollouts: "either VirtualService or VirtualServices must be configured")',
    );
  } else if (!one && !many) {
    findings.error(
      path,
      'names no VirtualService; add "virtualService: {name: <the VirtualService whose routes carry the canary split>}" (or virtualServices for several), as Argo Rollouts requires, also with a destinationRule',
      'required',
    );
  }
  if (isPlainObject(istio.virtualService)) {
    emptyName(
      istio.virtualService.name,
      joinPath(joinPath(path, 'virtualService'), 'name'),
      'VirtualService name',
      findings,
    );
  }
  if (Array.isArray(istio.virtualServices)) {
    istio.virtualServices.forEach((vs, i) => {
      if (isPlainObject(vs))
        emptyName(
          vs.name,
          joinPath(joinPath(joinPath(path, 'virtualServices'), i), 'name'),
          'VirtualService name',
          findings,
        );
    });
  }
  const rule = istio.destinationRule;
  if (!isPlainObject(rule)) return;
  const rulePath = joinPath(path, 'destinationRule');
  emptyName(rule.name, joinPath(rulePath, 'name'), 'DestinationRule name', findings);
  emptyName(
    rule.canarySubsetName,
    joinPath(rulePath, 'canarySubsetName'),
    "name of the DestinationRule's subset for the canary pods",
    findings,
  );
  emptyName(
    rule.stableSubsetName,
    joinPath(rulePath, 'stableSubsetName'),
    "name of the DestinationRule's subset for the stable pods",
    findings,
  );
  if (nonEmpty(rule.canarySubsetName) && rule.canarySubsetName === rule.stableSubsetName) {
    findings.error(
      joinPath(rulePath, 'stableSubsetName'),
      `"${rule.stableSubsetName}" is also the canarySubsetName; the controller points each subset at its own ReplicaSet, so name two different subsets`,
    );
  }
}

/** The most seconds an ALB target group's stickiness lasts (the AWS API's range, checked by Argo's alb.go). */
const MAX_STICKINESS_SECONDS = 604800;

/**
 * Argo's ValidateRolloutAlbIngressesConfig (exactly one of ingress and ingresses), its ping-pong rule
 * (rootService), its stickiness range (alb.go); and, Ramp's rule, a servicePort a Service can have.
 */
function checkAlb(canary: Obj, routing: Obj, findings: Findings): void {
  const alb = routing.alb;
  if (!isPlainObject(alb)) return;
  const path = joinPath(ROUTING, 'alb');
  const one = nonEmpty(alb.ingress);
  const many = Array.isArray(alb.ingresses) && alb.ingresses.length > 0;
  if (one && many) {
    findings.error(
      joinPath(path, 'ingresses'),
      'is given with ingress; name the Ingress with ingress, or several with ingresses, not both (Argo Rollouts: "Either Ingress or Ingresses must be configured. Both are configured.")',
    );
  } else if (!one && !many) {
    findings.error(
      path,
      'names no Ingress; add "ingress: <the Ingress whose ALB routes to the rootService (default: the stableService)>" (or ingresses for several)',
      'required',
    );
  }
  if (Array.isArray(alb.ingresses)) {
    alb.ingresses.forEach((name, i) => {
      emptyName(name, joinPath(joinPath(path, 'ingresses'), i), 'Ingress name', findings);
    });
  }
  const port = alb.servicePort;
  if (typeof port === 'number' && Number.isInteger(port) && (port < 1 || port > 65535)) {
    findings.error(
      joinPath(path, 'servicePort'),
      `${port} is not a Service port; use the port (1..65535) of the Services the Ingress routes to, e.g. "servicePort: 80"`,
    );
  }
  if (given(canary.pingPong) && !nonEmpty(alb.rootService)) {
    findings.error(
      joinPath(path, 'rootService'),
      'is required with pingPong (as in Argo Rollouts): the ALB action the controller writes on the Ingress path of the rootService splits its traffic between the ping and pong Services; add "rootService: <the Service the Ingress routes to>"',
      'required',
    );
  }
  const stickiness = alb.stickinessConfig;
  if (isPlainObject(stickiness) && stickiness.enabled === true) {
    const seconds = stickiness.durationSeconds;
    if (typeof seconds === 'number' && (seconds < 1 || seconds > MAX_STICKINESS_SECONDS)) {
      findings.error(
        joinPath(joinPath(path, 'stickinessConfig'), 'durationSeconds'),
        `${seconds} is out of range; the target groups' stickiness lasts 1..${MAX_STICKINESS_SECONDS} seconds (7 days), as the AWS API and Argo Rollouts require`,
      );
    }
  }
}

/** Argo's getAmbassadorMappings: "must provide at least one mapping". */
function checkAmbassador(routing: Obj, findings: Findings): void {
  const ambassador = routing.ambassador;
  if (!isPlainObject(ambassador) || !Array.isArray(ambassador.mappings)) return; // absent: the schema's
  const path = joinPath(joinPath(ROUTING, 'ambassador'), 'mappings');
  if (ambassador.mappings.length === 0) {
    findings.error(
      path,
      'is empty; name at least one Mapping (the controller adds a canary Mapping beside each), e.g. "mappings: [<Mapping name>]"',
      'required',
    );
  }
  ambassador.mappings.forEach((name, i) => {
    emptyName(name, joinPath(path, i), 'Mapping name', findings);
  });
}

/** APISIX routes through one ApisixRoute, whose name is required (Argo reads route.name unchecked). */
function checkApisix(routing: Obj, findings: Findings): void {
  const apisix = routing.apisix;
  if (!isPlainObject(apisix)) return;
  const path = joinPath(ROUTING, 'apisix');
  if (!given(apisix.route)) {
    findings.error(
      path,
      'names no ApisixRoute; add "route: {name: <the ApisixRoute whose backends carry the canary split>}"',
      'required',
    );
    return;
  }
  if (!isPlainObject(apisix.route)) return;
  emptyName(apisix.route.name, joinPath(joinPath(path, 'route'), 'name'), 'ApisixRoute name', findings);
  if (Array.isArray(apisix.route.rules)) {
    apisix.route.rules.forEach((name, i) => {
      emptyName(
        name,
        joinPath(joinPath(joinPath(path, 'route'), 'rules'), i),
        'name of an http rule of the ApisixRoute, or remove the entry',
        findings,
      );
    });
  }
}

/** Traefik routes through one TraefikService (the schema requires its name). */
function checkTraefik(routing: Obj, findings: Findings): void {
  const traefik = routing.traefik;
  if (!isPlainObject(traefik)) return;
  emptyName(
    traefik.weightedTraefikServiceName,
    joinPath(joinPath(ROUTING, 'traefik'), 'weightedTraefikServiceName'),
    'name of the TraefikService whose weighted services are the canaryService and the stableService',
    findings,
  );
}

/** The rules of a canary with `trafficRouting` (steps are route-step-rules.ts's), and of pingPong. */
export function checkTrafficRouting(canary: Obj, findings: Findings): void {
  checkPingPong(canary, findings);
  const routing = canary.trafficRouting;
  if (!isPlainObject(routing)) return;
  const routers = trafficRoutersOf(routing);
  checkRouterChoice(routing, routers, findings);
  checkServices(canary, routing, routers, findings);
  checkMaxTrafficWeight(routing, routers, findings);
  checkManagedRoutes(routing, findings);
  checkNginx(routing, findings);
  checkIstio(routing, findings);
  checkAlb(canary, routing, findings);
  checkAmbassador(routing, findings);
  checkApisix(routing, findings);
  checkTraefik(routing, findings);
}
