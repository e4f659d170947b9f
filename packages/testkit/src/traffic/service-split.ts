// A plain Service, as kube-proxy serves it: every request goes to one of the ready pods its
// selector selects, spread evenly. A Service that does not exist cannot be resolved
// ("unresolved"); one without ready endpoints refuses the connection ("refused").
import { answered, fixedRouter, ProblemList, type Router } from './route-decision';
import { type ServiceWorld, serviceDestination } from './service-endpoints';

export function serviceRouter(name: string, world: ServiceWorld): Router {
  const object = `Service ${world.namespace}/${name}`;
  const problems = new ProblemList(object);
  const service = world.service(name);
  if (!service) {
    problems.add('', 'not found: clients cannot resolve it, every request fails');
    return fixedRouter(
      object,
      problems,
      answered('service', 'unresolved', `Service "${name}" not found`, name),
    );
  }
  if (!service.selector || Object.keys(service.selector).length === 0)
    problems.add(
      'spec.selector',
      'none: the Service has no endpoints here (hand-written EndpointSlices are not modelled)',
    );
  const destination = serviceDestination(world, name, { invalid: 'refused', noEndpoints: 'refused' });
  return fixedRouter(object, problems, {
    rule: 'service',
    destinations: [{ weight: 1, destination, mirrors: [] }],
    mirrors: [],
  });
}
