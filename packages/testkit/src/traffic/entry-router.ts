// The router's model for the entry point the traffic follows, built from the objects read at one
// tick: pure, so the same objects always give the same routing.
import { albIngressRouter } from './alb-ingress-split';
import { apisixRouteRouter } from './apisixroute-split';
import { grpcRouteRouter } from './grpcroute-split';
import { httpRouteRouter } from './httproute-split';
import { field, stringField } from './json-shape';
import { mappingRouter } from './mapping-split';
import { nginxCanaryRouter } from './nginx-canary-split';
import type { Router } from './route-decision';
import { answered } from './route-decision';
import { describeEntry, type RouteEntry } from './route-entry';
import type { ServiceWorld } from './service-endpoints';
import { serviceRouter } from './service-split';
import { streamRouteRouter } from './tcproute-tlsroute-split';
import { traefikServiceRouter } from './traefikservice-split';
import { trafficSplitRouter } from './trafficsplit-split';
import { virtualServiceRouter } from './virtualservice-split';

export interface RoutingObjects {
  /** The routing object (custom resource kinds), undefined when it does not exist. */
  object?: unknown;
  /** The last one ever read (a TrafficSplit's apex outlives the split). */
  lastSeen?: unknown;
  /** Every Ingress of the namespace (ingress entries). */
  ingresses?: readonly unknown[];
  /** Every object of the entry's kind in the namespace (APISIX, Traefik and Ambassador entries). */
  objects?: readonly unknown[];
  /** The namespace's DestinationRules (VirtualService entry). */
  destinationRules?: readonly unknown[];
}

export interface EntryRouterOptions {
  /** ingress-nginx's annotation prefix; default nginx.ingress.kubernetes.io. */
  nginxAnnotationPrefix?: string;
  /** The AWS Load Balancer Controller's annotation prefix; default alb.ingress.kubernetes.io. */
  albAnnotationPrefix?: string;
}

export function entryRouter(
  entry: RouteEntry,
  objects: RoutingObjects,
  world: ServiceWorld,
  options: EntryRouterOptions = {},
): Router {
  const object = describeEntry(entry, world.namespace);
  const missing = (code: string): Router => ({
    entry: object,
    problems: [{ object, field: '', message: `not found: every request gets ${code}` }],
    decide: () => answered('none', code, `${object} not found`),
  });
  switch (entry.kind) {
    case 'service':
      return serviceRouter(entry.name, world);
    case 'ingress':
      return nginxCanaryRouter(entry.name, objects.ingresses ?? [], world, options.nginxAnnotationPrefix);
    case 'albingress':
      return albIngressRouter(entry.name, objects.ingresses ?? [], world, options.albAnnotationPrefix);
    case 'trafficsplit':
      return trafficSplitRouter(
        objects.object,
        world,
        object,
        stringField(field(objects.lastSeen, 'spec'), 'service'),
      );
    case 'httproute':
      return objects.object === undefined ? missing('404') : httpRouteRouter(objects.object, world, object);
    case 'grpcroute':
      return objects.object === undefined
        ? missing('UNIMPLEMENTED')
        : grpcRouteRouter(objects.object, world, object);
    case 'tcproute':
      return objects.object === undefined
        ? missing('rejected')
        : streamRouteRouter(objects.object, world, object, 'TCPRoute');
    case 'tlsroute':
      return objects.object === undefined
        ? missing('rejected')
        : streamRouteRouter(objects.object, world, object, 'TLSRoute');
    case 'virtualservice':
      return virtualServiceRouter(
        objects.object,
        objects.destinationRules ?? [],
        world,
        object,
        objects.lastSeen,
      );
    case 'apisixroute':
      return apisixRouteRouter(objects.object, objects.objects ?? [], world, object);
    case 'traefikservice':
      return traefikServiceRouter(objects.object, objects.objects ?? [], world, object);
    case 'mapping':
      return mappingRouter(objects.object, objects.objects ?? [], world, object);
  }
}
