// An Ingress (networking.k8s.io/v1) as the AWS Load Balancer Controller turns it into ALB listener
// rules, and as the load balancer applies them (annotation prefix configurable, default
// alb.ingress.kubernetes.io). The rules are evaluated in the controller's order: the Ingress' rules in
// order, each rule's paths with `Exact` first, then `Prefix` longest first, then
// `ImplementationSpecific` (or no pathType) as written; the first whose conditions hold takes the
// request (alb-conditions.ts: the rule's host, the path's patterns, and the
// `<prefix>/conditions.<service name>` annotation); none: the default backend, else the listener's
// default 404. A path's backend is a Service and port, or, with `port.name: use-annotation`, the
// action of `<prefix>/actions.<service name>` (JSON, keys read case-insensitively as Go does):
//   - `forward` with `forwardConfig.targetGroups` ({serviceName, servicePort, weight}; weights 0..999
//     and required with several target groups): the requests split by weight, 0 gets nothing;
//   - `fixed-response` answers `fixedResponseConfig.statusCode`; `redirect` its `redirectConfig.statusCode`
//     (HTTP_301, HTTP_302).
// As the controller does: a missing action annotation, or a single target Service that does not exist,
// is a fixed 503; other errors make it refuse the Ingress (reported; the path is left out here, where
// the real load balancer keeps its last good rules). A target Service without ready endpoints (no
// registered target) answers 503 for its share. Not modelled: IngressGroups (other Ingresses sharing
// the load balancer), listen ports and SSL redirects, authentication, target groups by ARN, stickiness.
import { type AlbConditions, albConditionsHold, parseAlbConditions } from './alb-conditions';
import { defaultIngressHost } from './ingress-rule-match';
import { field, goJsonField, isObject, stringField } from './json-shape';
import type { RequestClass } from './request-mix';
import {
  answered,
  fixedRouter,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import { type ServiceWorld, serviceDestination } from './service-endpoints';

export const DEFAULT_ALB_PREFIX = 'alb.ingress.kubernetes.io';
export const ALB_ANSWERS = { invalid: '503', noEndpoints: '503' } as const;

const MAX_WEIGHT = 999;
const REDIRECT_CODES: Readonly<Record<string, string>> = { HTTP_301: '301', HTTP_302: '302' };

interface AlbRule {
  conditions: AlbConditions;
  decision: RouteDecision;
}

interface Context {
  world: ServiceWorld;
  problems: ProblemList;
  annotations: unknown;
  prefix: string;
}

/** The model of an ALB serving the Ingress `name` among the namespace's `ingresses`. */
export function albIngressRouter(
  name: string,
  ingresses: readonly unknown[],
  world: ServiceWorld,
  prefix = DEFAULT_ALB_PREFIX,
): Router {
  const object = `Ingress ${world.namespace}/${name}`;
  const problems = new ProblemList(object);
  const ingress = ingresses.find((i) => stringField(field(i, 'metadata'), 'name') === name);
  if (!ingress) {
    problems.add('', 'not found: every request gets 404 (no listener rule)');
    return fixedRouter(object, problems, answered('none', '404', 'the Ingress is not found'));
  }
  const ctx: Context = {
    world,
    problems,
    annotations: field(field(ingress, 'metadata'), 'annotations'),
    prefix,
  };
  const spec = field(ingress, 'spec');
  const rules = readRules(field(spec, 'rules'), ctx);
  const defaultBackend = field(spec, 'defaultBackend');
  const fallback =
    defaultBackend === undefined || defaultBackend === null
      ? answered('default', '404', 'no rule matches the request (the listener default)')
      : (backendDecision(defaultBackend, 'spec.defaultBackend', 'defaultBackend', ctx) ??
        answered('default', '404', 'no rule matches the request (the listener default)'));
  const host = defaultIngressHost(ingress);
  return {
    entry: object,
    problems: problems.items,
    decide(request: RequestClass): RouteDecision {
      const requestHost = request.host ?? host;
      const rule = rules.find((r) => albConditionsHold(r.conditions, request, requestHost));
      return rule ? rule.decision : fallback;
    },
  };
}

function readRules(rules: unknown, ctx: Context): AlbRule[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) {
    ctx.problems.add('spec.rules', 'expected a list of rules; none is read');
    return [];
  }
  const out: AlbRule[] = [];
  rules.forEach((rule: unknown, i) => {
    const host = stringField(rule, 'host') ?? '';
    const paths = field(field(rule, 'http'), 'paths');
    if (paths === undefined) return;
    if (!Array.isArray(paths)) {
      ctx.problems.add(`spec.rules[${i}].http.paths`, 'expected a list of paths; none is read');
      return;
    }
    for (const { path, j } of controllerOrder(paths, `spec.rules[${i}].http.paths`, ctx.problems)) {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const patterns = pathPatterns(path, at, ctx.problems);
      if (!patterns) continue;
      const backend = field(path, 'backend');
      const service = stringField(field(backend, 'service'), 'name');
      if (!service) {
        ctx.problems.add(
          `${at}.backend`,
          'expected backend.service.name: the controller refuses the Ingress; the path is left out',
        );
        continue;
      }
      const key = `${ctx.prefix}/conditions.${service}`;
      const conditions = parseAlbConditions(
        stringField(ctx.annotations, key),
        `metadata.annotations["${key}"]`,
        ctx.problems,
        { hosts: host === '' ? [] : [host], paths: patterns },
      );
      const decision = backendDecision(backend, `${at}.backend`, `rules[${i}].paths[${j}]`, ctx);
      if (conditions && decision) out.push({ conditions, decision });
    }
  });
  return out;
}

/** The paths in the controller's order: Exact, then Prefix longest first, then the others as written. */
function controllerOrder(
  paths: unknown[],
  at: string,
  problems: ProblemList,
): { path: unknown; j: number }[] {
  const exact: { path: unknown; j: number }[] = [];
  const prefix: { path: unknown; j: number }[] = [];
  const other: { path: unknown; j: number }[] = [];
  paths.forEach((path: unknown, j) => {
    const type = field(path, 'pathType');
    if (type === 'Exact') exact.push({ path, j });
    else if (type === 'Prefix') prefix.push({ path, j });
    else if (type === undefined || type === null || type === 'ImplementationSpecific')
      other.push({ path, j });
    else
      problems.add(
        `${at}[${j}].pathType`,
        `unknown pathType ${JSON.stringify(type)}: the controller refuses the Ingress; the path is left out`,
      );
  });
  const length = (p: unknown) => (stringField(p, 'path') ?? '').length;
  prefix.sort((a, b) => length(b.path) - length(a.path));
  return [...exact, ...prefix, ...other];
}

/** The ALB path patterns of an Ingress path; undefined when the controller refuses it. */
function pathPatterns(path: unknown, at: string, problems: ProblemList): string[] | undefined {
  const value = stringField(path, 'path') ?? '';
  const type = field(path, 'pathType');
  if (value === '') return [];
  if (type === 'Exact' || type === 'Prefix') {
    if (/[*?]/.test(value)) {
      problems.add(
        `${at}.path`,
        `a ${type} path must not contain wildcards: the controller refuses the Ingress; the path is left out`,
      );
      return undefined;
    }
    if (type === 'Exact') return [value];
    if (value === '/') return ['/*'];
    const trimmed = value.replace(/\/$/, '');
    return [trimmed, `${trimmed}/*`];
  }
  return [value];
}

/** What a backend (at `at`) does with the requests of its rule; undefined when the controller refuses it. */
function backendDecision(backend: unknown, at: string, id: string, ctx: Context): RouteDecision | undefined {
  const service = field(backend, 'service');
  const name = stringField(service, 'name');
  if (!name) {
    ctx.problems.add(
      at,
      'expected backend.service.name: the controller refuses the Ingress; the path is left out',
    );
    return undefined;
  }
  const port = field(service, 'port');
  const portName = stringField(port, 'name');
  if (portName === 'use-annotation') return actionDecision(name, id, ctx);
  const portNumber = field(port, 'number');
  const servicePort = portName ?? (typeof portNumber === 'number' ? portNumber : undefined);
  if (servicePort === undefined) {
    ctx.problems.add(
      `${at}.service.port`,
      'expected a port name or number: the controller refuses the Ingress; the path is left out',
    );
    return undefined;
  }
  return forwardDecision(id, [{ service: name, port: servicePort, weight: 1, field: `${at}.service` }], ctx);
}

interface TargetGroup {
  service: string;
  port: number | string;
  weight: number;
  field: string;
}

/** The action of `<prefix>/actions.<name>`; undefined when the controller refuses it (reported). */
function actionDecision(name: string, id: string, ctx: Context): RouteDecision | undefined {
  const key = `${ctx.prefix}/actions.${name}`;
  const at = `metadata.annotations["${key}"]`;
  const json = stringField(ctx.annotations, key);
  if (json === undefined) {
    ctx.problems.add(at, 'missing: the controller answers a fixed 503 (Backend action does not exist)');
    return answered(id, '503', 'the action annotation does not exist');
  }
  const refuse = (message: string) => {
    ctx.problems.add(at, `${message}: the controller refuses the Ingress; the path is left out`);
    return undefined;
  };
  let action: unknown;
  try {
    action = JSON.parse(json);
  } catch {
    return refuse('not JSON');
  }
  if (!isObject(action)) return refuse('expected a JSON action object');
  const type = goJsonField(action, 'type');
  if (type === 'fixed-response') {
    const code = goJsonField(goJsonField(action, 'fixedResponseConfig'), 'statusCode');
    if (typeof code !== 'string' || code === '')
      return refuse('a fixed-response action needs fixedResponseConfig.statusCode');
    return answered(id, code, 'fixed-response action');
  }
  if (type === 'redirect') {
    const code = goJsonField(goJsonField(action, 'redirectConfig'), 'statusCode');
    if (typeof code !== 'string' || code === '')
      return refuse('a redirect action needs redirectConfig.statusCode');
    const http = REDIRECT_CODES[code];
    if (!http)
      return refuse(`redirectConfig.statusCode must be HTTP_301 or HTTP_302, got ${JSON.stringify(code)}`);
    return answered(id, http, 'redirect action');
  }
  if (type !== 'forward') return refuse(`unknown action type ${JSON.stringify(type)}`);
  const arn = goJsonField(action, 'targetGroupARN');
  const forward = goJsonField(action, 'forwardConfig');
  if ((arn !== undefined && arn !== null) === (forward !== undefined && forward !== null))
    return refuse('precisely one of targetGroupARN and forwardConfig can be specified');
  if (arn !== undefined && arn !== null) {
    ctx.problems.add(at, 'target groups by ARN are not modelled: every request of the rule gets 503');
    return answered(id, '503', 'a target group by ARN');
  }
  const groups = goJsonField(forward, 'targetGroups');
  if (!Array.isArray(groups) || groups.length === 0)
    return refuse('forwardConfig.targetGroups must be a non-empty list');
  const targets: TargetGroup[] = [];
  for (const [i, tg] of groups.entries()) {
    const tgAt = `${at}.forwardConfig.targetGroups[${i}]`;
    const serviceName = goJsonField(tg, 'serviceName');
    const tgArn = goJsonField(tg, 'targetGroupARN');
    if ((typeof serviceName === 'string') === (tgArn !== undefined && tgArn !== null))
      return refuse(
        `forwardConfig.targetGroups[${i}]: precisely one of targetGroupARN and serviceName can be specified`,
      );
    const weight = goJsonField(tg, 'weight');
    if (groups.length > 1 && (weight === undefined || weight === null))
      return refuse('weight must be set when route to multiple target groups');
    if (
      weight !== undefined &&
      weight !== null &&
      (!Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > MAX_WEIGHT)
    )
      return refuse(
        `forwardConfig.targetGroups[${i}].weight: expected an integer within 0..${MAX_WEIGHT}, got ${JSON.stringify(weight)}`,
      );
    if (typeof serviceName !== 'string') {
      ctx.problems.add(tgAt, 'target groups by ARN are not modelled: its share gets 503');
      targets.push({ service: '', port: 0, weight: (weight as number | undefined) ?? 1, field: tgAt });
      continue;
    }
    const port = goJsonField(tg, 'servicePort');
    if (port === undefined || port === null || (typeof port !== 'string' && typeof port !== 'number'))
      return refuse(`forwardConfig.targetGroups[${i}]: missing servicePort`);
    // intstr.Parse, as the controller normalizes it: "80" is the port number 80.
    const text = String(port);
    targets.push({
      service: serviceName,
      port: /^-?\d+$/.test(text) ? Number(text) : text,
      weight: groups.length > 1 ? (weight as number) : 1,
      field: tgAt,
    });
  }
  return forwardDecision(id, targets, ctx);
}

/** A forward to target groups, split by weight. */
function forwardDecision(id: string, targets: readonly TargetGroup[], ctx: Context): RouteDecision {
  const services = new Set(targets.map((t) => t.service));
  if (
    targets.length === 1 &&
    services.size === 1 &&
    targets[0]!.service !== '' &&
    !ctx.world.service(targets[0]!.service)
  ) {
    ctx.problems.add(
      targets[0]!.field,
      `Service "${targets[0]!.service}" not found: the controller answers a fixed 503 (Backend service does not exist)`,
    );
    return answered(id, '503', `Service "${targets[0]!.service}" not found`, targets[0]!.service);
  }
  const destinations: WeightedDestination[] = targets.map((t) => ({
    weight: t.weight,
    destination: targetDestination(t, ctx),
    mirrors: [],
  }));
  if (destinations.every((d) => d.weight === 0)) {
    ctx.problems.add(
      targets[0]!.field,
      'every target group has weight 0: every request of the rule gets 503',
    );
    return answered(id, '503', 'every target group has weight 0');
  }
  return { rule: id, destinations, mirrors: [] };
}

function targetDestination(t: TargetGroup, ctx: Context): WeightedDestination['destination'] {
  if (t.service === '') return { kind: 'answer', code: '503', service: '', reason: 'a target group by ARN' };
  const service = ctx.world.service(t.service);
  const invalid = (reason: string): WeightedDestination['destination'] => {
    ctx.problems.add(
      t.field,
      `${reason}: the controller cannot reconcile the Ingress; its share gets 503 here`,
    );
    return { kind: 'answer', code: '503', service: t.service, reason };
  };
  if (!service) return invalid(`Service "${t.service}" not found`);
  if (!service.ports.some((p) => p.port === t.port || p.name === t.port))
    return invalid(`Service "${t.service}" has no port ${JSON.stringify(t.port)}`);
  return serviceDestination(ctx.world, t.service, ALB_ANSWERS);
}
