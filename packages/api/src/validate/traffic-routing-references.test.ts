import {
  GATEWAY_API,
  gatewayRollout,
  ingress,
  nginxRollout,
  route,
  routedRollout,
  service,
  smiRollout,
  trafficSplit,
} from '../testing/traffic-routing-objects';
import { at, type Obj } from '../testing/validate-objects';
import { checkReferences } from './references';

/** The reference findings of the first object (the Rollout), as `severity path: message`. */
function referenceFindings(...docs: Obj[]): string[] {
  return checkReferences(docs.map((doc, index) => ({ index, doc })))
    .filter((r) => r.index === 0)
    .map((r) => `${r.finding.severity} ${r.finding.path}: ${r.finding.message}`);
}

const services = [service('demo-canary'), service('demo-stable')];
const GW = `spec.strategy.canary.trafficRouting.plugins["${GATEWAY_API}"]`;
const withConfig = (config: Obj) => routedRollout({ plugins: { [GATEWAY_API]: config } });
const inNamespace = (doc: Obj, namespace: string) => {
  (doc.metadata as Obj).namespace = namespace;
  return doc;
};

type Case = [string, Obj[], unknown[]];

const cases: Case[] = [
  [
    'an HTTPRoute that splits between both Services in one rule',
    [gatewayRollout(), ...services, route('HTTPRoute', 'demo-route', ['demo-stable', 'demo-canary'])],
    [],
  ],
  [
    'a named route missing from the set',
    [gatewayRollout(), ...services],
    [
      `warning ${GW}.httpRoute: references HTTPRoute "demo-route", which is not among the files given; create it before the Rollout runs`,
    ],
  ],
  [
    'an HTTPRoute without the canary Service',
    [gatewayRollout(), ...services, route('HTTPRoute', 'demo-route', ['demo-stable'])],
    [
      `warning ${GW}.httpRoute: HTTPRoute "demo-route" cannot carry the canary split: no rule has a backendRef to the canaryService "demo-canary", so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares`,
    ],
  ],
  [
    'a GRPCRoute with neither Service, listed in grpcRoutes',
    [withConfig({ grpcRoutes: [{ name: 'g' }] }), ...services, route('GRPCRoute', 'g', ['other'])],
    [
      `warning ${GW}.grpcRoutes[0].name: GRPCRoute "g" cannot carry the canary split: no rule has a backendRef to the canaryService "demo-canary" or the stableService "demo-stable", so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares`,
    ],
  ],
  [
    'a TCPRoute with the two Services in different rules',
    [withConfig({ tcpRoute: 't' }), ...services, route('TCPRoute', 't', ['demo-canary'], ['demo-stable'])],
    [
      `warning ${GW}.tcpRoute: TCPRoute "t" cannot carry the canary split: its rules send to the canaryService "demo-canary" and the stableService "demo-stable" apart, never both from one rule, so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares`,
    ],
  ],
  [
    'a TLSRoute whose backendRef to the canary is not a Service',
    [
      withConfig({ tlsRoutes: [{ name: 'tls' }] }),
      ...services,
      (() => {
        const r = route('TLSRoute', 'tls', ['demo-stable', 'demo-canary']);
        const refs = at(r, 'spec').rules as { backendRefs: Obj[] }[];
        refs[0]!.backendRefs[1]!.kind = 'ServiceImport';
        return r;
      })(),
    ],
    [
      `warning ${GW}.tlsRoutes[0].name: TLSRoute "tls" cannot carry the canary split: no rule has a backendRef to the canaryService "demo-canary", so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares`,
    ],
  ],
  [
    'backendRefs in the group "core", as Linkerd\'s examples write them',
    [
      gatewayRollout(),
      ...services,
      (() => {
        const r = route('HTTPRoute', 'demo-route', ['demo-stable', 'demo-canary']);
        for (const ref of (at(r, 'spec').rules as { backendRefs: Obj[] }[])[0]!.backendRefs) {
          Object.assign(ref, { group: 'core', kind: 'Service' });
        }
        return r;
      })(),
    ],
    [],
  ],
  [
    "a route in the config's namespace, not the Rollout's",
    [
      inNamespace(withConfig({ httpRoute: 'r', namespace: 'routes' }), 'apps'),
      inNamespace(service('demo-canary'), 'apps'),
      inNamespace(service('demo-stable'), 'apps'),
      inNamespace(route('HTTPRoute', 'r', ['demo-stable', 'demo-canary']), 'routes'),
    ],
    [],
  ],
  [
    'a route of that name in another namespace only',
    [
      inNamespace(withConfig({ httpRoute: 'r' }), 'apps'),
      inNamespace(service('demo-canary'), 'apps'),
      inNamespace(service('demo-stable'), 'apps'),
      inNamespace(route('HTTPRoute', 'r', ['demo-stable', 'demo-canary']), 'routes'),
    ],
    [
      `warning ${GW}.httpRoute: references HTTPRoute "r", which is not among the files given; create it before the Rollout runs`,
    ],
  ],
  [
    'routes found by a selector are not looked for',
    [withConfig({ httpRouteSelector: { matchLabels: { app: 'demo' } } }), ...services],
    [],
  ],
  [
    'an nginx stable Ingress to the stableService',
    [nginxRollout(), ...services, ingress('demo-ingress', 'demo-stable')],
    [],
  ],
  [
    'a canary Ingress in the files that the Rollout does not control',
    [
      nginxRollout(),
      ...services,
      ingress('demo-ingress', 'demo-stable'),
      ingress('demo-demo-ingress-canary', 'demo-canary'),
    ],
    [
      'warning spec.strategy.canary.trafficRouting.nginx.stableIngress: Ingress "demo-demo-ingress-canary", the canary Ingress the controller makes from Ingress "demo-ingress", is among the files and not controlled by this Rollout, so the controller would refuse to write it (as Argo Rollouts does); remove it from the files (the controller creates it)',
    ],
  ],
  [
    'an nginx stable Ingress missing from the set',
    [nginxRollout(), ...services],
    [
      'warning spec.strategy.canary.trafficRouting.nginx.stableIngress: references Ingress "demo-ingress", which is not among the files given; create it before the Rollout runs',
    ],
  ],
  [
    'an nginx stable Ingress to another Service',
    [nginxRollout(), ...services, ingress('demo-ingress', 'demo-canary')],
    [
      'warning spec.strategy.canary.trafficRouting.nginx.stableIngress: Ingress "demo-ingress" has no rule whose backend is the stableService "demo-stable"; the canary Ingress is made from its rules, so the Rollout would be refused at run time (Argo Rollouts: "ingress has no rules using service backend"); send a path of it to the Service "demo-stable"',
    ],
  ],
  [
    'nginx stableIngresses, one missing and one an extensions/v1beta1 Ingress',
    [
      routedRollout({ nginx: { stableIngresses: ['a', 'b'] } }),
      ...services,
      {
        apiVersion: 'extensions/v1beta1',
        kind: 'Ingress',
        metadata: { name: 'a' },
        spec: {
          rules: [{ http: { paths: [{ backend: { serviceName: 'demo-stable', servicePort: 80 } }] } }],
        },
      },
    ],
    [
      'warning spec.strategy.canary.trafficRouting.nginx.stableIngresses[1]: references Ingress "b", which is not among the files given; create it before the Rollout runs',
    ],
  ],
  [
    'an smi TrafficSplit of the root Service',
    [smiRollout(), ...services, service('demo'), trafficSplit('demo-split', 'demo')],
    [],
  ],
  [
    'an smi TrafficSplit of another Service',
    [smiRollout(), ...services, service('demo'), trafficSplit('demo-split', 'demo-stable')],
    [
      'warning spec.strategy.canary.trafficRouting.smi.trafficSplitName: TrafficSplit "demo-split" splits the Service "demo-stable", but the controller writes this Rollout\'s root Service "demo" there (smi.rootService, default: the stableService); make them the same',
    ],
  ],
  [
    "smi defaults: the TrafficSplit is the Rollout's name, its root the stableService",
    [routedRollout({ smi: {} }), ...services, trafficSplit('demo', 'demo')],
    [
      'warning spec.strategy.canary.trafficRouting.smi: TrafficSplit "demo" splits the Service "demo", but the controller writes this Rollout\'s root Service "demo-stable" there (smi.rootService, default: the stableService); make them the same',
    ],
  ],
  [
    'smi defaults met, and no TrafficSplit is fine (the controller creates it)',
    [routedRollout({ smi: {} }), ...services, trafficSplit('demo', 'demo-stable')],
    [],
  ],
  [
    'an smi TrafficSplit in the files that the Rollout does not control',
    [smiRollout(), ...services, service('demo'), trafficSplit('demo-split', 'demo', null)],
    [
      'warning spec.strategy.canary.trafficRouting.smi.trafficSplitName: TrafficSplit "demo-split" is among the files and not controlled by this Rollout, so the controller would refuse to write it (Argo Rollouts: "Rollout does not own TrafficSplit"); remove it from the files (the controller creates it), or set trafficSplitName to another name',
    ],
  ],
  [
    'an smi TrafficSplit controlled by another Rollout',
    [smiRollout(), ...services, service('demo'), trafficSplit('demo-split', 'demo', 'other')],
    [
      expect.stringContaining(
        'TrafficSplit "demo-split" is among the files and not controlled by this Rollout',
      ),
    ],
  ],
  [
    'an smi rootService missing from the set',
    [smiRollout(), ...services],
    [
      'warning spec.strategy.canary.trafficRouting.smi.rootService: references Service "demo", which is not among the files given; create it before the Rollout runs',
    ],
  ],
];

describe('traffic-routing references', () => {
  test.each(cases)('%s', (_name, docs, expected) => {
    expect(referenceFindings(...docs)).toEqual(expected);
  });

  test('hostile shapes are read as nothing, never thrown on', () => {
    for (const bad of [
      null,
      'x',
      3,
      [],
      [null],
      { rules: 'x' },
      { rules: [{ backendRefs: [null, 'x', { name: 3 }] }] },
    ]) {
      const r = route('HTTPRoute', 'demo-route', []);
      r.spec = bad;
      expect(() =>
        referenceFindings(gatewayRollout(), ...services, r, { kind: 'Ingress', spec: bad }),
      ).not.toThrow();
    }
  });
});

describe('traffic-routing references of part 2', () => {
  const ROUTING = 'spec.strategy.canary.trafficRouting';
  const obj = (apiVersion: string, kind: string, name: string, spec: Obj = {}): Obj => ({
    apiVersion,
    kind,
    metadata: { name },
    spec,
  });
  const albRollout = (alb: Obj) => routedRollout({ alb: { servicePort: 80, ...alb } });
  const notAmong = (path: string, kind: string, name: string) =>
    `warning ${path}: references ${kind} "${name}", which is not among the files given; create it before the Rollout runs`;

  test.each<Case>([
    [
      'an ALB Ingress that routes to the stableService',
      [albRollout({ ingress: 'alb' }), ...services, ingress('alb', 'demo-stable')],
      [],
    ],
    [
      'an ALB Ingress that routes to the rootService',
      [albRollout({ ingress: 'alb', rootService: 'root' }), ...services, ingress('alb', 'root')],
      [],
    ],
    [
      'an ALB Ingress without a path to the rootService (Argo: "ingress has no rules using service backend")',
      [
        albRollout({ ingresses: ['a', 'b'], rootService: 'root' }),
        ...services,
        ingress('a', 'root'),
        ingress('b', 'demo-stable'),
      ],
      [
        `warning ${ROUTING}.alb.ingresses[1]: Ingress "b" has no rule whose backend is the rootService "root"; the controller writes the ALB forward action for that Service's path, so the Rollout would be refused at run time (Argo Rollouts: "ingress has no rules using service backend"); send a path of it to the Service "root" (with the port name use-annotation, as an ALB action needs)`,
      ],
    ],
    [
      'an ALB Ingress missing from the set',
      [albRollout({ ingress: 'alb' }), ...services],
      [notAmong(`${ROUTING}.alb.ingress`, 'Ingress', 'alb')],
    ],
    [
      'an Ambassador Mapping without a weight, and one with (Argo: "can not define weight")',
      [
        routedRollout({ ambassador: { mappings: ['a', 'b', 'c'] } }),
        ...services,
        obj('getambassador.io/v2', 'Mapping', 'a', { prefix: '/', service: 'demo-stable' }),
        obj('getambassador.io/v2', 'Mapping', 'b', { prefix: '/b', service: 'demo-stable', weight: 20 }),
      ],
      [
        `warning ${ROUTING}.ambassador.mappings[1]: Mapping "b" sets spec.weight (20), so the controller would refuse it (Argo Rollouts: "Ambassador mapping can not define weight"): the canary Mapping the controller adds beside it carries the canary's weight; remove spec.weight`,
        notAmong(`${ROUTING}.ambassador.mappings[2]`, 'Mapping', 'c'),
      ],
    ],
    [
      'Istio: a VirtualService by name.namespace, and a DestinationRule, in the set',
      [
        routedRollout({
          istio: {
            virtualServices: [{ name: 'vs.mesh' }, { name: 'local.cluster.local' }],
            destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
          },
        }),
        ...services,
        inNamespace(obj('networking.istio.io/v1beta1', 'VirtualService', 'vs'), 'mesh'),
        obj('networking.istio.io/v1beta1', 'DestinationRule', 'dr'),
      ],
      [notAmong(`${ROUTING}.istio.virtualServices[1].name`, 'VirtualService', 'local')],
    ],
    [
      'APISIX and Traefik objects missing from the set',
      [
        routedRollout({ apisix: { route: { name: 'r' } }, traefik: { weightedTraefikServiceName: 't' } }),
        ...services,
      ],
      [
        notAmong(`${ROUTING}.apisix.route.name`, 'ApisixRoute', 'r'),
        notAmong(`${ROUTING}.traefik.weightedTraefikServiceName`, 'TraefikService', 't'),
      ],
    ],
    [
      'ping-pong Services missing from the set (Argo reads them with the others)',
      [
        (() => {
          const r = routedRollout({ istio: { virtualService: { name: 'vs' } } });
          at(r, 'spec.strategy.canary').pingPong = { pingService: 'ping', pongService: 'pong' };
          return r;
        })(),
        ...services,
        service('ping'),
        obj('networking.istio.io/v1beta1', 'VirtualService', 'vs'),
      ],
      [
        'warning spec.strategy.canary.pingPong.pongService: references Service "pong", which is not among the files given; create it before the Rollout runs',
      ],
    ],
  ])('%s', (_name, docs, expected) => {
    expect(referenceFindings(...docs)).toEqual(expected);
  });
});
