// The Apache APISIX router (`trafficRouting.apisix`), as Argo Rollouts has it: in the ApisixRoute
// named by `route.name`, the http rules named in `route.rules` (absent: the one rule named like the
// ApisixRoute, as Argo picks it) carry the split: their backends for the canary and stable Services get
// the canary's weight and the rest. A header route in force (setHeaderRoute) is an ApisixRoute of its
// own, named after the managed route and owned by the Rollout: those rules again, sending only to the
// canary, one priority above the originals and matching the headers in `match.exprs`; it is deleted
// once the route is no longer in force. APISIX has no mirror routes in Argo (its SetMirrorRoute does
// nothing), so setMirrorRoute steps write nothing here. The routed ApisixRoute is never created or
// deleted. docs/traffic-routing.md lists where Ramp differs from Argo.
import { jsonEqual } from '@ramp/api';
import { type Fields, isFields, kindOf } from './json-fields';
import { controlledBy, notControlled, type RolloutRef, rolloutOwnerReference } from './rollout-owner';
import {
  describeObject,
  type HeaderRoute,
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
import type { StringMatch } from './string-match';

export interface ApisixConfig {
  route?: { name?: string; rules?: string[] };
}

export interface ApisixSetup {
  rollout: RolloutRef;
  config: ApisixConfig;
  services: { canary: string; stable: string };
  /** Where the config sits in the Rollout (`spec.strategy.canary.trafficRouting.apisix`), for problems. */
  configPath: string;
  /** trafficRouting.maxTrafficWeight (default 100): the two backends' weights add up to it. */
  maxWeight?: number;
}

/** The weight APISIX's ingress controller gives a backend that sets none. */
const DEFAULT_BACKEND_WEIGHT = 100;
/** kubectl's record of the applied file: it describes the routed ApisixRoute, not a header route's copy. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A backend's weight as APISIX reads it (absent: its default); undefined when it is no weight at all. */
function backendWeight(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_BACKEND_WEIGHT;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** `text` made literal inside a regular expression. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * APISIX expressions on one request header, as Argo writes them: `Equal` for exact, `RegexMatch` for
 * regex, and for prefix a `RegexMatch` anchored at the start (the prefix literal here; Argo leaves
 * its regex characters active).
 */
function headerExprs(header: string, value: StringMatch): Fields[] {
  const subject = { scope: 'Header', name: header };
  const out: Fields[] = [];
  if (value.exact) out.push({ subject, op: 'Equal', value: value.exact });
  if (value.regex) out.push({ subject, op: 'RegexMatch', value: value.regex });
  if (value.prefix) out.push({ subject, op: 'RegexMatch', value: `^${escapeRegex(value.prefix)}.*` });
  return out;
}

/** `a` with `b`'s entries over it, or undefined when both are empty. */
function merged(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const out = { ...(a ?? {}), ...(b ?? {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One routed rule of the ApisixRoute: where it is, and where its canary and stable backends are. */
interface RoutedRule {
  index: number;
  rule: Fields;
  backends: Fields[];
  canary: number;
  stable: number;
}

/** The routed ApisixRoute with its routed rules. */
interface Located {
  object: RouteObject;
  rules: RoutedRule[];
}

export class ApisixRouter implements TrafficRouter {
  readonly type = 'Apisix';
  private readonly routeName: string;

  constructor(private readonly setup: ApisixSetup) {
    const name = setup.config.route?.name;
    this.routeName = typeof name === 'string' ? name : '';
  }

  watches(): RouteWatch[] {
    // the whole namespace: the routed ApisixRoute, and the header routes named after managed routes
    return [{ resource: 'apisixroutes', namespace: this.setup.rollout.namespace }];
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'apisixroutes', 'ApisixRoute');
    if (blocked) return blocked;
    const found = this.locate(objects);
    if ('problem' in found) return found;
    const max = this.setup.maxWeight ?? 100;
    const shares = found.rules.map((r) => {
      const canary = backendWeight(r.backends[r.canary]?.weight);
      const stable = backendWeight(r.backends[r.stable]?.weight);
      if (canary === undefined || stable === undefined || canary + stable === 0) return undefined;
      return Math.round((canary * max) / (canary + stable));
    });
    return { weight: shares.every((s) => s === shares[0]) ? shares[0] : undefined };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const blocked = unreadable(objects, 'apisixroutes', 'ApisixRoute');
    if (blocked) return 'problem' in blocked ? blocked : { writes: [] };
    const found = this.locate(objects);
    if ('problem' in found) return found;
    const { rollout } = this.setup;
    const writes: RouteWrite[] = [];
    const headers = intent.managedRoutes.filter((r) => r.type === 'header');
    const inForce = new Set(headers.map((r) => r.name));
    // Argo's order: the managed routes first (those no longer in force removed), then the weights
    for (const name of new Set(intent.managedNames)) {
      if (inForce.has(name) || name === this.routeName) continue;
      const current = objects.get('apisixroutes', rollout.namespace, name);
      if (!current || !controlledBy(current, rollout) || current.metadata.deletionTimestamp) continue;
      writes.push({
        action: 'delete',
        resource: 'apisixroutes',
        current,
        message: `${this.describe(name)}: the header route "${name}" is no longer in force`,
      });
    }
    for (const route of headers) {
      const write = this.headerWrite(objects, found, route);
      if (write && 'problem' in write) return write;
      if (write) writes.push(write);
    }
    const current = found.object;
    const updated = structuredClone(current);
    const http = (updated.spec as Fields).http as Fields[];
    for (const r of found.rules) {
      const backends = http[r.index]!.backends as Fields[];
      // Argo writes the stable's as 100 − weight; out of maxTrafficWeight the two add up to it
      backends[r.canary]!.weight = intent.weight;
      backends[r.stable]!.weight = intent.maxWeight - intent.weight;
    }
    if (!jsonEqual(updated, current)) {
      writes.push({
        action: 'update',
        resource: 'apisixroutes',
        current,
        object: updated,
        message: `${this.describe(this.routeName)}: canary weight ${intent.weight}, stable ${intent.maxWeight - intent.weight}`,
      });
    }
    return { writes };
  }

  private describe(name: string): string {
    return describeObject('ApisixRoute', this.setup.rollout.namespace, name);
  }

  /** The write that brings a header route's ApisixRoute to what it should be (none when it is there). */
  private headerWrite(
    objects: RouteObjects,
    found: Located,
    route: HeaderRoute,
  ): RouteWrite | { problem: RouterProblem } | undefined {
    const { rollout } = this.setup;
    const { name } = route;
    if (name === this.routeName) {
      return {
        problem: {
          object: this.describe(name),
          field: 'spec.strategy.canary.trafficRouting.managedRoutes',
          message: `names the ApisixRoute the weights are set on; a header route is an ApisixRoute of its own, so give the managed route "${name}" another name`,
        },
      };
    }
    const made = this.headerRoute(objects, found, route);
    if ('problem' in made) return made;
    const desired = made.route;
    const current = objects.get('apisixroutes', rollout.namespace, name);
    const message = `${this.describe(name)}: header route "${name}" to the canary Service "${this.setup.services.canary}"`;
    if (!current) return { action: 'create', resource: 'apisixroutes', object: desired, message };
    // being deleted: created again once it is gone
    if (current.metadata.deletionTimestamp) return undefined;
    if (!controlledBy(current, rollout))
      return {
        problem: notControlled(
          'ApisixRoute',
          current,
          rollout,
          `rename the managed route "${name}" in trafficRouting.managedRoutes and its setHeaderRoute steps`,
        ),
      };
    const updated = structuredClone(current);
    const labels = merged(current.metadata.labels, desired.metadata.labels);
    if (labels) updated.metadata.labels = labels;
    const annotations = merged(current.metadata.annotations, desired.metadata.annotations);
    if (annotations) updated.metadata.annotations = annotations;
    updated.spec = desired.spec;
    if (jsonEqual(updated, current)) return undefined;
    return { action: 'update', resource: 'apisixroutes', current, object: updated, message };
  }

  /**
   * A header route's ApisixRoute, as Argo makes it from the routed one: its labels and annotations,
   * and each routed rule sending to the canary only (the stable's backends removed, the canary's at
   * weight 100), one priority above the original, matching the headers besides what the rule matches.
   * The rules Ramp does not route stay out of it (Argo copies them too, and then never updates them).
   */
  private headerRoute(
    objects: RouteObjects,
    found: Located,
    route: HeaderRoute,
  ): { route: RouteObject } | { problem: RouterProblem } {
    const { rollout, services } = this.setup;
    const exprs = route.match.flatMap((m) => headerExprs(m.headerName, m.headerValue));
    if (exprs.length === 0) {
      return {
        problem: {
          object: this.describe(route.name),
          field: `setHeaderRoute "${route.name}".match`,
          message:
            'sets no header value (exact, prefix or regex), so the header route would send every request to the canary; give each match a headerValue',
        },
      };
    }
    const rules: Fields[] = [];
    for (const r of found.rules) {
      const priority = r.rule.priority ?? 0;
      if (typeof priority !== 'number' || !Number.isInteger(priority)) {
        return {
          problem: {
            object: this.describe(this.routeName),
            field: `spec.http[${r.index}].priority`,
            message: `is ${kindOf(priority)}, not an integer; a header route's rule takes the priority above it`,
          },
        };
      }
      const copy = structuredClone(r.rule);
      const canary = r.backends[r.canary]!;
      copy.backends = r.backends.flatMap((b) => {
        if (b === canary) return [{ ...structuredClone(b), weight: 100 }];
        return b.serviceName === services.stable ? [] : [structuredClone(b)];
      });
      copy.priority = priority + 1;
      const match = isFields(copy.match) ? copy.match : {};
      const own = Array.isArray(match.exprs) ? match.exprs : [];
      copy.match = { ...match, exprs: [...own, ...exprs] };
      rules.push(copy);
    }
    const main = found.object;
    const { http: _http, stream: _stream, ...spec } = main.spec as Fields;
    const annotations = { ...(main.metadata.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    const labels = main.metadata.labels ?? {};
    const state = objects.state('apisixroutes');
    const copy: RouteObject = {
      apiVersion: main.apiVersion ?? (state.listed ? state.apiVersion : 'apisix.apache.org/v2'),
      kind: 'ApisixRoute',
      metadata: {
        name: route.name,
        namespace: rollout.namespace,
        ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        ownerReferences: [rolloutOwnerReference(rollout)],
      },
      spec: { ...structuredClone(spec), http: rules },
    };
    return { route: copy };
  }

  /** The routed ApisixRoute and its routed rules, or why they cannot be used. */
  private locate(objects: RouteObjects): Located | { problem: RouterProblem } {
    const { rollout, services, configPath, config } = this.setup;
    const nameField = `${configPath}.route.name`;
    const object = this.describe(this.routeName);
    const problem = (field: string, message: string) => ({ problem: { object, field, message } });
    if (!this.routeName)
      return problem(nameField, 'is empty; name the ApisixRoute whose backends carry the canary split');
    const route = objects.get('apisixroutes', rollout.namespace, this.routeName);
    if (!route)
      return problem(nameField, `does not exist; create it, or name an existing ApisixRoute at ${nameField}`);
    const spec = route.spec;
    if (!isFields(spec)) return problem('spec', `is ${kindOf(spec)}; give it the http rules to route`);
    const http = spec.http;
    if (!Array.isArray(http))
      return problem('spec.http', `is ${kindOf(http)}, not a list; list the http rules to route`);
    const listed = config.route?.rules;
    const rulesField = `${configPath}.route.rules`;
    if (Array.isArray(listed) && listed.length === 0)
      return problem(
        rulesField,
        `lists no rule; name the http rules of the ApisixRoute to route, or remove ${rulesField} to route the rule named "${this.routeName}"`,
      );
    const names = Array.isArray(listed) ? listed : [this.routeName];
    const rules: RoutedRule[] = [];
    for (const [j, name] of names.entries()) {
      if (rules.some((r) => (r.rule.name as unknown) === name)) continue;
      const index = http.findIndex((r) => isFields(r) && r.name === name);
      if (index < 0) {
        const fix = Array.isArray(listed)
          ? `add it, or fix ${rulesField}[${j}]`
          : `${rulesField} is not set, so the rule named like the ApisixRoute is routed (as Argo does): name that rule "${this.routeName}", or list the rules to route at ${rulesField}`;
        return problem('spec.http', `has no rule named "${String(name)}"; ${fix}`);
      }
      const rule = http[index] as Fields;
      const field = `spec.http[${index}].backends`;
      const backends = rule.backends;
      if (!Array.isArray(backends))
        return problem(
          field,
          `is ${kindOf(backends)}, not a list; the rule routes the canary split through backends for the canary and stable Services (upstreams are not split)`,
        );
      let canary = -1;
      let stable = -1;
      for (const [i, backend] of backends.entries()) {
        if (!isFields(backend))
          return problem(`${field}[${i}]`, `is ${kindOf(backend)}, not a backend; remove it or fix it`);
        // the first backend of a Service is the one weighted, as Argo's
        if (backend.serviceName === services.canary && canary < 0) canary = i;
        if (backend.serviceName === services.stable && stable < 0) stable = i;
      }
      const missing = (role: string, service: string, weight: number) =>
        problem(
          field,
          `has no backend with serviceName "${service}" (the ${role}); add {serviceName: ${service}, servicePort: <port>, weight: ${weight}}, or set ${role} to the Service a backend names`,
        );
      if (canary < 0) return missing('canaryService', services.canary, 0);
      if (stable < 0) return missing('stableService', services.stable, 100);
      rules.push({ index, rule, backends: backends as Fields[], canary, stable });
    }
    return { object: route, rules };
  }
}
