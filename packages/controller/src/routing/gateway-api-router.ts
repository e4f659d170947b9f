// The Gateway API router, run natively from the Argo Rollouts Gateway API plugin's configuration
// (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`): HTTPRoutes, GRPCRoutes, TCPRoutes and
// TLSRoutes, named or found by label selector. In every route, the backendRefs to the canary and
// stable Services get the weights; HTTP and gRPC routes with useHeaderRoutes get managed rules for
// header routes (and HTTP routes for mirror routes); the in-progress label marks a route while the
// canary has weight. Same meaning as the plugin (v0.15); docs/traffic-routing.md lists the differences.
import {
  GATEWAY_API_IN_PROGRESS_LABEL,
  type GatewayAPIPluginConfig,
  jsonEqual,
  type LabelSelector,
  selectorMatches,
} from '@ramp/api';
import {
  headerRules,
  mirrorProblem,
  mirrorRules,
  type RouteRule,
  readSplit,
  rulesInPlace,
  type Services,
  splitRules,
  userRules,
  weighted,
} from './gateway-api-rules';
import type { Fields } from './json-fields';
import {
  describeObject,
  type ManagedRoute,
  type RouteIntent,
  type RouteObject,
  type RouteObjects,
  type RouterPlan,
  type RouterProblem,
  type RouterRead,
  type RouteWatch,
  type RouteWrite,
  type TrafficRouter,
  unreadable,
} from './router';

/** The four route kinds, the plugin config's fields that name them, and what managed rules each can hold. */
export const GATEWAY_ROUTE_KINDS = [
  {
    resource: 'httproutes',
    kind: 'HTTPRoute',
    one: 'httpRoute',
    many: 'httpRoutes',
    selector: 'httpRouteSelector',
    managed: ['header', 'mirror'],
  },
  {
    resource: 'grpcroutes',
    kind: 'GRPCRoute',
    one: 'grpcRoute',
    many: 'grpcRoutes',
    selector: 'grpcRouteSelector',
    managed: ['header'],
  },
  {
    resource: 'tcproutes',
    kind: 'TCPRoute',
    one: 'tcpRoute',
    many: 'tcpRoutes',
    selector: 'tcpRouteSelector',
    managed: [],
  },
  {
    resource: 'tlsroutes',
    kind: 'TLSRoute',
    one: 'tlsRoute',
    many: 'tlsRoutes',
    selector: 'tlsRouteSelector',
    managed: [],
  },
] as const;
type KindInfo = (typeof GATEWAY_ROUTE_KINDS)[number];

/** The most rules a route may have (the Gateway API CRDs' maxItems). */
const MAX_RULES = 16;

/** One route the router manages. */
interface RouteEntry {
  info: KindInfo;
  name: string;
  /** Where the config names it, for problems. */
  field: string;
  useHeaderRoutes: boolean;
}

export interface GatewayApiSetup {
  /** The Rollout's namespace (the routes' unless the config names one). */
  namespace: string;
  config: GatewayAPIPluginConfig;
  services: Services;
  /** Where the config sits in the Rollout, for problems. */
  configPath: string;
  /** trafficRouting.maxTrafficWeight (default 100). */
  maxWeight: number;
}

export class GatewayApiRouter implements TrafficRouter {
  readonly type = 'GatewayAPI';
  private readonly namespace: string;

  constructor(private readonly setup: GatewayApiSetup) {
    this.namespace = setup.config.namespace || setup.namespace;
  }

  watches(): RouteWatch[] {
    const out: RouteWatch[] = [];
    for (const info of GATEWAY_ROUTE_KINDS) {
      for (const entry of this.named(info))
        out.push({ resource: info.resource, namespace: this.namespace, name: entry.name });
      if (this.setup.config[info.selector]) out.push({ resource: info.resource, namespace: this.namespace });
    }
    return out;
  }

  read(objects: RouteObjects): RouterRead {
    const found = this.routes(objects);
    if (!('routes' in found)) return found;
    const shares: (number | undefined)[] = [];
    for (const { entry, object } of found.routes) {
      const rules = this.rulesOf(entry, object);
      if (!Array.isArray(rules)) return { problem: rules };
      shares.push(readSplit(rules, this.setup.services, this.setup.maxWeight));
    }
    const weight = shares.every((s) => s === shares[0]) ? shares[0] : undefined;
    return { weight };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const found = this.routes(objects);
    if (!('routes' in found)) return 'problem' in found ? found : { writes: [] };
    const writes: RouteWrite[] = [];
    for (const { entry, object } of found.routes) {
      const desired = this.desired(entry, object, intent);
      if ('problem' in desired) return desired;
      if (this.inPlace(desired.object, object)) continue;
      writes.push({
        action: 'update',
        resource: entry.info.resource,
        current: object,
        object: desired.object,
        message: `${this.describe(entry)}: canary weight ${intent.weight}, stable ${intent.maxWeight - intent.weight}${
          desired.managed.length ? `, managed routes ${desired.managed.join(', ')}` : ''
        }`,
      });
    }
    return { writes };
  }

  /** The route as it should be: the weights, the managed rules in force, the in-progress label. */
  private desired(
    entry: RouteEntry,
    object: RouteObject,
    intent: RouteIntent,
  ): { object: RouteObject; managed: string[] } | { problem: RouterProblem } {
    const rules = this.rulesOf(entry, object);
    if (!Array.isArray(rules)) return { problem: rules };
    const names = new Set(intent.managedNames);
    const user = weighted(userRules(rules, names), this.setup.services, intent.weight, intent.maxWeight);
    const sources = splitRules(user, this.setup.services);
    const managed: RouteRule[] = [];
    const inForce: string[] = [];
    for (const route of entry.useHeaderRoutes ? intent.managedRoutes : []) {
      if (!(entry.info.managed as readonly string[]).includes(route.type)) continue;
      const problem = route.type === 'mirror' ? mirrorProblem(route) : undefined;
      if (problem) return { problem: this.problem(entry, `setMirrorRoute "${route.name}"`, problem) };
      managed.push(...this.managedRules(sources, route));
      inForce.push(route.name);
    }
    // after the user's rules, as the plugin appends them (Gateway API precedence, not order, picks
    // the more specific header match)
    const all = [...user, ...managed];
    if (all.length > MAX_RULES) {
      return {
        problem: this.problem(
          entry,
          'spec.rules',
          `would hold ${all.length} rules with the managed routes ${inForce.join(', ')}, more than the ${MAX_RULES} a route may have; split the route, or match fewer rules in the managed routes`,
        ),
      };
    }
    const copy = structuredClone(object);
    (copy.spec as Fields).rules = all;
    const labels = this.labels(object.metadata.labels, intent.weight);
    if (!jsonEqual(labels, object.metadata.labels ?? {})) copy.metadata.labels = labels;
    return { object: copy, managed: inForce };
  }

  /** The route carries what is wanted: the rules (allowing for the API server's defaults) and the labels. */
  private inPlace(desired: RouteObject, current: RouteObject): boolean {
    const rules = (o: RouteObject) => (o.spec as Fields | undefined)?.rules;
    return (
      rulesInPlace(rules(desired), rules(current)) &&
      jsonEqual(desired.metadata.labels, current.metadata.labels)
    );
  }

  private managedRules(sources: RouteRule[], route: ManagedRoute): RouteRule[] {
    return route.type === 'header'
      ? headerRules(sources, this.setup.services, route)
      : mirrorRules(sources, this.setup.services, route);
  }

  /** The labels with the in-progress label set while the canary has weight, removed otherwise. */
  private labels(current: Record<string, string> | undefined, weight: number): Record<string, string> {
    const labels = { ...(current ?? {}) };
    const { config } = this.setup;
    if (config.disableInProgressLabel) return labels;
    const key = config.inProgressLabelKey || GATEWAY_API_IN_PROGRESS_LABEL.key;
    if (weight > 0) labels[key] = config.inProgressLabelValue || GATEWAY_API_IN_PROGRESS_LABEL.value;
    else delete labels[key];
    return labels;
  }

  /** The routes the config names, each with the flag of whether header routes go into it. */
  private named(info: KindInfo): RouteEntry[] {
    const { config, configPath } = this.setup;
    const out: RouteEntry[] = [];
    const list = config[info.many] ?? [];
    list.forEach((route, i) => {
      if (route.name)
        out.push({
          info,
          name: route.name,
          field: `${configPath}.${info.many}[${i}].name`,
          useHeaderRoutes: route.useHeaderRoutes === true,
        });
    });
    const one = config[info.one];
    // the plugin adds the single-route field to the list with header routes on
    if (one) out.push({ info, name: one, field: `${configPath}.${info.one}`, useHeaderRoutes: true });
    return out;
  }

  /** Every route with its object, or the first reason one cannot be used, or what is awaited. */
  private routes(
    objects: RouteObjects,
  ):
    | { routes: { entry: RouteEntry; object: RouteObject }[] }
    | { problem: RouterProblem }
    | { waiting: string } {
    const out: { entry: RouteEntry; object: RouteObject }[] = [];
    for (const info of GATEWAY_ROUTE_KINDS) {
      const named = this.named(info);
      const selector = this.setup.config[info.selector] as LabelSelector | undefined;
      if (named.length === 0 && !selector) continue;
      const blocked = unreadable(objects, info.resource, info.kind);
      if (blocked) return blocked;
      for (const entry of named) {
        const object = objects.get(info.resource, this.namespace, entry.name);
        if (!object) {
          return {
            problem: {
              object: describeObject(info.kind, this.namespace, entry.name),
              field: entry.field,
              message: `does not exist; create the ${info.kind}, or name an existing one at ${entry.field}`,
            },
          };
        }
        out.push({ entry, object });
      }
      if (selector) out.push(...this.selected(objects, info, selector, named));
    }
    if (out.length === 0) {
      return {
        problem: {
          object: `the Rollout's ${this.setup.configPath}`,
          message: `names no route and its selectors match none in namespace ${this.namespace}; name an HTTPRoute (httpRoute or httpRoutes), or label the routes to match the selector`,
        },
      };
    }
    return { routes: out };
  }

  /** The routes a selector finds (header routes off, as the plugin has it), not already named. */
  private selected(
    objects: RouteObjects,
    info: KindInfo,
    selector: LabelSelector,
    named: RouteEntry[],
  ): { entry: RouteEntry; object: RouteObject }[] {
    return objects
      .list(info.resource, this.namespace)
      .filter((o) => !o.metadata.deletionTimestamp && selectorMatches(selector, o.metadata.labels))
      .filter((o) => !named.some((n) => n.name === o.metadata.name))
      .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
      .map((object) => ({
        entry: {
          info,
          name: object.metadata.name ?? '',
          field: `${this.setup.configPath}.${info.selector}`,
          useHeaderRoutes: false,
        },
        object,
      }));
  }

  /** The route's rules, or why they cannot carry the canary split. */
  private rulesOf(entry: RouteEntry, object: RouteObject): RouteRule[] | RouterProblem {
    const spec = object.spec as Fields | undefined;
    const rules = spec?.rules;
    if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      return this.problem(
        entry,
        'spec.rules',
        'is not a list of rules; give the route rules with backendRefs to the canary and stable Services',
      );
    }
    const { canary, stable } = this.setup.services;
    if (splitRules(userRules(rules as RouteRule[], new Set()), this.setup.services).length === 0) {
      return this.problem(
        entry,
        'spec.rules[].backendRefs',
        `no rule sends traffic to both the canary Service "${canary}" and the stable Service "${stable}"; add both as backendRefs of the rule whose traffic the canary shares`,
      );
    }
    return rules as RouteRule[];
  }

  private describe(entry: RouteEntry): string {
    return describeObject(entry.info.kind, this.namespace, entry.name);
  }

  private problem(entry: RouteEntry, field: string, message: string): RouterProblem {
    return { object: this.describe(entry), field, message };
  }
}
