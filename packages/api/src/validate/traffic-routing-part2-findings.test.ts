// Validation of the part-2 traffic routers (Istio, ALB, APISIX, Traefik, Ambassador) and ping-pong, with
// Argo's rules: what lints clean, and each finding with its field path and fix.
import { GATEWAY_API, routedRollout } from '../testing/traffic-routing-objects';
import { at, findings, type Obj, rollout } from '../testing/validate-objects';

const canary = (r: Obj) => at(r, 'spec.strategy.canary');
const routing = (r: Obj) => at(r, 'spec.strategy.canary.trafficRouting');
const _steps = (r: Obj) => canary(r).steps as Obj[];
type Case = [string, () => Obj, string];

// The routers of part 2 (Istio, ALB, APISIX, Traefik, Ambassador) and ping-pong, with Argo's rules.
const ROUTING = 'spec.strategy.canary.trafficRouting';
const headerAndMirrorSteps = (): Obj[] => [
  { setWeight: 20 },
  { setHeaderRoute: { name: 'header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }] } },
  { setMirrorRoute: { name: 'mirror', percentage: 50, match: [{ path: { prefix: '/' } }] } },
  { pause: {} },
];
const managed = [{ name: 'header' }, { name: 'mirror' }];
const istioRollout = () =>
  routedRollout(
    { istio: { virtualService: { name: 'demo-vs', routes: ['primary'] } }, managedRoutes: managed },
    headerAndMirrorSteps(),
  );
const albRollout = () => routedRollout({ alb: { ingress: 'demo-ingress', servicePort: 80 } });
/** A Rollout without canaryService and stableService, with ping-pong Services and `trafficRouting`. */
const pingPongRollout = (trafficRouting: Obj) => {
  const r = routedRollout(trafficRouting);
  const c = canary(r);
  delete c.canaryService;
  delete c.stableService;
  c.pingPong = { pingService: 'demo-ping', pongService: 'demo-pong' };
  return r;
};

describe('the routers of part 2 lint clean', () => {
  test.each([
    ['Istio with header and mirror routes', istioRollout],
    [
      'Istio with several VirtualServices, TLS and TCP routes',
      () =>
        routedRollout({
          istio: {
            virtualServices: [
              { name: 'a', routes: ['primary'] },
              { name: 'b.other-namespace', tlsRoutes: [{ port: 443, sniHosts: ['demo.example.com'] }] },
              { name: 'c', tcpRoutes: [{ port: 5432 }] },
            ],
          },
        }),
    ],
    [
      'Istio by subsets, without canaryService and stableService (as Argo)',
      () => {
        const r = routedRollout({
          istio: {
            virtualService: { name: 'demo-vs' },
            destinationRule: {
              name: 'demo-rule',
              canarySubsetName: 'canary',
              stableSubsetName: 'stable',
              additionalSubsetNames: ['preview'],
            },
          },
        });
        delete canary(r).canaryService;
        delete canary(r).stableService;
        return r;
      },
    ],
    ['ALB', albRollout],
    [
      'ALB with every field and an exact header route',
      () =>
        routedRollout(
          {
            alb: {
              ingresses: ['a', 'b'],
              servicePort: 443,
              rootService: 'demo-root',
              annotationPrefix: 'custom.ingress.kubernetes.io',
              stickinessConfig: { enabled: true, durationSeconds: 3600 },
            },
            managedRoutes: [{ name: 'header' }],
          },
          [{ setWeight: 20 }, headerAndMirrorSteps()[1]!, { pause: {} }],
        ),
    ],
    [
      'ALB with ping-pong Services',
      () => pingPongRollout({ alb: { ingress: 'i', servicePort: 80, rootService: 'root' } }),
    ],
    ['Istio with ping-pong Services', () => pingPongRollout({ istio: { virtualService: { name: 'vs' } } })],
    [
      'the Gateway API plugin with ping-pong Services (Argo: plugins take ping-pong)',
      () => pingPongRollout({ plugins: { [GATEWAY_API]: { httpRoute: 'demo-route' } } }),
    ],
    [
      'ALB and Istio together, with ping-pong and canary/stable Services (Argo e2e albmesh)',
      () => {
        const r = routedRollout({
          alb: { ingress: 'i', rootService: 'root', servicePort: 80 },
          istio: { virtualService: { name: 'vs', routes: ['primary'] } },
        });
        canary(r).pingPong = { pingService: 'ping', pongService: 'pong' };
        return r;
      },
    ],
    ['Ambassador', () => routedRollout({ ambassador: { mappings: ['demo-mapping'] } })],
    [
      'APISIX with a header route',
      () =>
        routedRollout(
          {
            apisix: { route: { name: 'demo-route', rules: ['demo-rule'] } },
            managedRoutes: [{ name: 'header' }],
          },
          [{ setWeight: 20 }, headerAndMirrorSteps()[1]!, { pause: {} }],
        ),
    ],
    ['Traefik', () => routedRollout({ traefik: { weightedTraefikServiceName: 'demo-weighted' } })],
    [
      'every router Ramp runs at once',
      () =>
        routedRollout({
          plugins: { [GATEWAY_API]: { httpRoute: 'demo-route' } },
          istio: { virtualService: { name: 'vs' } },
          nginx: { stableIngress: 'i' },
          alb: { ingress: 'i', servicePort: 80 },
          smi: {},
          ambassador: { mappings: ['m'] },
          traefik: { weightedTraefikServiceName: 't' },
          apisix: { route: { name: 'r' } },
        }),
    ],
  ])('%s', (_name, make) => {
    expect(findings(make())).toEqual([]);
  });
});

const part2: Case[] = [
  [
    'Istio without canaryService (Argo requires it without a destinationRule or pingPong)',
    () => {
      const r = istioRollout();
      delete canary(r).canaryService;
      return r;
    },
    'error spec.strategy.canary.canaryService: is required with trafficRouting: Istio sends the canary\'s share of the traffic to the canaryService and the rest to the stableService; add "canaryService: <Service name>", or route by subsets with istio.destinationRule, or use pingPong',
  ],
  [
    'ALB and Ambassador without stableService',
    () => {
      const r = routedRollout({ alb: { ingress: 'i', servicePort: 80 }, ambassador: { mappings: ['m'] } });
      delete canary(r).stableService;
      return r;
    },
    'error spec.strategy.canary.stableService: is required with trafficRouting: ALB and Ambassador send the canary\'s share of the traffic to the canaryService and the rest to the stableService; add "stableService: <Service name>"\n',
  ],
  [
    'Istio without a VirtualService, also with a destinationRule',
    () =>
      routedRollout({
        istio: { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } },
      }),
    `error ${ROUTING}.istio: names no VirtualService; add "virtualService: {name: <the VirtualService whose routes carry the canary split>}" (or virtualServices for several), as Argo Rollouts requires, also with a destinationRule`,
  ],
  [
    'Istio with both virtualService and virtualServices',
    () => routedRollout({ istio: { virtualService: { name: 'a' }, virtualServices: [{ name: 'b' }] } }),
    `error ${ROUTING}.istio.virtualServices: is given with virtualService; name the VirtualService with virtualService, or several with virtualServices, not both (Argo Rollouts: "either VirtualService or VirtualServices must be configured")`,
  ],
  [
    'Istio with a VirtualService of an empty name',
    () => routedRollout({ istio: { virtualServices: [{ name: 'a' }, { name: '' }] } }),
    `error ${ROUTING}.istio.virtualServices[1].name: is empty; give the VirtualService name`,
  ],
  [
    'a destinationRule without the canary subset (the schema requires it)',
    () =>
      routedRollout({
        istio: {
          virtualService: { name: 'vs' },
          destinationRule: { name: 'dr', stableSubsetName: 'stable' },
        },
      }),
    `error ${ROUTING}.istio.destinationRule.canarySubsetName: is required`,
  ],
  [
    'a destinationRule with one subset for both',
    () =>
      routedRollout({
        istio: {
          virtualService: { name: 'vs' },
          destinationRule: { name: 'dr', canarySubsetName: 'v1', stableSubsetName: 'v1' },
        },
      }),
    `error ${ROUTING}.istio.destinationRule.stableSubsetName: "v1" is also the canarySubsetName; the controller points each subset at its own ReplicaSet, so name two different subsets`,
  ],
  [
    'a destinationRule with an empty subset name',
    () =>
      routedRollout({
        istio: {
          virtualService: { name: 'vs' },
          destinationRule: { name: 'dr', canarySubsetName: '', stableSubsetName: 'stable' },
        },
      }),
    `error ${ROUTING}.istio.destinationRule.canarySubsetName: is empty; give the name of the DestinationRule's subset for the canary pods`,
  ],
  [
    'ALB without servicePort (the schema requires it)',
    () => routedRollout({ alb: { ingress: 'i' } }),
    `error ${ROUTING}.alb.servicePort: is required`,
  ],
  [
    'ALB with a servicePort no Service has',
    () => routedRollout({ alb: { ingress: 'i', servicePort: 0 } }),
    `error ${ROUTING}.alb.servicePort: 0 is not a Service port; use the port (1..65535) of the Services the Ingress routes to, e.g. "servicePort: 80"`,
  ],
  [
    'ALB without an Ingress',
    () => routedRollout({ alb: { servicePort: 80 } }),
    `error ${ROUTING}.alb: names no Ingress; add "ingress: <the Ingress whose ALB routes to the rootService (default: the stableService)>" (or ingresses for several)`,
  ],
  [
    'ALB with both ingress and ingresses',
    () => routedRollout({ alb: { ingress: 'a', ingresses: ['b'], servicePort: 80 } }),
    `error ${ROUTING}.alb.ingresses: is given with ingress; name the Ingress with ingress, or several with ingresses, not both (Argo Rollouts: "Either Ingress or Ingresses must be configured. Both are configured.")`,
  ],
  [
    'ALB with pingPong and no rootService',
    () => pingPongRollout({ alb: { ingress: 'i', servicePort: 80 } }),
    `error ${ROUTING}.alb.rootService: is required with pingPong (as in Argo Rollouts): the ALB action the controller writes on the Ingress path of the rootService splits its traffic between the ping and pong Services; add "rootService: <the Service the Ingress routes to>"`,
  ],
  [
    'ALB stickiness beyond 7 days',
    () =>
      routedRollout({
        alb: { ingress: 'i', servicePort: 80, stickinessConfig: { enabled: true, durationSeconds: 604801 } },
      }),
    `error ${ROUTING}.alb.stickinessConfig.durationSeconds: 604801 is out of range; the target groups' stickiness lasts 1..604800 seconds (7 days), as the AWS API and Argo Rollouts require`,
  ],
  [
    'an ALB header route matched by prefix (Argo: exact only)',
    () =>
      routedRollout({ alb: { ingress: 'i', servicePort: 80 }, managedRoutes: [{ name: 'h' }] }, [
        { setHeaderRoute: { name: 'h', match: [{ headerName: 'X', headerValue: { prefix: 'a' } }] } },
      ]),
    `error spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue: has prefix, which ALB cannot match (Argo Rollouts: "ALB supports 'exact' value only"); match the header with "exact" alone`,
  ],
  [
    'a mirror route with ALB (Argo: Istio and plugins only)',
    () =>
      routedRollout({ alb: { ingress: 'i', servicePort: 80 }, managedRoutes: [{ name: 'm' }] }, [
        { setMirrorRoute: { name: 'm' } },
      ]),
    'error spec.strategy.canary.steps[0].setMirrorRoute: needs a traffic router that runs it, and ALB does not: setMirrorRoute runs with the Gateway API plugin (trafficRouting.plugins["argoproj-labs/gatewayAPI"]) and istio',
  ],
  [
    'a header route with Traefik and Ambassador',
    () =>
      routedRollout(
        {
          traefik: { weightedTraefikServiceName: 't' },
          ambassador: { mappings: ['m'] },
          managedRoutes: [{ name: 'h' }],
        },
        [{ setHeaderRoute: { name: 'h' } }],
      ),
    'error spec.strategy.canary.steps[0].setHeaderRoute: needs a traffic router that runs it, and Ambassador and Traefik do not: setHeaderRoute runs with',
  ],
  [
    'an Istio header route not in managedRoutes',
    () => {
      const r = istioRollout();
      routing(r).managedRoutes = [{ name: 'mirror' }];
      return r;
    },
    'error spec.strategy.canary.steps[1].setHeaderRoute.name: "header" is not in spec.strategy.canary.trafficRouting.managedRoutes',
  ],
  [
    'maxTrafficWeight with Istio (Argo: nginx and plugins only)',
    () => routedRollout({ istio: { virtualService: { name: 'vs' } }, maxTrafficWeight: 1000 }),
    `error ${ROUTING}.maxTrafficWeight: is only supported with nginx and the Gateway API plugin`,
  ],
  [
    'Ambassador without mappings',
    () => routedRollout({ ambassador: { mappings: [] } }),
    `error ${ROUTING}.ambassador.mappings: is empty; name at least one Mapping (the controller adds a canary Mapping beside each), e.g. "mappings: [<Mapping name>]"`,
  ],
  [
    'APISIX without a route',
    () => routedRollout({ apisix: {} }),
    `error ${ROUTING}.apisix: names no ApisixRoute; add "route: {name: <the ApisixRoute whose backends carry the canary split>}"`,
  ],
  [
    'APISIX with a route of an empty name',
    () => routedRollout({ apisix: { route: { name: '' } } }),
    `error ${ROUTING}.apisix.route.name: is empty; give the ApisixRoute name`,
  ],
  [
    'Traefik without its TraefikService (the schema requires it)',
    () => routedRollout({ traefik: {} }),
    `error ${ROUTING}.traefik.weightedTraefikServiceName: is required`,
  ],
  [
    'Traefik with an empty TraefikService name',
    () => routedRollout({ traefik: { weightedTraefikServiceName: '' } }),
    `error ${ROUTING}.traefik.weightedTraefikServiceName: is empty; give the name of the TraefikService whose weighted services are the canaryService and the stableService`,
  ],
  [
    'pingPong with one Service for both',
    () => {
      const r = pingPongRollout({ istio: { virtualService: { name: 'vs' } } });
      canary(r).pingPong = { pingService: 'svc', pongService: 'svc' };
      return r;
    },
    'error spec.strategy.canary.pingPong.pongService: "svc" is also the pingService; use two different Services',
  ],
  [
    'pingPong with an empty Service',
    () => {
      const r = pingPongRollout({ istio: { virtualService: { name: 'vs' } } });
      canary(r).pingPong = { pingService: 'ping', pongService: '' };
      return r;
    },
    'error spec.strategy.canary.pingPong.pongService: is empty; give the Service name (pingPong needs two Services, which take turns being the stable)',
  ],
  [
    'pingPong without the pong Service (the schema requires it)',
    () => {
      const r = pingPongRollout({ istio: { virtualService: { name: 'vs' } } });
      canary(r).pingPong = { pingService: 'ping' };
      return r;
    },
    'error spec.strategy.canary.pingPong.pongService: is required',
  ],
  [
    'pingPong with APISIX',
    () => pingPongRollout({ apisix: { route: { name: 'r' } } }),
    'error spec.strategy.canary.pingPong: works only with the alb, istio and Gateway API plugin routers (Argo Rollouts: ALB, Istio and plugins), and trafficRouting names apisix',
  ],
  [
    'pingPong without trafficRouting',
    () => {
      const r = rollout();
      canary(r).pingPong = { pingService: 'ping', pongService: 'pong' };
      return r;
    },
    'warning spec.strategy.canary.pingPong: is used only by a traffic router (alb, istio or the Gateway API plugin) and trafficRouting is not set, so no traffic is split between the ping and pong Services (Argo Rollouts accepts it too); add trafficRouting with one of them, or remove pingPong',
  ],
];

describe('traffic routing findings of part 2', () => {
  test.each(part2)('%s', (_name, make, expected) => {
    expect(`${findings(make()).join('\n')}\n`).toContain(expected);
  });
});
