// Traefik TraefikService (traefik.io/v1alpha1, also traefik.containo.us before Traefik v3) as Traefik's
// Kubernetes CRD provider builds it and its load balancers apply it (without allowCrossNamespace,
// allowExternalNameServices or allowEmptyServices). `spec.weighted.services[]` is a weighted round
// robin over its children, by `weight` (default 1; 0 or less: left out; no child left: 503); a child
// is a Service (`kind` Service or none: `name` and `port`, a number or a port name, over its ready
// endpoints; none ready: 503 for its share) or another TraefikService of the namespace (`kind:
// TraefikService`), whose own split applies within its share. `spec.mirroring` sends the requests to
// its main service (`name`, `kind`, `port`) and copies `percent` of them to each of its `mirrors`;
// copies are counted apart and never answer the client. Anything Traefik cannot build (a Service that
// does not exist or has no endpoints at all, a port it lacks, another namespace, an ExternalName
// Service, a TraefikService that does not exist, a cycle) leaves the whole TraefikService unbuilt: the
// routers using it are disabled and every request gets 404. Not modelled: sticky sessions, health
// checks, failover and highest-random-weight services, servers transports, response forwarding.
import { field, isObject, stringField } from './json-shape';
import {
  answered,
  fixedRouter,
  type Mirror,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import type { ServiceWorld } from './service-endpoints';

const MAX_DEPTH = 10;

interface Context {
  world: ServiceWorld;
  services: readonly unknown[];
  problems: ProblemList;
  /** Whether anything could not be built (the whole TraefikService is then unbuilt). */
  broken: boolean;
}

/** Where one request sent to a node goes: destinations whose weights are shares of the node's requests. */
type Leaves = WeightedDestination[];

/** The model of Traefik serving one TraefikService (`entry`, undefined when not found) among the namespace's. */
export function traefikServiceRouter(
  entry: unknown,
  services: readonly unknown[],
  world: ServiceWorld,
  object: string,
): Router {
  const problems = new ProblemList(object);
  if (entry === undefined) {
    problems.add('', 'not found: the routers using it have no service, every request gets 404');
    return fixedRouter(object, problems, answered('none', '404', 'the TraefikService is not found'));
  }
  const ctx: Context = { world, services, problems, broken: false };
  const name = stringField(field(entry, 'metadata'), 'name') ?? '';
  const leaves = traefikServiceLeaves(entry, name, [], ctx);
  if (ctx.broken || !leaves) {
    problems.add('', 'cannot be built: the routers using it are disabled, every request gets 404');
    return fixedRouter(object, problems, answered('none', '404', 'Traefik cannot build the TraefikService'));
  }
  const decision: RouteDecision = { rule: 'service', destinations: leaves, mirrors: [] };
  return fixedRouter(object, problems, decision);
}

function label(ctx: Context, name: string): string {
  return `TraefikService ${ctx.world.namespace}/${name}`;
}

function fail(ctx: Context, object: string, at: string, message: string): undefined {
  ctx.problems.add(at, message, object);
  ctx.broken = true;
  return undefined;
}

/** The leaves of a TraefikService object (`stack`: the TraefikServices above it, for cycles). */
function traefikServiceLeaves(
  service: unknown,
  name: string,
  stack: readonly string[],
  ctx: Context,
): Leaves | undefined {
  const object = label(ctx, name);
  if (stack.includes(name))
    return fail(ctx, object, '', `a cycle of TraefikServices: ${[...stack, name].join(' → ')}`);
  if (stack.length >= MAX_DEPTH) return fail(ctx, object, '', `nested more than ${MAX_DEPTH} deep`);
  const spec = field(service, 'spec');
  const weighted = field(spec, 'weighted');
  const mirroring = field(spec, 'mirroring');
  const inner = [...stack, name];
  if (weighted !== undefined && weighted !== null) return weightedLeaves(weighted, object, inner, ctx);
  if (mirroring !== undefined && mirroring !== null) return mirroringLeaves(mirroring, object, inner, ctx);
  return fail(
    ctx,
    object,
    'spec',
    'expected weighted or mirroring (other kinds of TraefikService are not modelled)',
  );
}

function weightedLeaves(
  weighted: unknown,
  object: string,
  stack: readonly string[],
  ctx: Context,
): Leaves | undefined {
  const children = field(weighted, 'services');
  if (!Array.isArray(children))
    return fail(ctx, object, 'spec.weighted.services', 'expected a list of services');
  const parts: { weight: number; leaves: Leaves }[] = [];
  children.forEach((child: unknown, i) => {
    const at = `spec.weighted.services[${i}]`;
    const w = field(child, 'weight') ?? 1;
    if (!Number.isInteger(w)) {
      fail(ctx, object, `${at}.weight`, `expected an integer, got ${JSON.stringify(w)}`);
      return;
    }
    const leaves = childLeaves(child, at, object, stack, ctx);
    // Traefik's weighted round robin leaves out the children of weight 0 or less.
    if (leaves && (w as number) > 0) parts.push({ weight: w as number, leaves });
  });
  if (ctx.broken) return undefined;
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  if (total === 0) {
    ctx.problems.add(
      'spec.weighted.services',
      'no service with a weight above 0: every request gets 503 (no service available)',
      object,
    );
    return [
      {
        weight: 1,
        destination: { kind: 'answer', code: '503', service: '', reason: 'no service available' },
        mirrors: [],
      },
    ];
  }
  return parts.flatMap((p) => p.leaves.map((l) => ({ ...l, weight: (l.weight * p.weight) / total })));
}

function mirroringLeaves(
  mirroring: unknown,
  object: string,
  stack: readonly string[],
  ctx: Context,
): Leaves | undefined {
  const main = childLeaves(mirroring, 'spec.mirroring', object, stack, ctx);
  const mirrors = field(mirroring, 'mirrors') ?? [];
  if (!Array.isArray(mirrors))
    return fail(ctx, object, 'spec.mirroring.mirrors', 'expected a list of mirrors');
  const copies: Mirror[] = [];
  mirrors.forEach((mirror: unknown, i) => {
    const at = `spec.mirroring.mirrors[${i}]`;
    const percent = field(mirror, 'percent') ?? 0;
    if (!Number.isInteger(percent) || (percent as number) < 0 || (percent as number) > 100) {
      fail(ctx, object, `${at}.percent`, `expected an integer within 0..100, got ${JSON.stringify(percent)}`);
      return;
    }
    const leaves = childLeaves(mirror, at, object, stack, ctx);
    if (!leaves || percent === 0) return;
    // Copies for a Service without ready endpoints are sent and lost (counted as dropped).
    for (const [j, leaf] of leaves.entries())
      if (leaf.destination.service !== '')
        copies.push({
          id: `${object}/${at}/${j}`,
          service: leaf.destination.service,
          fraction: ((percent as number) / 100) * leaf.weight,
        });
  });
  if (ctx.broken || !main) return undefined;
  return main.map((l) => ({ ...l, mirrors: [...l.mirrors, ...copies] }));
}

/** The leaves of a child reference (a Service or a TraefikService) at `at` of `object`. */
function childLeaves(
  child: unknown,
  at: string,
  object: string,
  stack: readonly string[],
  ctx: Context,
): Leaves | undefined {
  if (!isObject(child)) return fail(ctx, object, at, 'expected a service reference');
  const name = stringField(child, 'name');
  if (!name) return fail(ctx, object, `${at}.name`, 'missing');
  const namespace = child['namespace'];
  if (namespace !== undefined && namespace !== ctx.world.namespace)
    return fail(
      ctx,
      object,
      `${at}.namespace`,
      `${String(namespace)} is another namespace (cross-namespace references are not allowed by default)`,
    );
  const kind = child['kind'] ?? 'Service';
  if (kind === 'TraefikService') {
    const nested = ctx.services.find((s) => stringField(field(s, 'metadata'), 'name') === name);
    if (!nested) return fail(ctx, object, `${at}.name`, `TraefikService "${name}" not found`);
    return traefikServiceLeaves(nested, name, stack, ctx);
  }
  if (kind !== 'Service' && kind !== '')
    return fail(ctx, object, `${at}.kind`, `unsupported service kind ${JSON.stringify(kind)}`);
  const service = ctx.world.service(name);
  if (!service) return fail(ctx, object, `${at}.name`, `Service "${name}" not found`);
  if (service.type === 'ExternalName')
    return fail(
      ctx,
      object,
      `${at}.name`,
      `Service "${name}" is of type ExternalName (not allowed by default)`,
    );
  const port = child['port'];
  if (port === undefined || port === 0 || port === '')
    return fail(ctx, object, `${at}.port`, 'missing: a Service reference needs its port');
  if (!service.ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port)))
    return fail(ctx, object, `${at}.port`, `Service "${name}" has no port ${JSON.stringify(port)}`);
  if (ctx.world.selected(name).length === 0)
    return fail(
      ctx,
      object,
      `${at}.name`,
      `Service "${name}" has no endpoints at all (Traefik refuses an empty Service)`,
    );
  const ready = ctx.world.endpoints(name).length > 0;
  return [
    {
      weight: 1,
      destination: ready
        ? { kind: 'pods', service: name }
        : { kind: 'answer', code: '503', service: name, reason: `Service "${name}" has no ready endpoints` },
      mirrors: [],
    },
  ];
}
