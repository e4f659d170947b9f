import {
  GATEWAY_API,
  gatewayRollout,
  nginxRollout,
  routedRollout,
  smiRollout,
} from '../testing/traffic-routing-objects';
import { at, findings, type Obj, rollout } from '../testing/validate-objects';

const canary = (r: Obj) => at(r, 'spec.strategy.canary');
const routing = (r: Obj) => at(r, 'spec.strategy.canary.trafficRouting');
const gatewayConfig = (r: Obj) => routing(r).plugins as Record<string, Obj>;
const steps = (r: Obj) => canary(r).steps as Obj[];
const GW = `spec.strategy.canary.trafficRouting.plugins["${GATEWAY_API}"]`;

describe('the routers Ramp runs lint clean', () => {
  test.each([
    ['the Gateway API plugin, with header and mirror routes', gatewayRollout],
    ['nginx', nginxRollout],
    ['smi', smiRollout],
    ['nginx and smi together', () => routedRollout({ nginx: { stableIngress: 'i' }, smi: {} })],
    [
      'the plugin with every field',
      () =>
        routedRollout({
          plugins: {
            [GATEWAY_API]: {
              httpRoutes: [{ name: 'a', useHeaderRoutes: true }],
              grpcRoutes: [{ name: 'b' }],
              tcpRoute: 'c',
              tlsRoutes: [{ name: 'd' }],
              httpRouteSelector: { matchLabels: { app: 'demo' } },
              namespace: 'routes',
              disableInProgressLabel: false,
              inProgressLabelKey: 'example.com/canary',
              inProgressLabelValue: 'running',
            },
          },
          maxTrafficWeight: 1000,
        }),
    ],
    [
      'dynamicStableScale, abortScaleDownDelaySeconds, minPodsPerReplicaSet with a router',
      () => {
        const r = nginxRollout();
        Object.assign(canary(r), {
          dynamicStableScale: true,
          abortScaleDownDelaySeconds: 10,
          minPodsPerReplicaSet: 2,
        });
        return r;
      },
    ],
  ])('%s', (_name, make) => {
    expect(findings(make())).toEqual([]);
  });
});

type Case = [string, () => Obj, string];

const cases: Case[] = [
  [
    'App Mesh will never be run, and the fix names the Gateway API',
    () => routedRollout({ appMesh: { virtualService: { name: 'vs' } } }),
    'error spec.strategy.canary.trafficRouting.appMesh: The AWS App Mesh traffic router (trafficRouting.appMesh) will not be supported by Ramp: AWS discontinued App Mesh (end of support 30 September 2026) (see docs/compatibility.md); route with the Gateway API instead (trafficRouting.plugins["argoproj-labs/gatewayAPI"]; on AWS, the AWS Gateway API Controller for Amazon VPC Lattice implements it), remove it, or run this object with Argo Rollouts',
  ],
  [
    'another plugin is not run',
    () => routedRollout({ plugins: { 'argoproj-labs/openshift': { routes: ['r'] } } }),
    'error spec.strategy.canary.trafficRouting.plugins["argoproj-labs/openshift"]: The traffic router plugin "argoproj-labs/openshift" is not supported by Ramp yet (see docs/compatibility.md); Ramp runs the Gateway API plugin\'s configuration ("argoproj-labs/gatewayAPI") natively and runs no plugin binaries, remove it, or run this object with Argo Rollouts',
  ],
  [
    'trafficRouting without a router',
    () => routedRollout({ managedRoutes: [{ name: 'x' }] }),
    'error spec.strategy.canary.trafficRouting: names no traffic router; Ramp runs the Gateway API plugin\'s configuration (trafficRouting.plugins["argoproj-labs/gatewayAPI"]), istio, alb, nginx, smi, apisix, traefik and ambassador: add one of them, or remove trafficRouting to split traffic by replica counts',
  ],
  [
    'pingPong with nginx (Argo: ALB, Istio and plugins only)',
    () => {
      const r = nginxRollout();
      canary(r).pingPong = { pingService: 'ping', pongService: 'pong' };
      return r;
    },
    'error spec.strategy.canary.pingPong: works only with the alb, istio and Gateway API plugin routers (Argo Rollouts: ALB, Istio and plugins), and trafficRouting names nginx; route with one of them, or remove pingPong and give canaryService and stableService',
  ],
  [
    'a misspelled field of the plugin config',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { httpRout: 'demo-route', httpRoute: 'demo-route' };
      return r;
    },
    `error ${GW}.httpRout: unknown field "httpRout"; did you mean "httpRoute"?`,
  ],
  [
    'a plugin config of the wrong type',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { httpRoute: 'demo-route', httpRoutes: 'demo-route' };
      return r;
    },
    `error ${GW}.httpRoutes: expected a list, got the string "demo-route"`,
  ],
  [
    'a plugin config without routes',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { namespace: 'default', httpRoutes: [] };
      return r;
    },
    `error ${GW}: names no route: the plugin refuses it ("No routes configured. At least one of 'httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes', 'httpRoute', 'grpcRoute', 'tcpRoute' or 'tlsRoute' must be set"); name the route`,
  ],
  [
    'a listed route without a name',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { httpRoutes: [{ useHeaderRoutes: true }] };
      return r;
    },
    `error ${GW}.httpRoutes[0].name: is required; add "name:"`,
  ],
  [
    'a listed route with an empty name',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { grpcRoutes: [{ name: '' }] };
      return r;
    },
    `error ${GW}.grpcRoutes[0].name: is empty; give the GRPCRoute's name (the plugin requires it)`,
  ],
  [
    'an in-progress label key that is not a label key',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { httpRoute: 'r', inProgressLabelKey: 'Canary Running' };
      return r;
    },
    `error ${GW}.inProgressLabelKey: label key "Canary Running" must start and end with a letter or digit`,
  ],
  [
    'a route selector with a bad operator',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = {
        httpRouteSelector: { matchExpressions: [{ key: 'app', operator: 'in', values: ['a'] }] },
      };
      return r;
    },
    `error ${GW}.httpRouteSelector.matchExpressions[0].operator: "in" is not an operator; use one of In, NotIn, Exists, DoesNotExist`,
  ],
  [
    'no canaryService with the Gateway API plugin (Argo does not require it for plugins; Ramp does)',
    () => {
      const r = gatewayRollout();
      delete canary(r).canaryService;
      return r;
    },
    'error spec.strategy.canary.canaryService: is required with trafficRouting: the Gateway API plugin sends the canary\'s share of the traffic to the canaryService and the rest to the stableService; add "canaryService: <Service name>"',
  ],
  [
    'no stableService with nginx and smi',
    () => {
      const r = routedRollout({ nginx: { stableIngress: 'i' }, smi: {} });
      canary(r).stableService = '';
      return r;
    },
    'error spec.strategy.canary.stableService: is required with trafficRouting: nginx and smi send the canary',
  ],
  [
    'maxTrafficWeight with smi',
    () => routedRollout({ smi: {}, maxTrafficWeight: 1000 }),
    'error spec.strategy.canary.trafficRouting.maxTrafficWeight: is only supported with nginx and the Gateway API plugin (as in Argo Rollouts: nginx and plugins); remove it',
  ],
  [
    'maxTrafficWeight 0',
    () => routedRollout({ nginx: { stableIngress: 'i' }, maxTrafficWeight: 0 }),
    'error spec.strategy.canary.trafficRouting.maxTrafficWeight: 0 must be greater than 0',
  ],
  [
    'setWeight above maxTrafficWeight',
    () => {
      const r = routedRollout({ nginx: { stableIngress: 'i' }, maxTrafficWeight: 50 });
      steps(r)[0] = { setWeight: 60 };
      return r;
    },
    'error spec.strategy.canary.steps[0].setWeight: 60 is out of range; use 0..50 (trafficRouting.maxTrafficWeight)',
  ],
  [
    'setWeight above 100 without maxTrafficWeight',
    () => {
      const r = nginxRollout();
      steps(r)[0] = { setWeight: 101 };
      return r;
    },
    'error spec.strategy.canary.steps[0].setWeight: 101 is out of range; use 0..100',
  ],
  [
    'managedRoutes names twice',
    () => {
      const r = gatewayRollout();
      routing(r).managedRoutes = [{ name: 'header' }, { name: 'mirror' }, { name: 'header' }];
      return r;
    },
    'error spec.strategy.canary.trafficRouting.managedRoutes[2].name: "header" is already listed at managedRoutes[0]; each managed route needs its own name',
  ],
  [
    'nginx with both stableIngress and stableIngresses',
    () => routedRollout({ nginx: { stableIngress: 'a', stableIngresses: ['b'] } }),
    'error spec.strategy.canary.trafficRouting.nginx.stableIngresses: is given with stableIngress',
  ],
  [
    'nginx without an Ingress',
    () => routedRollout({ nginx: { annotationPrefix: 'nginx.ingress.kubernetes.io' } }),
    'error spec.strategy.canary.trafficRouting.nginx: names no Ingress; add "stableIngress: <the Ingress that routes to the stableService>"',
  ],
  [
    'setCanaryScale without trafficRouting',
    () => {
      const r = rollout();
      canary(r).steps = [{ setCanaryScale: { replicas: 1 } }];
      return r;
    },
    'error spec.strategy.canary.steps[0].setCanaryScale: needs trafficRouting',
  ],
  [
    'setHeaderRoute with nginx',
    () => {
      const r = nginxRollout();
      routing(r).managedRoutes = [{ name: 'h' }];
      canary(r).steps = [{ setHeaderRoute: { name: 'h' } }];
      return r;
    },
    'error spec.strategy.canary.steps[0].setHeaderRoute: needs a traffic router that runs it, and nginx does not: setHeaderRoute runs with the Gateway API plugin (trafficRouting.plugins["argoproj-labs/gatewayAPI"]), istio, alb and apisix (as in Argo Rollouts, which also runs it with other plugins); route with one of them, or remove the step',
  ],
  [
    'setMirrorRoute with smi',
    () => {
      const r = smiRollout();
      routing(r).managedRoutes = [{ name: 'm' }];
      canary(r).steps = [{ setMirrorRoute: { name: 'm' } }];
      return r;
    },
    'error spec.strategy.canary.steps[0].setMirrorRoute: needs a traffic router that runs it, and smi does not: setMirrorRoute runs with the Gateway API plugin (trafficRouting.plugins["argoproj-labs/gatewayAPI"]) and istio (as in Argo Rollouts, which also runs it with other plugins); route with one of them, or remove the step',
  ],
  [
    'setHeaderRoute without trafficRouting',
    () => {
      const r = rollout();
      canary(r).steps = [{ setHeaderRoute: { name: 'h' } }];
      return r;
    },
    'error spec.strategy.canary.steps[0].setHeaderRoute: needs trafficRouting with a router that runs it: setHeaderRoute runs with the Gateway API plugin',
  ],
  [
    'setHeaderRoute with a trafficRouting that names no router',
    () => {
      const r = routedRollout({ managedRoutes: [{ name: 'h' }] });
      canary(r).steps = [{ setHeaderRoute: { name: 'h' } }];
      return r;
    },
    'error spec.strategy.canary.steps[0].setHeaderRoute: needs a traffic router that runs it: setHeaderRoute runs with the Gateway API plugin',
  ],
  [
    'setHeaderRoute without managedRoutes',
    () => {
      const r = gatewayRollout();
      delete routing(r).managedRoutes;
      return r;
    },
    'error spec.strategy.canary.steps[2].setHeaderRoute.name: "header" needs spec.strategy.canary.trafficRouting.managedRoutes, which is missing; add "managedRoutes: [{name: header}]" under trafficRouting',
  ],
  [
    'setMirrorRoute naming a route not in managedRoutes',
    () => {
      const r = gatewayRollout();
      routing(r).managedRoutes = [{ name: 'header' }];
      return r;
    },
    'error spec.strategy.canary.steps[3].setMirrorRoute.name: "mirror" is not in spec.strategy.canary.trafficRouting.managedRoutes; add "- name: mirror" there, or use one of its names',
  ],
  [
    'setHeaderRoute without a name',
    () => {
      const r = gatewayRollout();
      steps(r)[5] = { setHeaderRoute: {} };
      return r;
    },
    'error spec.strategy.canary.steps[5].setHeaderRoute.name: is required; name the route, and list it under spec.strategy.canary.trafficRouting.managedRoutes',
  ],
  [
    'a header value with two kinds of match',
    () => {
      const r = gatewayRollout();
      steps(r)[2] = {
        setHeaderRoute: {
          name: 'header',
          match: [{ headerName: 'X', headerValue: { exact: 'a', regex: 'a.*' } }],
        },
      };
      return r;
    },
    'error spec.strategy.canary.steps[2].setHeaderRoute.match[0].headerValue: has exact and regex; give exactly one of exact, prefix or regex',
  ],
  [
    'a header value with no match',
    () => {
      const r = gatewayRollout();
      steps(r)[2] = {
        setHeaderRoute: { name: 'header', match: [{ headerName: 'X', headerValue: { exact: '' } }] },
      };
      return r;
    },
    'error spec.strategy.canary.steps[2].setHeaderRoute.match[0].headerValue: gives no value; give exactly one of exact, prefix or regex',
  ],
  [
    'a mirror path with two kinds of match',
    () => {
      const r = gatewayRollout();
      steps(r)[3] = { setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/a', exact: '/a' } }] } };
      return r;
    },
    'error spec.strategy.canary.steps[3].setMirrorRoute.match[0].path: has exact and prefix; give exactly one of exact, prefix or regex',
  ],
  [
    'a mirror method matched by prefix with the Gateway API plugin',
    () => {
      const r = gatewayRollout();
      steps(r)[3] = { setMirrorRoute: { name: 'mirror', match: [{ method: { prefix: 'G' } }] } };
      return r;
    },
    'error spec.strategy.canary.steps[3].setMirrorRoute.match[0].method: must be matched with "exact" with the Gateway API plugin',
  ],
  [
    'a mirror percentage above 100',
    () => {
      const r = gatewayRollout();
      steps(r)[3] = { setMirrorRoute: { name: 'mirror', percentage: 150 } };
      return r;
    },
    'error spec.strategy.canary.steps[3].setMirrorRoute.percentage: 150 is out of range; use 0..100',
  ],
  [
    'a header route no route takes',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { httpRoutes: [{ name: 'demo-route' }] };
      return r;
    },
    'warning spec.strategy.canary.steps[2].setHeaderRoute: changes no route: the Gateway API plugin adds it only to HTTPRoutes and GRPCRoutes named by httpRoute or grpcRoute, or listed under httpRoutes or grpcRoutes with "useHeaderRoutes: true"',
  ],
  [
    'a mirror route on gRPC routes only',
    () => {
      const r = gatewayRollout();
      gatewayConfig(r)[GATEWAY_API] = { grpcRoute: 'demo-route' };
      return r;
    },
    'warning spec.strategy.canary.steps[3].setMirrorRoute: changes no route: the Gateway API plugin adds it only to HTTPRoutes named by httpRoute',
  ],
  [
    'dynamicStableScale with scaleDownDelaySeconds (kept)',
    () => {
      const r = nginxRollout();
      Object.assign(canary(r), { dynamicStableScale: true, scaleDownDelaySeconds: 30 });
      return r;
    },
    'error spec.strategy.canary.dynamicStableScale: cannot be used with scaleDownDelaySeconds; remove one of them',
  ],
  [
    'minPodsPerReplicaSet without trafficRouting',
    () => {
      const r = rollout();
      canary(r).minPodsPerReplicaSet = 2;
      return r;
    },
    'warning spec.strategy.canary.minPodsPerReplicaSet: is ignored without trafficRouting',
  ],
];

describe('traffic routing findings', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(findings(make()).join('\n')).toContain(expected);
  });

  test('App Mesh is reported, and so is a step no router of the Rollout runs', () => {
    const r = routedRollout({ appMesh: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'h' }] });
    canary(r).steps = [{ setHeaderRoute: { name: 'h' } }];
    expect(findings(r)).toEqual([
      expect.stringMatching(
        /^error spec\.strategy\.canary\.steps\[0\]\.setHeaderRoute: needs a traffic router that runs it: /,
      ),
      expect.stringMatching(
        /^error spec\.strategy\.canary\.trafficRouting\.appMesh: The AWS App Mesh traffic router/,
      ),
    ]);
  });
});
