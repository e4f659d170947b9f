// Gateway API backendRefs and RequestMirror filters, read as the spec says a data plane must treat
// them (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute share them). A backendRef's weight defaults to 1
// and 0 sends nothing. A backendRef that is invalid (not a core Service, a Service that does not
// exist or is ExternalName, no port or a port the Service lacks, another namespace: ReferenceGrants
// are not modelled) keeps its weight and its share of requests gets the protocol's error (HTTP 500,
// gRPC UNAVAILABLE, TCP/TLS a rejected connection); a valid one whose Service has no ready endpoint
// gets the protocol's no-endpoint answer (HTTP 503). A RequestMirror whose backendRef is invalid is
// dropped, as the spec says.
import { isObject } from './json-shape';
import {
  answered,
  type Mirror,
  type ProblemList,
  type RouteDecision,
  type WeightedDestination,
} from './route-decision';
import { type BackendAnswers, type ServiceWorld, serviceDestination } from './service-endpoints';

export interface GatewayRefContext {
  world: ServiceWorld;
  problems: ProblemList;
  answers: BackendAnswers;
}

const MAX_WEIGHT = 1_000_000;

/** The weighted destinations of a `backendRefs` list (`field` is its path), with their own mirrors. */
export function backendRefDestinations(
  refs: unknown,
  field: string,
  ctx: GatewayRefContext,
): WeightedDestination[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) {
    ctx.problems.add(field, 'expected a list of backendRefs');
    return [];
  }
  const out: WeightedDestination[] = [];
  refs.forEach((ref: unknown, i) => {
    const at = `${field}[${i}]`;
    const weight = weightOf(ref, at, ctx.problems);
    if (weight === undefined) return;
    const target = serviceRef(ref, at, ctx);
    if ('invalid' in target) ctx.problems.add(target.field, target.invalid);
    const mirrors = isObject(ref) ? mirrorFilters(ref['filters'], `${at}.filters`, ctx) : [];
    out.push({
      weight,
      destination:
        'invalid' in target
          ? { kind: 'answer', code: ctx.answers.invalid, service: target.service, reason: target.invalid }
          : serviceDestination(ctx.world, target.service, ctx.answers),
      mirrors,
    });
  });
  return out;
}

/**
 * A rule's decision from its `backendRefs` (`field` is its path) and its rule-level `mirrors`: the
 * split by weight, or the protocol's invalid answer when there is no backendRef or every weight is 0.
 */
export function backendRefsDecision(
  id: string,
  refs: unknown,
  field: string,
  ctx: GatewayRefContext,
  mirrors: readonly Mirror[] = [],
): RouteDecision {
  const destinations = backendRefDestinations(refs, field, ctx);
  if (destinations.length === 0)
    return { ...answered(id, ctx.answers.invalid, 'the rule has no backendRefs'), mirrors };
  if (destinations.every((d) => d.weight === 0))
    return { ...answered(id, ctx.answers.invalid, 'every backendRef has weight 0'), mirrors };
  return { rule: id, destinations, mirrors };
}

/** The RequestMirror filters of a `filters` list; other filter types are not read here. */
export function mirrorFilters(filters: unknown, field: string, ctx: GatewayRefContext): Mirror[] {
  if (!Array.isArray(filters)) return [];
  const mirrors: Mirror[] = [];
  filters.forEach((filter: unknown, i) => {
    if (!isObject(filter) || filter['type'] !== 'RequestMirror') return;
    const at = `${field}[${i}].requestMirror`;
    const spec = filter['requestMirror'];
    if (!isObject(spec)) {
      ctx.problems.add(at, 'a RequestMirror filter needs requestMirror.backendRef; the filter is ignored');
      return;
    }
    const fraction = mirrorFraction(spec, at, ctx.problems);
    if (fraction === undefined) return;
    const target = serviceRef(spec['backendRef'], `${at}.backendRef`, ctx);
    if ('invalid' in target) {
      ctx.problems.add(target.field, `${target.invalid}: the mirror is dropped, as the spec says`);
      return;
    }
    mirrors.push({ id: `${field}[${i}]`, service: target.service, fraction });
  });
  return mirrors;
}

function mirrorFraction(
  spec: Record<string, unknown>,
  at: string,
  problems: ProblemList,
): number | undefined {
  const percent = spec['percent'];
  const fraction = spec['fraction'];
  if (percent !== undefined && fraction !== undefined) {
    problems.add(at, 'only one of percent or fraction may be given; the filter is ignored');
    return undefined;
  }
  if (percent !== undefined) {
    if (!Number.isInteger(percent) || (percent as number) < 0 || (percent as number) > 100) {
      problems.add(`${at}.percent`, `expected an integer within 0..100, got ${JSON.stringify(percent)}`);
      return undefined;
    }
    return (percent as number) / 100;
  }
  if (fraction !== undefined) {
    const numerator = isObject(fraction) ? fraction['numerator'] : undefined;
    const denominator = isObject(fraction) ? (fraction['denominator'] ?? 100) : undefined;
    if (
      !Number.isInteger(numerator) ||
      !Number.isInteger(denominator) ||
      (numerator as number) < 0 ||
      (denominator as number) < 1 ||
      (numerator as number) > (denominator as number)
    ) {
      problems.add(
        `${at}.fraction`,
        `expected {numerator, denominator} with 0 ≤ numerator ≤ denominator and denominator ≥ 1, got ${JSON.stringify(fraction)}`,
      );
      return undefined;
    }
    return (numerator as number) / (denominator as number);
  }
  return 1;
}

function weightOf(ref: unknown, at: string, problems: ProblemList): number | undefined {
  const weight = isObject(ref) ? ref['weight'] : undefined;
  if (weight === undefined) return 1;
  if (!Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > MAX_WEIGHT) {
    problems.add(
      `${at}.weight`,
      `expected an integer within 0..${MAX_WEIGHT}, got ${JSON.stringify(weight)}; the backendRef is left out`,
    );
    return undefined;
  }
  return weight as number;
}

type RefTarget = { service: string } | { service: string; invalid: string; field: string };

/** A backendRef's Service, or why a data plane cannot use it (and the field that says so). */
function serviceRef(ref: unknown, at: string, ctx: GatewayRefContext): RefTarget {
  if (!isObject(ref) || typeof ref['name'] !== 'string' || ref['name'] === '')
    return { service: '', invalid: 'a backendRef needs a name', field: `${at}.name` };
  const name = ref['name'];
  const group = ref['group'] ?? '';
  const kind = ref['kind'] ?? 'Service';
  if (group !== '' || kind !== 'Service') {
    const what = `${String(kind)}${group === '' ? '' : `.${String(group)}`}`;
    return { service: name, invalid: `only core Services are modelled, not ${what}`, field: at };
  }
  const namespace = ref['namespace'];
  if (namespace !== undefined && namespace !== ctx.world.namespace)
    return {
      service: name,
      invalid: `Service "${String(namespace)}/${name}" is in another namespace (ReferenceGrants are not modelled)`,
      field: `${at}.namespace`,
    };
  const service = ctx.world.service(name);
  if (!service) return { service: name, invalid: `Service "${name}" not found`, field: `${at}.name` };
  const port = ref['port'];
  if (port === undefined)
    return {
      service: name,
      invalid: `backendRef to Service "${name}" has no port (required for a Service)`,
      field: `${at}.port`,
    };
  if (!service.ports.some((p) => p.port === port))
    return {
      service: name,
      invalid: `Service "${name}" has no port ${JSON.stringify(port)}`,
      field: `${at}.port`,
    };
  return { service: name };
}
