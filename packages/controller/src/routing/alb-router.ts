// The AWS ALB router (`trafficRouting.alb`), as Argo Rollouts has it: on each Ingress named (ingress,
// or ingresses), the annotation `<annotationPrefix>/actions.<rootService, else stableService>` holds a
// forward action splitting that path's traffic between the canary and stable target groups (the
// ping-pong pair with pingPong); the AWS Load Balancer Controller applies it to the ALB because a path
// of the Ingress names that action with the port `use-annotation`. A header route in force adds its own
// action (all to the canary), its http-header conditions and a path naming it; it is taken out when no
// longer in force. `rollouts.argoproj.io/managed-alb-annotations` records the keys the Rollout wrote.
// Nothing else of the Ingress is written. Mirror routes do nothing here, as in Argo (ALB has none).
// Ramp does not call the AWS API, so it cannot check the target groups' weights: not verifiable.
import { jsonEqual } from '@ramp/api';
import {
  actionKey,
  canaryWeightOf,
  conditionKey,
  DEFAULT_ALB_ANNOTATION_PREFIX,
  forwardAction,
  headerConditions,
  headerRouteAction,
  MANAGED_ALB_ANNOTATIONS,
  type ManagedAnnotations,
  managedText,
  parseManaged,
  type Stickiness,
} from './alb-json';
import { pathsTo, USE_ANNOTATION, withRoutePaths } from './alb-paths';
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

/** The longest stickiness the AWS API takes (7 days). */
const MAX_STICKINESS_SECONDS = 604800;

export interface AlbConfig {
  ingress?: string;
  ingresses?: string[];
  servicePort: number;
  rootService?: string;
  annotationPrefix?: string;
  stickinessConfig?: Stickiness;
}

export interface AlbSetup {
  rollout: { name: string; namespace: string };
  config: AlbConfig;
  /** The target groups' Services: the ping-pong pair when pingPong is set (splitServices(rollout, true) of @ramp/api). */
  services: { canary: string; stable: string };
  /** spec.strategy.canary.stableService: the action's name when rootService is not set. */
  stableService: string;
  configPath: string;
}

/** One Ingress named in the config, with the field naming it. */
interface IngressEntry {
  name: string;
  field: string;
}

/** An Ingress the router can write: the object, the weight its action carries, who manages what. */
interface Checked {
  ingress: RouteObject;
  weight: number | undefined;
  managed: ManagedAnnotations;
}

const annotationField = (key: string) => `metadata.annotations["${key}"]`;

export class AlbRouter implements TrafficRouter {
  readonly type = 'ALB';
  readonly verifiable = false;
  private readonly prefix: string;
  /** The action's name: rootService, else stableService (Argo's ALBActionAnnotationKey). */
  private readonly action: string;
  private readonly actionKey: string;

  constructor(private readonly setup: AlbSetup) {
    this.prefix = setup.config.annotationPrefix || DEFAULT_ALB_ANNOTATION_PREFIX;
    this.action = setup.config.rootService || setup.stableService;
    this.actionKey = actionKey(this.prefix, this.action);
  }

  /** The Ingresses named: ingresses when given, else ingress. */
  private entries(): IngressEntry[] {
    const { config, configPath } = this.setup;
    if (config.ingresses?.length)
      return config.ingresses.map((name, i) => ({ name, field: `${configPath}.ingresses[${i}]` }));
    return config.ingress ? [{ name: config.ingress, field: `${configPath}.ingress` }] : [];
  }

  watches(): RouteWatch[] {
    const { namespace } = this.setup.rollout;
    return this.entries().map((e) => ({ resource: 'ingresses', namespace, name: e.name }));
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'ingresses', 'Ingress');
    if (blocked) return blocked;
    const weights: (number | undefined)[] = [];
    for (const entry of this.entries()) {
      const checked = this.check(objects, entry);
      if ('problem' in checked) return checked;
      weights.push(checked.weight);
    }
    const first = weights[0];
    return { weight: weights.every((w) => w === first) ? first : undefined };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    if (!objects.state('ingresses').listed) return { writes: [] };
    const stickiness = this.stickinessProblem();
    if (stickiness) return { problem: stickiness };
    const writes: RouteWrite[] = [];
    for (const entry of this.entries()) {
      const checked = this.check(objects, entry);
      if ('problem' in checked) return checked;
      const write = this.write(entry, checked, intent);
      if (write) writes.push(write);
    }
    return { writes };
  }

  /** The update that brings one Ingress to `intent`, or none when it is there. */
  private write(entry: IngressEntry, checked: Checked, intent: RouteIntent): RouteWrite | undefined {
    const current = checked.ingress;
    const headers = intent.managedRoutes.filter(
      (r): r is { type: 'header' } & HeaderRoute => r.type === 'header',
    );
    // a mirror route in force is left as it is (Argo's SetMirrorRoute does nothing for ALB)
    const removed = intent.managedNames.filter((n) => !intent.managedRoutes.some((r) => r.name === n));
    const updated = structuredClone(current);
    updated.metadata.annotations = this.annotations(current, checked.managed, intent, headers, removed);
    if (intent.managedNames.length > 0) {
      const inForce = headers.map((h) => h.name);
      updated.spec = withRoutePaths(current.spec, inForce, removed, intent.managedNames);
    }
    if (jsonEqual(updated, current)) return undefined;
    const { namespace, canary, stable } = { ...this.setup.rollout, ...this.setup.services };
    const routes = headers.length ? `, header routes ${headers.map((h) => h.name).join(', ')}` : '';
    return {
      action: 'update',
      resource: 'ingresses',
      current,
      object: updated,
      message: `${describeObject('Ingress', namespace, entry.name)}: canary weight ${intent.weight} (${canary}), stable ${intent.maxWeight - intent.weight} (${stable})${routes}`,
      event: {
        reason: 'PatchingALBIngress',
        message: this.eventMessage(entry.name, current, updated, intent),
      },
    };
  }

  /** The annotations once the action, the header routes in force and those taken out are as wanted. */
  private annotations(
    current: RouteObject,
    managed: ManagedAnnotations,
    intent: RouteIntent,
    headers: HeaderRoute[],
    removed: string[],
  ): Record<string, string> {
    const { config, services } = this.setup;
    const port = String(config.servicePort);
    const sticky = config.stickinessConfig;
    const annotations = { ...(current.metadata.annotations ?? {}) };
    annotations[this.actionKey] = forwardAction(
      [
        { service: services.canary, port, weight: intent.weight },
        { service: services.stable, port, weight: intent.maxWeight - intent.weight },
      ],
      sticky,
    );
    const added = [this.actionKey];
    for (const route of headers) {
      const keys = [actionKey(this.prefix, route.name), conditionKey(this.prefix, route.name)] as const;
      annotations[keys[0]] = headerRouteAction(services.canary, port, sticky);
      annotations[keys[1]] = headerConditions(route);
      added.push(...keys);
    }
    const gone = removed.flatMap((name) => [actionKey(this.prefix, name), conditionKey(this.prefix, name)]);
    for (const key of gone) delete annotations[key];
    annotations[MANAGED_ALB_ANNOTATIONS] = managedText(managed, this.setup.rollout.name, added, gone);
    return annotations;
  }

  /** Argo's PatchingALBIngress messages: the new weight, else the header routes set or taken out. */
  private eventMessage(
    name: string,
    current: RouteObject,
    updated: RouteObject,
    intent: RouteIntent,
  ): string {
    const before = current.metadata.annotations ?? {};
    if (before[this.actionKey] !== updated.metadata.annotations?.[this.actionKey])
      return `Updating Ingress \`${name}\` to desiredWeight '${intent.weight}'`;
    const headers = intent.managedRoutes.filter((r) => r.type === 'header').map((r) => r.name);
    const takenOut = intent.managedNames.some(
      (n) => !headers.includes(n) && before[actionKey(this.prefix, n)] !== undefined,
    );
    if (takenOut) return `Updating Ingress \`${name}\` removing managed routes`;
    if (headers.length) return `Updating Ingress \`${name}\` to headerRoute '${headers.join(', ')}'`;
    return `Updating Ingress \`${name}\` to record the ALB annotations Rollout \`${this.setup.rollout.name}\` manages`;
  }

  /** The Ingress as the router can use it, or why not (missing, no path to the action, bad annotations). */
  private check(objects: RouteObjects, entry: IngressEntry): Checked | { problem: RouterProblem } {
    const { namespace } = this.setup.rollout;
    const ingress = objects.get('ingresses', namespace, entry.name);
    const problem = (field: string, message: string) => ({
      problem: { object: describeObject('Ingress', namespace, entry.name), field, message },
    });
    if (!ingress)
      return problem(entry.field, `does not exist; create it, or name an existing Ingress at ${entry.field}`);
    const pathProblem = this.pathProblem(ingress);
    if (pathProblem) return problem(pathProblem.field, pathProblem.message);
    const annotations = ingress.metadata.annotations ?? {};
    const managed = parseManaged(annotations[MANAGED_ALB_ANNOTATIONS]);
    if ('error' in managed)
      return problem(
        annotationField(MANAGED_ALB_ANNOTATIONS),
        `${managed.error}; Argo Rollouts and Ramp keep there a JSON object of Rollout names to the annotation keys each wrote, e.g. {"${this.setup.rollout.name}":["${this.actionKey}"]}; fix it, or delete it (Ramp writes it again)`,
      );
    const text = annotations[this.actionKey];
    if (text === undefined) return { ingress, weight: undefined, managed: managed.managed };
    const read = canaryWeightOf(text, this.setup.services.canary);
    if ('error' in read)
      return problem(
        annotationField(this.actionKey),
        `${read.error}, so it is not an ALB forward action; fix it, or delete it (Ramp writes it again, forwarding to the canary and stable Services)`,
      );
    return { ingress, weight: read.weight, managed: managed.managed };
  }

  /** Why no path of the Ingress takes its rule from the action (Argo requires a path naming it). */
  private pathProblem(ingress: RouteObject): { field: string; message: string } | undefined {
    const named = pathsTo(ingress.spec, this.action);
    const which = this.setup.config.rootService ? 'rootService' : 'stableService';
    if (named.length === 0)
      return {
        field: 'spec.rules[].http.paths[].backend.service.name',
        message: `has no path whose backend is the Service "${this.action}" (the ${which}), so the ALB never reads the action Ramp writes at ${annotationField(this.actionKey)}; add a path with backend service name "${this.action}" and port name "${USE_ANNOTATION}" (Argo Rollouts: "ingress does not have service \`${this.action}\` in rules")`,
      };
    if (named.some((p) => p.portName === USE_ANNOTATION)) return undefined;
    const first = named[0]!;
    return {
      field: `spec.rules[${first.rule}].http.paths[${first.path}].backend.service.port`,
      message: `sends the path straight to the Service "${this.action}", so the ALB ignores the action Ramp writes at ${annotationField(this.actionKey)} and the canary gets no traffic; set the port to "name: ${USE_ANNOTATION}"`,
    };
  }

  /** Argo refuses to write stickiness the AWS API would refuse. */
  private stickinessProblem(): RouterProblem | undefined {
    const sticky = this.setup.config.stickinessConfig;
    if (!sticky?.enabled) return undefined;
    const seconds = sticky.durationSeconds;
    if (seconds >= 1 && seconds <= MAX_STICKINESS_SECONDS) return undefined;
    const field = `${this.setup.configPath}.stickinessConfig.durationSeconds`;
    return {
      object: `Rollout ${this.setup.rollout.namespace}/${this.setup.rollout.name}`,
      field,
      message: `${seconds} is out of range; the target groups' stickiness lasts 1..${MAX_STICKINESS_SECONDS} seconds (7 days)`,
    };
  }
}
