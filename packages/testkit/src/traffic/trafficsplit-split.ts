// SMI TrafficSplit (split.smi-spec.io v1alpha1..v1alpha4) as a mesh applies it: requests for the
// apex Service `spec.service` (the same field name in every version) are split over
// `spec.backends[].service` by `weight`, relative to the sum of weights. v1alpha1 weights are
// Kubernetes quantities ("500m" is 0.5; a plain number is read too); later versions' are integers
// (a quantity string there is read as a quantity, and reported). A backend whose Service does not
// exist or has no ready endpoint answers 503 for its share; no backends, or all weights 0: every
// request gets 503. An apex Service that does not exist cannot be resolved by clients: every request
// fails ("unresolved"). Without the TrafficSplit, requests for the apex go to the apex Service's own
// pods (when the apex is known from an earlier read). `spec.matches` (v1alpha3+, HTTPRouteGroup
// references) is not modelled: it is reported, and the split applies to every request.
import { parseQuantity } from '@ramp/api';
import { isObject, stringField } from './json-shape';
import {
  answered,
  fixedRouter,
  ProblemList,
  type RouteDecision,
  type Router,
  type WeightedDestination,
} from './route-decision';
import { type ServiceWorld, serviceDestination } from './service-endpoints';

export const SMI_ANSWERS = { invalid: '503', noEndpoints: '503' } as const;

/** The model of a mesh applying one TrafficSplit (undefined: not found); `object` names it. */
export function trafficSplitRouter(
  split: unknown,
  world: ServiceWorld,
  object: string,
  apexWhenMissing?: string,
): Router {
  const problems = new ProblemList(object);
  if (split === undefined) {
    if (apexWhenMissing === undefined) {
      problems.add(
        '',
        'not found, and its apex Service is not known yet: every request fails ("unresolved")',
      );
      return fixedRouter(
        object,
        problems,
        answered('none', 'unresolved', 'the TrafficSplit is not found and its apex Service is not known'),
      );
    }
    problems.add('', `not found: requests for the apex go to Service "${apexWhenMissing}" itself`);
    return fixedRouter(object, problems, apexDecision(world, apexWhenMissing));
  }
  const spec = isObject(split) ? split['spec'] : undefined;
  const apex = stringField(spec, 'service');
  if (apex === undefined || apex === '') {
    problems.add('spec.service', 'missing: the split has no apex Service, requests cannot be addressed');
    return fixedRouter(object, problems, answered('none', 'unresolved', 'no apex Service'));
  }
  if (!world.service(apex)) {
    problems.add('spec.service', `Service "${apex}" not found: clients cannot resolve the apex`);
    return fixedRouter(object, problems, answered('none', 'unresolved', `Service "${apex}" not found`, apex));
  }
  const matches = isObject(spec) ? spec['matches'] : undefined;
  if (Array.isArray(matches) && matches.length > 0)
    problems.add(
      'spec.matches',
      'HTTPRouteGroup matches are not modelled: the split applies to every request',
    );
  const v1alpha1 = stringField(split, 'apiVersion') === 'split.smi-spec.io/v1alpha1';
  const destinations = readBackends(isObject(spec) ? spec['backends'] : undefined, v1alpha1, world, problems);
  if (destinations.every((d) => d.weight === 0)) {
    problems.add('spec.backends', 'no backend with a weight above 0: every request gets 503');
    return fixedRouter(object, problems, answered('backends', '503', 'no backend with a weight above 0'));
  }
  return fixedRouter(object, problems, { rule: 'backends', destinations, mirrors: [] });
}

function apexDecision(world: ServiceWorld, apex: string): RouteDecision {
  const destination = serviceDestination(world, apex, SMI_ANSWERS);
  if (destination.kind === 'answer' && !world.service(apex))
    return answered('apex', 'unresolved', destination.reason, apex);
  return { rule: 'apex', destinations: [{ weight: 1, destination, mirrors: [] }], mirrors: [] };
}

function readBackends(
  backends: unknown,
  v1alpha1: boolean,
  world: ServiceWorld,
  problems: ProblemList,
): WeightedDestination[] {
  if (!Array.isArray(backends)) {
    problems.add('spec.backends', backends === undefined ? 'missing' : 'expected a list of backends');
    return [];
  }
  const out: WeightedDestination[] = [];
  backends.forEach((backend: unknown, i) => {
    const at = `spec.backends[${i}]`;
    const service = stringField(backend, 'service');
    if (service === undefined || service === '') {
      problems.add(`${at}.service`, 'missing: the backend is left out');
      return;
    }
    const raw = isObject(backend) ? backend['weight'] : undefined;
    const weight = parseQuantity(raw);
    if (weight === undefined || weight < 0) {
      problems.add(
        `${at}.weight`,
        `expected a non-negative ${v1alpha1 ? 'quantity' : 'integer'}, got ${JSON.stringify(raw)}; the backend is left out`,
      );
      return;
    }
    if (!v1alpha1 && typeof raw === 'string')
      problems.add(`${at}.weight`, `a quantity string where this version has an integer; read as ${weight}`);
    if (!world.service(service))
      problems.add(`${at}.service`, `Service "${service}" not found: its share gets 503`);
    out.push({ weight, destination: serviceDestination(world, service, SMI_ANSWERS), mirrors: [] });
  });
  return out;
}
