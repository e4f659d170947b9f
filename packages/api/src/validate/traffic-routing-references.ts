// Checks between a traffic-routed Rollout and the objects its router changes, within a set of
// manifests: the Gateway API plugin's named routes must split between the canary and stable
// Services in one rule, nginx's stable Ingresses must route to the stableService, an smi
// TrafficSplit must split the Rollout's root Service, ALB's Ingresses must route to the rootService
// (else the stableService) and Ambassador's Mappings must not set a weight (Argo's
// validation_references.go), and the objects the Istio, APISIX and Traefik routers change should be
// among the files. Each is a warning: the object may live elsewhere.
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { joinPath } from './findings';
import { GATEWAY_ROUTE_KINDS } from './gateway-api-plugin-rules';
import { list, type ManifestSet, map, metaOf, type Obj, str } from './manifest-set';

const ROUTING = 'spec.strategy.canary.trafficRouting';
const GATEWAY_API = joinPath(joinPath(ROUTING, 'plugins'), GATEWAY_API_PLUGIN);

/** The kinds these checks read, besides the Services every Rollout names. */
export const ROUTED_KINDS = [
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'TLSRoute',
  'Ingress',
  'TrafficSplit',
  'VirtualService',
  'DestinationRule',
  'Mapping',
  'ApisixRoute',
  'TraefikService',
];

export type Warn = (path: string, message: string) => void;

/** What each check reads: the manifests, the Rollout, its canary strategy and its Services. */
interface RoutedRollout {
  set: ManifestSet;
  rollout: Obj;
  /** spec.strategy.canary */
  canary: Obj;
  rolloutName: string | undefined;
  namespace: string | undefined;
  services: { canary: string | undefined; stable: string | undefined };
  warn: Warn;
}

const notInSet = (kind: string, name: string) =>
  `references ${kind} "${name}", which is not among the files given; create it before the Rollout runs`;

/**
 * Whether `doc` is controlled by the Rollout: a controller ownerReference to a Rollout of its name
 * (and of its uid, when the Rollout in the set has one), as an object the controller created has.
 */
function controlledBy(doc: Obj, rollout: Obj): boolean {
  const { name } = metaOf(rollout);
  const uid = str(map(rollout.metadata).uid);
  return list(map(doc.metadata).ownerReferences).some(
    (o) =>
      o.controller === true &&
      o.kind === 'Rollout' &&
      o.name === name &&
      (uid === undefined || o.uid === uid),
  );
}

/** Argo's GetCanaryIngressName: `<rollout>-<stable ingress>`, cut to fit 253 characters, then `-canary`. */
const canaryIngressName = (rollout: string, stable: string) =>
  `${`${rollout}-${stable}`.slice(0, 253 - 7)}-canary`;

/** The groups that name the core API group in a backendRef: "" (the Gateway API's), and Linkerd's "core". */
const CORE_GROUPS: unknown[] = [undefined, '', 'core'];

/**
 * The names of the Services a rule's backendRefs send traffic to: kind Service (the default) in the
 * core group, written as the Gateway API has it or as Linkerd's examples do (`group: core`).
 */
function ruleServices(rule: Obj): string[] {
  return list(rule.backendRefs)
    .filter((ref) => CORE_GROUPS.includes(ref.group) && (ref.kind === undefined || ref.kind === 'Service'))
    .map((ref) => str(ref.name))
    .filter((n): n is string => n !== undefined);
}

/** Why a route cannot carry the canary split, or undefined when a rule sends to both Services. */
function routeProblem(
  kind: string,
  name: string,
  route: Obj,
  services: { canary: string; stable: string },
): string | undefined {
  const rules = list(map(route.spec).rules).map(ruleServices);
  if (rules.some((names) => names.includes(services.canary) && names.includes(services.stable)))
    return undefined;
  const missing = [
    ...(rules.some((n) => n.includes(services.canary)) ? [] : [`the canaryService "${services.canary}"`]),
    ...(rules.some((n) => n.includes(services.stable)) ? [] : [`the stableService "${services.stable}"`]),
  ];
  const why =
    missing.length > 0
      ? `no rule has a backendRef to ${missing.join(' or ')}`
      : `its rules send to the canaryService "${services.canary}" and the stableService "${services.stable}" apart, never both from one rule`;
  return `${kind} "${name}" cannot carry the canary split: ${why}, so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares`;
}

function checkGatewayRoutes({ set, canary, namespace, services, warn }: RoutedRollout): void {
  const config = map(map(map(canary.trafficRouting).plugins)[GATEWAY_API_PLUGIN]);
  const routesNamespace = str(config.namespace) ?? namespace;
  for (const k of GATEWAY_ROUTE_KINDS) {
    const named: [string, string][] = [];
    const one = str(config[k.one]);
    if (one) named.push([joinPath(GATEWAY_API, k.one), one]);
    list(config[k.many]).forEach((r, i) => {
      const name = str(r.name);
      if (name) named.push([joinPath(joinPath(joinPath(GATEWAY_API, k.many), i), 'name'), name]);
    });
    for (const [path, name] of named) {
      const route = set.find(k.kind, name, routesNamespace);
      if (!route) {
        warn(path, notInSet(k.kind, name));
        continue;
      }
      if (!services.canary || !services.stable) continue; // validation reports the missing Service
      const problem = routeProblem(k.kind, name, route.doc, {
        canary: services.canary,
        stable: services.stable,
      });
      if (problem) warn(path, problem);
    }
  }
}

/** Whether an Ingress (networking.k8s.io/v1, or extensions/v1beta1's serviceName) has a path to `service`. */
function ingressRoutesTo(ingress: Obj, service: string): boolean {
  return list(map(ingress.spec).rules).some((rule) =>
    list(map(rule.http).paths).some((p) => {
      const backend = map(p.backend);
      return str(map(backend.service).name) === service || str(backend.serviceName) === service;
    }),
  );
}

function checkNginxIngresses(routed: RoutedRollout): void {
  const { set, rollout, canary, rolloutName, namespace, services, warn } = routed;
  const nginx = map(map(canary.trafficRouting).nginx);
  const path = joinPath(ROUTING, 'nginx');
  const named: [string, string][] = [];
  const one = str(nginx.stableIngress);
  if (one) named.push([joinPath(path, 'stableIngress'), one]);
  (Array.isArray(nginx.stableIngresses) ? nginx.stableIngresses : []).forEach((n, i) => {
    const name = str(n);
    if (name) named.push([joinPath(joinPath(path, 'stableIngresses'), i), name]);
  });
  for (const [p, name] of named) {
    const canaryName = rolloutName ? canaryIngressName(rolloutName, name) : undefined;
    const made = canaryName ? set.find('Ingress', canaryName, namespace) : undefined;
    if (made && !controlledBy(made.doc, rollout)) {
      warn(
        p,
        `Ingress "${canaryName}", the canary Ingress the controller makes from Ingress "${name}", is among the files and not controlled by this Rollout, so the controller would refuse to write it (as Argo Rollouts does); remove it from the files (the controller creates it)`,
      );
    }
    const ingress = set.find('Ingress', name, namespace);
    if (!ingress) warn(p, notInSet('Ingress', name));
    else if (services.stable && !ingressRoutesTo(ingress.doc, services.stable)) {
      warn(
        p,
        `Ingress "${name}" has no rule whose backend is the stableService "${services.stable}"; the canary Ingress is made from its rules, so the Rollout would be refused at run time (Argo Rollouts: "ingress has no rules using service backend"); send a path of it to the Service "${services.stable}"`,
      );
    }
  }
}

/**
 * Argo's smi.go: the controller creates and owns the TrafficSplit `trafficSplitName` (default: the
 * Rollout's name), which splits `rootService` (default: the stableService).
 */
function checkTrafficSplit(routed: RoutedRollout): void {
  const { set, rollout, canary, rolloutName, namespace, services, warn } = routed;
  const smi = map(map(canary.trafficRouting).smi);
  const path = joinPath(ROUTING, 'smi');
  const rootService = str(smi.rootService);
  if (rootService && !set.find('Service', rootService, namespace)) {
    warn(joinPath(path, 'rootService'), notInSet('Service', rootService));
  }
  const splitName = str(smi.trafficSplitName) ?? rolloutName;
  const root = rootService ?? services.stable;
  if (!splitName || !root) return;
  const split = set.find('TrafficSplit', splitName, namespace);
  if (!split) return; // the controller creates it
  const at = str(smi.trafficSplitName) ? joinPath(path, 'trafficSplitName') : path;
  if (!controlledBy(split.doc, rollout)) {
    warn(
      at,
      `TrafficSplit "${splitName}" is among the files and not controlled by this Rollout, so the controller would refuse to write it (Argo Rollouts: "Rollout does not own TrafficSplit"); remove it from the files (the controller creates it), or set trafficSplitName to another name`,
    );
    return;
  }
  const service = map(split.doc.spec).service;
  if (service !== root) {
    const has = typeof service === 'string' ? `splits the Service "${service}"` : 'names no spec.service';
    warn(
      at,
      `TrafficSplit "${splitName}" ${has}, but the controller writes this Rollout's root Service "${root}" there (smi.rootService, default: the stableService); make them the same`,
    );
  }
}

/** The names a list field gives (`field`, else `many[i]`), each with its path. */
function namesAt(config: Obj, path: string, one: string, many: string): [string, string][] {
  const named: [string, string][] = [];
  const single = str(config[one]);
  if (single) named.push([joinPath(path, one), single]);
  (Array.isArray(config[many]) ? (config[many] as unknown[]) : []).forEach((n, i) => {
    const name = str(n);
    if (name) named.push([joinPath(joinPath(path, many), i), name]);
  });
  return named;
}

/**
 * Argo's validateAlbIngress: each ALB Ingress must have a rule whose backend is the rootService
 * (default: the stableService), the path the controller's forward action takes over.
 */
function checkAlbIngresses({ set, canary, namespace, services, warn }: RoutedRollout): void {
  const alb = map(map(canary.trafficRouting).alb);
  const rootService = str(alb.rootService);
  const root = rootService ?? services.stable;
  const which = rootService ? 'rootService' : 'stableService';
  for (const [p, name] of namesAt(alb, joinPath(ROUTING, 'alb'), 'ingress', 'ingresses')) {
    const ingress = set.find('Ingress', name, namespace);
    if (!ingress) warn(p, notInSet('Ingress', name));
    else if (root && !ingressRoutesTo(ingress.doc, root)) {
      warn(
        p,
        `Ingress "${name}" has no rule whose backend is the ${which} "${root}"; the controller writes the ALB forward action for that Service's path, so the Rollout would be refused at run time (Argo Rollouts: "ingress has no rules using service backend"); send a path of it to the Service "${root}" (with the port name use-annotation, as an ALB action needs)`,
      );
    }
  }
}

/** Argo's ValidateAmbassadorMapping: a Mapping the Rollout names must not set a weight (the canary Mapping carries it). */
function checkAmbassadorMappings({ set, canary, namespace, warn }: RoutedRollout): void {
  const mappings = map(map(canary.trafficRouting).ambassador).mappings;
  const path = joinPath(joinPath(ROUTING, 'ambassador'), 'mappings');
  (Array.isArray(mappings) ? mappings : []).forEach((n, i) => {
    const name = str(n);
    if (!name) return;
    const mapping = set.find('Mapping', name, namespace);
    const weight = mapping ? map(mapping.doc.spec).weight : undefined;
    if (!mapping) warn(joinPath(path, i), notInSet('Mapping', name));
    else if (typeof weight === 'number' && weight !== 0) {
      warn(
        joinPath(path, i),
        `Mapping "${name}" sets spec.weight (${weight}), so the controller would refuse it (Argo Rollouts: "Ambassador mapping can not define weight"): the canary Mapping the controller adds beside it carries the canary's weight; remove spec.weight`,
      );
    }
  });
}

/** Istio's "name.namespace" shorthand (Argo's GetVirtualServiceNamespaceName): the last segment is the namespace. */
function virtualServiceRef(ref: string): { name: string; namespace: string | undefined } {
  const fields = ref.replace(/\.cluster\.local$/, '').split('.');
  return fields.length >= 2
    ? { name: fields.slice(0, -1).join('.'), namespace: fields.at(-1) }
    : { name: fields[0]!, namespace: undefined };
}

/** The Istio, APISIX and Traefik objects the Rollout names should be among the files. */
function checkNamedObjects({ set, canary, namespace, warn }: RoutedRollout): void {
  const routing = map(canary.trafficRouting);
  const istio = map(routing.istio);
  const istioPath = joinPath(ROUTING, 'istio');
  const services: [string, unknown][] = [
    [joinPath(joinPath(istioPath, 'virtualService'), 'name'), map(istio.virtualService).name],
    ...list(istio.virtualServices).map((vs, i): [string, unknown] => [
      joinPath(joinPath(joinPath(istioPath, 'virtualServices'), i), 'name'),
      vs.name,
    ]),
  ];
  for (const [p, ref] of services) {
    const given = str(ref);
    if (!given) continue;
    const { name, namespace: vsNamespace } = virtualServiceRef(given);
    if (!set.find('VirtualService', name, vsNamespace ?? namespace))
      warn(p, notInSet('VirtualService', name));
  }
  const named: [string, string, unknown][] = [
    [
      'DestinationRule',
      joinPath(joinPath(istioPath, 'destinationRule'), 'name'),
      map(istio.destinationRule).name,
    ],
    [
      'ApisixRoute',
      joinPath(joinPath(joinPath(ROUTING, 'apisix'), 'route'), 'name'),
      map(map(routing.apisix).route).name,
    ],
    [
      'TraefikService',
      joinPath(joinPath(ROUTING, 'traefik'), 'weightedTraefikServiceName'),
      map(routing.traefik).weightedTraefikServiceName,
    ],
  ];
  for (const [kind, p, ref] of named) {
    const name = str(ref);
    if (name && !set.find(kind, name, namespace)) warn(p, notInSet(kind, name));
  }
}

/** The traffic-routing references of one Rollout whose canary is `canary`. */
export function checkTrafficReferences(set: ManifestSet, rollout: Obj, canary: Obj, warn: Warn): void {
  const routing = map(canary.trafficRouting);
  const { name: rolloutName, namespace } = metaOf(rollout);
  const routed: RoutedRollout = {
    set,
    rollout,
    canary,
    rolloutName,
    namespace,
    services: { canary: str(canary.canaryService), stable: str(canary.stableService) },
    warn,
  };
  if (map(routing.plugins)[GATEWAY_API_PLUGIN] !== undefined) checkGatewayRoutes(routed);
  if (routing.nginx !== undefined && routing.nginx !== null) checkNginxIngresses(routed);
  if (routing.smi !== undefined && routing.smi !== null) checkTrafficSplit(routed);
  if (routing.alb !== undefined && routing.alb !== null) checkAlbIngresses(routed);
  if (routing.ambassador !== undefined && routing.ambassador !== null) checkAmbassadorMappings(routed);
  checkNamedObjects(routed);
}
