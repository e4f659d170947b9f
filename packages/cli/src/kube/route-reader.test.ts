// Which routing objects a Rollout's spec names, and how they are read: one GET or one LIST per kind and
// namespace, the API version found once and remembered, and every failure a problem of its object; the
// part-2 routers' objects (Istio, ALB, Ambassador, Traefik, APISIX) and the resources and versions read.
import { KubeApiError, type KubeClient, type ResourceType } from '@ramp/kube';
import { routedRollout } from '../testing/routing';
import type { RolloutObj } from './model';
import { qualifiedName, ROUTE_RESOURCES } from './route-kinds';
import { type RouteObj, RouteReader } from './route-reader';
import { routersNotRun, routeTargets, splitServices, virtualServiceRef } from './routing-targets';
import type { Session } from './session';

const GATEWAY = 'argoproj-labs/gatewayAPI';

function withRouting(routing: Record<string, unknown>): RolloutObj {
  return routedRollout('web', 'gateway', routing);
}

interface Call {
  verb: 'get' | 'list';
  path: string;
  labelSelector?: string;
}

const notServed = () =>
  new KubeApiError(404, 'NotFound', 'the server could not find the requested resource', {
    kind: 'Status',
    code: 404,
  });
const notFound = (name: string) =>
  new KubeApiError(404, 'NotFound', `"${name}" not found`, { kind: 'Status', code: 404, details: { name } });

/** A client serving `objects` (by `group/version/plural/namespace/name`) at the versions in `served`. */
function fakeSession(
  objects: Record<string, RouteObj>,
  served: string[],
  fail?: (call: Call) => Error | undefined,
): { session: Session; calls: Call[] } {
  const calls: Call[] = [];
  const base = (res: ResourceType, ns?: string) => `${res.group}/${res.version}/${res.plural}/${ns}`;
  const check = (res: ResourceType, call: Call) => {
    calls.push(call);
    const failure = fail?.(call);
    if (failure) throw failure;
    if (!served.includes(`${res.group}/${res.version}/${res.plural}`)) throw notServed();
  };
  const client = {
    async get(res: ResourceType, name: string, ns?: string) {
      const path = `${base(res, ns)}/${name}`;
      check(res, { verb: 'get', path });
      const object = objects[path];
      if (!object) throw notFound(name);
      return object;
    },
    async list(res: ResourceType, opts: { namespace?: string; labelSelector?: string }) {
      const path = base(res, opts.namespace);
      check(res, {
        verb: 'list',
        path,
        ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
      });
      const items = Object.entries(objects)
        .filter(([key]) => key.startsWith(`${path}/`))
        .map(([, o]) => o);
      return { metadata: { resourceVersion: '1' }, items };
    },
  } as unknown as KubeClient;
  return {
    session: { client, namespace: 'default', context: 'c', server: 's', close: () => {} },
    calls,
  };
}

const route = (
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<RouteObj['metadata']> = {},
) => ({ metadata: { name, namespace: 'default', labels, ...extra }, spec: {} }) as RouteObj;

test('targets: the Gateway API routes named and selected, the canary Ingresses, the TrafficSplit', () => {
  const gateway = withRouting({
    plugins: {
      [GATEWAY]: {
        httpRoute: 'a',
        httpRoutes: [{ name: 'b' }, { name: 'a' }],
        grpcRouteSelector: { matchLabels: { app: 'web' } },
        tcpRoutes: [{ name: 't' }],
        namespace: 'gateways',
      },
    },
  });
  expect(routeTargets(gateway, 'default')).toEqual([
    { router: 'GatewayAPI', kind: 'HTTPRoute', namespace: 'gateways', name: 'b' },
    { router: 'GatewayAPI', kind: 'HTTPRoute', namespace: 'gateways', name: 'a' },
    {
      router: 'GatewayAPI',
      kind: 'GRPCRoute',
      namespace: 'gateways',
      selector: { matchLabels: { app: 'web' } },
    },
    { router: 'GatewayAPI', kind: 'TCPRoute', namespace: 'gateways', name: 't' },
  ]);
  const all = withRouting({
    nginx: { stableIngress: 'ignored', stableIngresses: ['one', 'two'] },
    smi: { trafficSplitName: 'split' },
  });
  all.metadata.namespace = 'shop';
  expect(routeTargets(all, 'default')).toEqual([
    { router: 'Nginx', kind: 'Ingress', namespace: 'shop', name: 'web-one-canary', stableIngress: 'one' },
    { router: 'Nginx', kind: 'Ingress', namespace: 'shop', name: 'web-two-canary', stableIngress: 'two' },
    { router: 'SMI', kind: 'TrafficSplit', namespace: 'shop', name: 'split' },
  ]);
  // Argo's name: cut to 253 characters before -canary
  const long = withRouting({ nginx: { stableIngress: 'x'.repeat(300) } });
  expect(routeTargets(long, 'default')[0]!.name).toHaveLength(253);
  expect(routeTargets(withRouting({ smi: {} }), 'default')[0]!.name).toBe('web');
  // the plugin's config is free-form: wrong shapes name nothing, and nothing throws
  const odd = withRouting({
    plugins: { [GATEWAY]: { httpRoutes: 'web', httpRoute: 7, grpcRouteSelector: 'app=web', namespace: 3 } },
    nginx: { stableIngresses: 'one' },
  });
  expect(routeTargets(odd, 'default')).toEqual([]);
  expect(
    routersNotRun(
      withRouting({
        alb: { servicePort: 80 },
        appMesh: { virtualService: { name: 'vs' } },
        plugins: { [GATEWAY]: {}, 'x/y': {} },
      }),
    ),
  ).toEqual(['appMesh', 'plugins["x/y"]']);
  const plain = withRouting({});
  plain.spec.strategy = { canary: {} };
  expect(routeTargets(plain, 'default')).toEqual([]);
});

test('one GET for a single named object; one LIST for several of a kind, or a selector', async () => {
  const objects = {
    'gateway.networking.k8s.io/v1/httproutes/default/a': route('a'),
    'gateway.networking.k8s.io/v1/httproutes/default/b': route('b', { app: 'web' }),
    'gateway.networking.k8s.io/v1/httproutes/default/c': route('c', { app: 'web' }),
    'gateway.networking.k8s.io/v1/httproutes/default/d': route(
      'd',
      { app: 'web' },
      { deletionTimestamp: 'x' },
    ),
    'gateway.networking.k8s.io/v1/grpcroutes/default/g': route('g', { app: 'web' }),
  };
  const { session, calls } = fakeSession(objects, [
    'gateway.networking.k8s.io/v1/httproutes',
    'gateway.networking.k8s.io/v1/grpcroutes',
  ]);
  const reader = new RouteReader(session);
  const single = await reader.read(withRouting({ plugins: { [GATEWAY]: { httpRoute: 'a' } } }));
  expect(single).toEqual([
    {
      target: expect.objectContaining({ name: 'a' }),
      object: objects[Object.keys(objects)[0] as keyof typeof objects],
    },
  ]);
  expect(calls).toEqual([{ verb: 'get', path: 'gateway.networking.k8s.io/v1/httproutes/default/a' }]);

  calls.length = 0;
  const several = await reader.read(
    withRouting({
      plugins: {
        [GATEWAY]: {
          httpRoutes: [{ name: 'b' }, { name: 'missing' }],
          httpRouteSelector: { matchLabels: { app: 'web' } },
          grpcRouteSelector: { matchLabels: { app: 'web' } },
        },
      },
    }),
  );
  expect(calls).toEqual([
    { verb: 'list', path: 'gateway.networking.k8s.io/v1/httproutes/default' },
    { verb: 'list', path: 'gateway.networking.k8s.io/v1/grpcroutes/default', labelSelector: 'app=web' },
  ]);
  expect(
    several.map((r) => [r.target.kind, r.target.name, 'object' in r ? 'found' : r.problem.reason]),
  ).toEqual([
    ['HTTPRoute', 'b', 'found'],
    ['HTTPRoute', 'missing', 'NotFound'],
    // the selector's routes: not the ones named, not one being deleted
    ['HTTPRoute', 'c', 'found'],
    ['GRPCRoute', 'g', 'found'],
  ]);

  calls.length = 0;
  const none = await reader.read(
    withRouting({ plugins: { [GATEWAY]: { tcpRouteSelector: { matchLabels: { a: 'b' } } } } }),
  );
  expect(none).toEqual([
    expect.objectContaining({
      problem: {
        reason: 'NotServed',
        verb: 'list',
        resource: 'tcproutes.gateway.networking.k8s.io',
        versions: ['v1', 'v1alpha2'],
      },
    }),
  ]);
  expect(calls.map((c) => c.path)).toEqual([
    'gateway.networking.k8s.io/v1/tcproutes/default',
    'gateway.networking.k8s.io/v1alpha2/tcproutes/default',
  ]);
});

test('the served version is found once (a TrafficSplit at v1alpha4), then asked for first', async () => {
  const split = route('web');
  const { session, calls } = fakeSession({ 'split.smi-spec.io/v1alpha4/trafficsplits/default/web': split }, [
    'split.smi-spec.io/v1alpha4/trafficsplits',
  ]);
  const reader = new RouteReader(session);
  const smi = withRouting({ smi: {} });
  expect(await reader.read(smi)).toEqual([
    { target: expect.objectContaining({ kind: 'TrafficSplit' }), object: split },
  ]);
  expect(calls.map((c) => c.path.split('/')[1])).toEqual(['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']);
  calls.length = 0;
  await reader.read(smi);
  await reader.read(smi);
  expect(calls.map((c) => c.path.split('/')[1])).toEqual(['v1alpha4', 'v1alpha4']);
});

test('403, a missing object, and any other failure: a problem of that object, never thrown', async () => {
  const routing = withRouting({
    plugins: { [GATEWAY]: { httpRoute: 'a', grpcRoute: 'g' } },
    nginx: { stableIngress: 'web-ingress' },
    smi: {},
  });
  const { session } = fakeSession(
    {},
    [
      'gateway.networking.k8s.io/v1/httproutes',
      'networking.k8s.io/v1/ingresses',
      'gateway.networking.k8s.io/v1/grpcroutes',
    ],
    (call) => {
      if (call.path.includes('/httproutes/'))
        return new KubeApiError(403, 'Forbidden', 'httproutes is forbidden', undefined);
      if (call.path.includes('/grpcroutes/')) return new Error('socket hang up');
      return undefined;
    },
  );
  const reads = await new RouteReader(session).read(routing);
  expect(reads.map((r) => ('problem' in r ? r.problem : undefined))).toEqual([
    { reason: 'Forbidden', verb: 'get', resource: 'httproutes.gateway.networking.k8s.io' },
    {
      reason: 'Unreadable',
      verb: 'get',
      resource: 'grpcroutes.gateway.networking.k8s.io',
      message: 'socket hang up',
    },
    { reason: 'NotFound', verb: 'get', resource: 'ingresses.networking.k8s.io' },
    {
      reason: 'NotServed',
      verb: 'get',
      resource: 'trafficsplits.split.smi-spec.io',
      versions: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
    },
  ]);
  // a selector that cannot be read: the whole kind is a problem, not a crash
  const bad = withRouting({ plugins: { [GATEWAY]: { httpRouteSelector: { matchExpressions: [null] } } } });
  const { session: s2 } = fakeSession({ 'gateway.networking.k8s.io/v1/httproutes/default/a': route('a') }, [
    'gateway.networking.k8s.io/v1/httproutes',
  ]);
  const [read] = await new RouteReader(s2).read(bad);
  expect(read).toMatchObject({ problem: { reason: 'Unreadable' } });
});

test('targets of the part-2 routers: VirtualServices (name.namespace), the DestinationRule, ALB Ingresses, canary Mappings, the TraefikService, the ApisixRoute', () => {
  const all = withRouting({
    istio: {
      virtualService: { name: 'ignored' },
      virtualServices: [
        { name: 'web-vsvc', routes: ['primary'], tlsRoutes: [{ port: 3000, sniHosts: ['web'] }] },
        { name: 'edge.gateways', tcpRoutes: [{ port: 5432 }] },
        { name: 'web-vsvc' },
      ],
      destinationRule: { name: 'web-destrule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    },
    alb: { ingress: 'ignored', ingresses: ['a', 'b', 'a'], servicePort: 80 },
    ambassador: { mappings: ['echo', 'm'.repeat(300)] },
    traefik: { weightedTraefikServiceName: 'web-traefik' },
    apisix: { route: { name: 'web-apisix', rules: ['r1'] } },
  });
  all.metadata.namespace = 'shop';
  const targets = routeTargets(all, 'default');
  expect(targets.map((t) => `${t.router} ${t.kind} ${t.namespace}/${t.name}`)).toEqual([
    'Istio VirtualService shop/web-vsvc',
    'Istio VirtualService gateways/edge',
    'Istio DestinationRule shop/web-destrule',
    'ALB Ingress shop/a',
    'ALB Ingress shop/b',
    'Ambassador Mapping shop/echo-canary',
    `Ambassador Mapping shop/${'m'.repeat(246)}-canary`,
    'Traefik TraefikService shop/web-traefik',
    'APISIX ApisixRoute shop/web-apisix',
  ]);
  expect(targets[0]!.istioRoutes).toEqual({
    http: ['primary'],
    tls: [{ port: 3000, sniHosts: ['web'] }],
    tcp: [],
  });
  expect(targets[1]!.istioRoutes).toEqual({ http: [], tls: [], tcp: [{ port: 5432 }] });
  expect(targets[2]!.subsets).toEqual({ canary: 'canary', stable: 'stable' });
  expect(targets[5]!.baseMapping).toBe('echo');
  expect(targets[8]!.apisixRules).toEqual(['r1']);
  // one VirtualService, ingress alone, the APISIX rule named as the route when rules are not given
  const one = routeTargets(
    withRouting({
      istio: { virtualService: { name: 'vs' } },
      alb: { ingress: 'i', servicePort: 80 },
      apisix: { route: { name: 'ap' } },
    }),
    'default',
  );
  expect(one.map((t) => [t.kind, t.name])).toEqual([
    ['VirtualService', 'vs'],
    ['Ingress', 'i'],
    ['ApisixRoute', 'ap'],
  ]);
  expect(one[2]!.apisixRules).toEqual(['ap']);
  // Argo's GetVirtualServiceNamespaceName: .cluster.local cut, the last part the namespace
  expect(virtualServiceRef('vs', 'default')).toEqual({ name: 'vs', namespace: 'default' });
  expect(virtualServiceRef('vs.team', 'default')).toEqual({ name: 'vs', namespace: 'team' });
  expect(virtualServiceRef('vs.team.cluster.local', 'default')).toEqual({ name: 'vs', namespace: 'team' });
  expect(virtualServiceRef('my.vs.team', 'default')).toEqual({ name: 'my.vs', namespace: 'team' });
  expect(virtualServiceRef('vs.', 'default')).toEqual({ name: 'vs', namespace: 'default' });
  // any shape: names nothing, never throws
  const odd = withRouting({
    istio: { virtualServices: [null, { name: 5 }, 'vs', { name: '' }], destinationRule: { name: ['x'] } },
    alb: { ingresses: 'a' },
    ambassador: { mappings: [1, null, ''] },
    traefik: { weightedTraefikServiceName: {} },
    apisix: { route: 'r' },
  });
  expect(routeTargets(odd, 'default')).toEqual([]);
  for (const router of ['istio', 'alb', 'ambassador', 'traefik', 'apisix']) {
    for (const value of [null, 'x', 7, [], [null], { name: null }]) {
      expect(() => routeTargets(withRouting({ [router]: value }), 'default')).not.toThrow();
    }
  }
});

test('ping-pong: the Services each router splits between', () => {
  const ro = withRouting({ istio: { virtualService: { name: 'vs' } }, alb: { ingress: 'i' } });
  ro.spec.strategy!.canary!.pingPong = { pingService: 'ping', pongService: 'pong' };
  // canaryService/stableService named: the routers but ALB use them; ALB the pair (unset: pong stable)
  expect(splitServices(ro, 'Istio')).toEqual({ canary: 'web-canary', stable: 'web-stable' });
  expect(splitServices(ro, 'ALB')).toEqual({ canary: 'ping', stable: 'pong' });
  ro.status = { canary: { stablePingPong: 'ping' } };
  expect(splitServices(ro, 'ALB')).toEqual({ canary: 'pong', stable: 'ping' });
  delete ro.spec.strategy!.canary!.canaryService;
  delete ro.spec.strategy!.canary!.stableService;
  expect(splitServices(ro, 'Istio')).toEqual({ canary: 'pong', stable: 'ping' });
  ro.spec.strategy!.canary!.pingPong = 'x' as never;
  expect(splitServices(ro, 'ALB')).toEqual({ canary: '', stable: '' });
});

test('the resources read, and the versions tried in order (the RBAC `get rollout` needs)', () => {
  expect(
    Object.fromEntries(
      Object.entries(ROUTE_RESOURCES).map(([kind, resources]) => [
        kind,
        `${qualifiedName(resources[0]!)} ${resources.map((r) => `${r.group}/${r.version}`).join(',')}`,
      ]),
    ),
  ).toEqual({
    HTTPRoute: 'httproutes.gateway.networking.k8s.io gateway.networking.k8s.io/v1',
    GRPCRoute: 'grpcroutes.gateway.networking.k8s.io gateway.networking.k8s.io/v1',
    TCPRoute:
      'tcproutes.gateway.networking.k8s.io gateway.networking.k8s.io/v1,gateway.networking.k8s.io/v1alpha2',
    TLSRoute:
      'tlsroutes.gateway.networking.k8s.io gateway.networking.k8s.io/v1,gateway.networking.k8s.io/v1alpha2',
    Ingress: 'ingresses.networking.k8s.io networking.k8s.io/v1',
    TrafficSplit:
      'trafficsplits.split.smi-spec.io split.smi-spec.io/v1alpha1,split.smi-spec.io/v1alpha2,split.smi-spec.io/v1alpha3,split.smi-spec.io/v1alpha4',
    VirtualService:
      'virtualservices.networking.istio.io networking.istio.io/v1alpha3,networking.istio.io/v1beta1,networking.istio.io/v1',
    DestinationRule:
      'destinationrules.networking.istio.io networking.istio.io/v1alpha3,networking.istio.io/v1beta1,networking.istio.io/v1',
    ApisixRoute: 'apisixroutes.apisix.apache.org apisix.apache.org/v2,apisix.apache.org/v2beta3',
    // traefik.io (Argo's default), then the group Traefik used before v3
    TraefikService: 'traefikservices.traefik.io traefik.io/v1alpha1,traefik.containo.us/v1alpha1',
    Mapping: 'mappings.getambassador.io getambassador.io/v2,getambassador.io/v3alpha1',
  });
});

test('part-2 objects read at the version served: Istio v1, traefik.containo.us, Emissary v3alpha1; the rest NotFound or NotServed', async () => {
  const notServedAt = fakeSession({}, []);
  const [traefik] = await new RouteReader(notServedAt.session).read(
    withRouting({ traefik: { weightedTraefikServiceName: 't' } }),
  );
  expect(traefik).toMatchObject({
    problem: {
      reason: 'NotServed',
      resource: 'traefikservices.traefik.io',
      versions: ['v1alpha1', 'traefik.containo.us/v1alpha1'],
    },
  });

  const at = (path: string, name: string) => ({ [`${path}/${name}`]: route(name) });
  const objects = {
    ...at('networking.istio.io/v1/virtualservices/default', 'web-vsvc'),
    ...at('networking.istio.io/v1/destinationrules/default', 'web-destrule'),
    ...at('networking.k8s.io/v1/ingresses/default', 'a'),
    ...at('traefik.containo.us/v1alpha1/traefikservices/default', 'web-traefik'),
    ...at('getambassador.io/v3alpha1/mappings/default', 'echo-canary'),
  };
  const { session, calls } = fakeSession(objects, [
    'networking.istio.io/v1/virtualservices',
    'networking.istio.io/v1/destinationrules',
    'networking.k8s.io/v1/ingresses',
    'traefik.containo.us/v1alpha1/traefikservices',
    'getambassador.io/v3alpha1/mappings',
  ]);
  const reads = await new RouteReader(session).read(
    withRouting({
      istio: {
        virtualService: { name: 'web-vsvc' },
        destinationRule: { name: 'web-destrule', canarySubsetName: 'c', stableSubsetName: 's' },
      },
      nginx: { stableIngress: 'web-ingress' },
      alb: { ingresses: ['a'], servicePort: 80 },
      ambassador: { mappings: ['echo'] },
      traefik: { weightedTraefikServiceName: 'web-traefik' },
      apisix: { route: { name: 'web-apisix' } },
    }),
  );
  expect(
    reads.map((r) => [r.target.kind, r.target.name, 'object' in r ? 'found' : r.problem.reason]),
  ).toEqual([
    ['VirtualService', 'web-vsvc', 'found'],
    ['DestinationRule', 'web-destrule', 'found'],
    ['Ingress', 'web-web-ingress-canary', 'NotFound'],
    ['Ingress', 'a', 'found'],
    ['Mapping', 'echo-canary', 'found'],
    ['TraefikService', 'web-traefik', 'found'],
    ['ApisixRoute', 'web-apisix', 'NotServed'],
  ]);
  // the nginx canary Ingress and the ALB Ingress share one LIST; the others one GET each, per version tried
  expect(calls.filter((c) => c.path.includes('/ingresses/'))).toEqual([
    { verb: 'list', path: 'networking.k8s.io/v1/ingresses/default' },
  ]);
  expect(calls.filter((c) => c.path.includes('virtualservices')).map((c) => c.path)).toEqual([
    'networking.istio.io/v1alpha3/virtualservices/default/web-vsvc',
    'networking.istio.io/v1beta1/virtualservices/default/web-vsvc',
    'networking.istio.io/v1/virtualservices/default/web-vsvc',
  ]);
  expect(reads.at(-1)).toMatchObject({
    problem: { resource: 'apisixroutes.apisix.apache.org', versions: ['v2', 'v2beta3'] },
  });
});
