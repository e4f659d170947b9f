// Checks between a traffic-routed Rollout and the objects its router changes, within a set of
// manifests: the Gateway API plugin's named routes must split between the canary and stable
// Services in one rule, nginx's stable Ingresses must route to the stableService, and an smi
// TrafficSplit must split the Rollout's root Service. Each is a warning: the object may live elsewhere.
import { GATEWAY_API_PLUGIN } from '../schema/gateway-api-plugin';
import { joinPath } from './findings';
import { GATEWAY_ROUTE_KINDS } from './gateway-api-plugin-rules';
import { list, type ManifestSet, map, metaOf, type Obj, str } from './manifest-set';

const ROUTING = 'spec.strategy.canary.trafficRouting';
const GATEWAY_API = joinPath(joinPath(ROUTING, 'plugins'), GATEWAY_API_PLUGIN);

/** The kinds these checks read, besides the Services every Rollout names. */
export const ROUTED_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'Ingress', 'TrafficSplit'];

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
}
