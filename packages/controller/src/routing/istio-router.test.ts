// The Istio router's reads and plans, from the VirtualServices, DestinationRules and Rollouts of
// Argo's e2e fixtures and examples as users write them (read from the compatibility corpus), then
// from hand-written objects for what the fixtures do not show: TCP routes, several VirtualServices,
// additional subsets, ports, the order of the writes, and every problem a person's YAML can cause.
import { join } from 'node:path';
import type { Rollout } from '@ramp/api';
import { COMPAT_CORPUS, COMPAT_CORPUS_PRESENT, corpusDocuments } from '@ramp/api/testing';
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import { IstioRouter, type IstioSetup, virtualServiceKey } from './istio-router';
import type { ManagedRoute, RouteIntent, RouteObject, RouterPlan, RouteWrite } from './router';
import { routersFor } from './routers';

type Json = Record<string, unknown>;

const intent = (weight: number, more: Partial<RouteIntent> = {}): RouteIntent => ({
  weight,
  maxWeight: 100,
  managedRoutes: [],
  managedNames: [],
  ...more,
});

function writesOf(plan: RouterPlan): RouteWrite[] {
  if (!('writes' in plan)) throw new Error(`a problem: ${JSON.stringify(plan.problem)}`);
  return plan.writes;
}

/** Plans, applies the writes in order, and returns them. */
function step(objects: FakeRouteObjects, router: IstioRouter, wanted: RouteIntent): RouteWrite[] {
  const writes = writesOf(router.plan(objects, wanted));
  for (const write of writes) objects.apply(write);
  return writes;
}

const routes = (o: RouteObject | undefined, kind = 'http') =>
  ((o?.spec as Json | undefined)?.[kind] as Json[] | undefined) ?? [];

/** A route's destinations as `host[/subset]=weight`. */
const split = (route: Json | undefined) =>
  ((route?.route as Json[]) ?? []).map((d) => {
    const dest = d.destination as Json;
    return `${dest.host}${dest.subset ? `/${dest.subset}` : ''}=${d.weight ?? '-'}`;
  });

const vsOf = (objects: FakeRouteObjects, name: string, namespace = 'default') =>
  objects.get('virtualservices', namespace, name);

/** The objects of a corpus file, and the Istio router its Rollout gets (through routersFor). */
function fixture(file: string, status?: Json) {
  const objects = new FakeRouteObjects();
  let rollout: Json | undefined;
  for (const doc of corpusDocuments(join(COMPAT_CORPUS, file))) {
    const value = doc.value;
    if (value?.kind === 'VirtualService') objects.put('virtualservices', value as unknown as RouteObject);
    if (value?.kind === 'DestinationRule') objects.put('destinationrules', value as unknown as RouteObject);
    if (value?.kind === 'Rollout') rollout = value;
  }
  if (!rollout) throw new Error(`no Rollout in ${file}`);
  (rollout.metadata as Json).namespace ??= 'default';
  if (status) rollout.status = status;
  const router = routersFor(rollout as unknown as Rollout).find((r) => r.type === 'Istio');
  if (!(router instanceof IstioRouter)) throw new Error(`no Istio router for ${file}`);
  return { objects, router };
}

const header = (name: string, headerName: string, value: Json): ManagedRoute =>
  ({ type: 'header', name, match: [{ headerName, headerValue: value }] }) as ManagedRoute;

if (!COMPAT_CORPUS_PRESENT) console.warn(`compatibility corpus not found at ${COMPAT_CORPUS}: skipped`);
const corpus = COMPAT_CORPUS_PRESENT ? describe : describe.skip;

corpus('host-level split (test/e2e/istio)', () => {
  test('istio-host-split: the named route weighted, read back, then nothing left to write', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-host-split.yaml');
    expect(router.watches()).toEqual([
      { resource: 'virtualservices', namespace: 'default', name: 'istio-host-split-vsvc' },
    ]);
    expect(router.read(objects)).toEqual({ weight: 0 });
    expect(writesOf(router.plan(objects, intent(0)))).toEqual([]);
    const writes = step(objects, router, intent(10));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      action: 'update',
      resource: 'virtualservices',
      message: 'VirtualService default/istio-host-split-vsvc: canary weight 10, stable 90',
      event: {
        reason: 'Updated VirtualService',
        message: "VirtualService `istio-host-split-vsvc` set to desiredWeight '10'",
      },
    });
    const vs = vsOf(objects, 'istio-host-split-vsvc');
    expect(split(routes(vs)[0])).toEqual(['istio-host-split-stable=90', 'istio-host-split-canary=10']);
    expect(vs?.spec).toMatchObject({ hosts: ['istio-host-split'] });
    expect(router.read(objects)).toEqual({ weight: 10 });
    expect(writesOf(router.plan(objects, intent(10)))).toEqual([]);
  });

  test('istio-host-http-tls-split: the HTTP route and the TLS route of port 3000 and its SNI host', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-host-http-tls-split.yaml');
    step(objects, router, intent(30));
    const vs = vsOf(objects, 'istio-host-split-vsvc');
    expect(split(routes(vs)[0])).toEqual(['istio-host-split-stable=70', 'istio-host-split-canary=30']);
    expect(split(routes(vs, 'tls')[0])).toEqual(['istio-host-split-stable=70', 'istio-host-split-canary=30']);
    expect(router.read(objects)).toEqual({ weight: 30 });
  });

  test('istio-host-only-tls-split: routes names "primary" but there is no spec.http (skipped, as Argo does)', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-host-only-tls-split.yaml');
    expect(router.read(objects)).toEqual({ weight: 0 });
    step(objects, router, intent(10));
    const vs = vsOf(objects, 'istio-host-split-tls-vsvc');
    expect(split(routes(vs, 'tls')[0])).toEqual([
      'istio-host-split-tls-stable=90',
      'istio-host-split-tls-canary=10',
    ]);
    expect(vs?.spec).not.toHaveProperty('http');
  });

  test('istio-host-split-ping-pong: the Service status.canary.stablePingPong names is the stable', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-host-split-ping-pong.yaml', {
      canary: { stablePingPong: 'ping' },
    });
    expect(router.read(objects)).toEqual({ weight: 0 });
    step(objects, router, intent(25));
    expect(split(routes(vsOf(objects, 'istio-host-split-vsvc'))[0])).toEqual(['ping=75', 'pong=25']);
    // the roles swap at the promotion: pong is the stable, ping (at 75) the canary
    const swapped = fixture('test/e2e/istio/istio-host-split-ping-pong.yaml', {
      canary: { stablePingPong: 'pong' },
    });
    expect(swapped.router.read(objects)).toEqual({ weight: 75 });
  });
});

corpus('subset-level split (test/e2e/istio, examples/istio)', () => {
  const DR = 'istio-subset-split-destrule';
  const hashes = (o: RouteObject | undefined) =>
    (((o?.spec as Json | undefined)?.subsets as Json[] | undefined) ?? []).map(
      (s) => `${s.name}=${(s.labels as Json | undefined)?.['rollouts-pod-template-hash'] ?? '-'}`,
    );
  const order = (writes: RouteWrite[]) => writes.map((w) => w.resource);

  test('a whole update: the subsets relabelled, the DestinationRule before or after the VirtualService', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-subset-split.yaml');
    expect(router.watches()).toEqual([
      { resource: 'virtualservices', namespace: 'default', name: 'istio-subset-split-vsvc' },
      { resource: 'destinationrules', namespace: 'default', name: DR },
    ]);
    expect(router.read(objects)).toEqual({ weight: 0 });

    // the first deploy: both subsets select v1; the VirtualService is as written
    const first = step(objects, router, intent(0, { canaryHash: 'v1', stableHash: 'v1' }));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      action: 'update',
      resource: 'destinationrules',
      event: {
        reason: 'UpdatedDestinationRule',
        message: `DestinationRule ${DR} subset updated (canary: v1, stable: v1)`,
      },
    });
    const rule = objects.get('destinationrules', 'default', DR);
    expect(rule?.metadata.annotations).toEqual({
      'argo-rollouts.argoproj.io/managed-by-rollouts': 'istio-subset-split',
    });
    expect((rule?.spec as Json | undefined)?.subsets).toEqual([
      { name: 'stable', labels: { app: 'istio-subset-split', 'rollouts-pod-template-hash': 'v1' } },
      { name: 'canary', labels: { app: 'istio-subset-split', 'rollouts-pod-template-hash': 'v1' } },
    ]);

    // setWeight 10 on v2: the canary subset selects v2 before it gets traffic
    const raise = step(objects, router, intent(10, { canaryHash: 'v2', stableHash: 'v1' }));
    expect(order(raise)).toEqual(['destinationrules', 'virtualservices']);
    expect(split(routes(vsOf(objects, 'istio-subset-split-vsvc'))[0])).toEqual([
      'istio-subset-split/stable=90',
      'istio-subset-split/canary=10',
    ]);
    expect(router.read(objects)).toEqual({ weight: 10 });

    // v3 applied mid-rollout, its pods not up: the traffic leaves the canary subset first
    const lower = step(objects, router, intent(0, { canaryHash: 'v3', stableHash: 'v1' }));
    expect(order(lower)).toEqual(['virtualservices', 'destinationrules']);
    expect(hashes(objects.get('destinationrules', 'default', DR))).toEqual(['stable=v1', 'canary=v3']);

    // v3 up, then fully promoted: both subsets select v3 before the stable gets the traffic back
    step(objects, router, intent(100, { canaryHash: 'v3', stableHash: 'v1' }));
    const promoted = step(objects, router, intent(0, { canaryHash: 'v3', stableHash: 'v3' }));
    expect(order(promoted)).toEqual(['destinationrules', 'virtualservices']);
    expect(hashes(objects.get('destinationrules', 'default', DR))).toEqual(['stable=v3', 'canary=v3']);
    expect(writesOf(router.plan(objects, intent(0, { canaryHash: 'v3', stableHash: 'v3' })))).toEqual([]);
  });

  test('an abort: the weight off the canary subset, then the subset back on the stable pods', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-subset-split.yaml');
    step(objects, router, intent(40, { canaryHash: 'v2', stableHash: 'v1' }));
    const abort = step(objects, router, intent(0, { canaryHash: 'v1', stableHash: 'v1' }));
    expect(order(abort)).toEqual(['virtualservices', 'destinationrules']);
  });

  test('lowered to a weight above 0 while the canary subset moves: relabelled first (the weight says its pods are up)', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-subset-split.yaml');
    step(objects, router, intent(40, { canaryHash: 'v2', stableHash: 'v1' }));
    const lower = step(objects, router, intent(20, { canaryHash: 'v3', stableHash: 'v1' }));
    expect(order(lower)).toEqual(['destinationrules', 'virtualservices']);
  });

  test('no hash: the label is removed (the subset keeps its other labels)', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-subset-split.yaml');
    step(objects, router, intent(0, { canaryHash: 'v1', stableHash: 'v1' }));
    step(objects, router, intent(0, { stableHash: 'v1' }));
    expect(hashes(objects.get('destinationrules', 'default', DR))).toEqual(['stable=v1', 'canary=-']);
  });

  test('istio-subset-split-single-route: the only, unnamed, HTTP route carries the split', () => {
    const { objects, router } = fixture('test/e2e/istio/istio-subset-split-single-route.yaml');
    step(objects, router, intent(20, { canaryHash: 'v2', stableHash: 'v1' }));
    expect(split(routes(vsOf(objects, 'istio-subset-split-single-route-vsvc'))[0])).toEqual([
      'istio-subset-split-single-route/stable=80',
      'istio-subset-split-single-route/canary=20',
    ]);
  });

  test('examples/istio/istio-subset-split.yaml as written: weight 0, and without hashes only the managed-by annotation to add', () => {
    const { objects, router } = fixture('examples/istio/istio-subset-split.yaml');
    expect(router.read(objects)).toEqual({ weight: 0 });
    const writes = writesOf(router.plan(objects, intent(0)));
    // only the managed-by annotation is new
    expect(order(writes)).toEqual(['destinationrules']);
    expect(writes[0]?.action === 'update' && writes[0].object.spec).toEqual(
      objects.get('destinationrules', 'default', 'istio-subset-split-destrule')?.spec,
    );
  });
});

corpus('header routes (test/e2e/header-routing/istio-hr-host.yaml)', () => {
  test('set at 20, changed, removed at 40: on top of the HTTP routes, in the events Argo records', () => {
    const { objects, router } = fixture('test/e2e/header-routing/istio-hr-host.yaml');
    const names = ['set-header-1'];
    expect(router.read(objects)).toEqual({ weight: 20 });
    const firefox = header('set-header-1', 'agent', { regex: 'firefox(.*)' });
    const set = step(objects, router, intent(20, { managedRoutes: [firefox], managedNames: names }));
    expect(set[0]?.event).toEqual({
      reason: 'Updated VirtualService',
      message: "VirtualService `rollouts-demo-vsvc` set headerRoute 'set-header-1'",
    });
    let http = routes(vsOf(objects, 'rollouts-demo-vsvc'));
    expect(http.map((r) => r.name)).toEqual(['set-header-1', 'primary']);
    expect(http[0]).toEqual({
      name: 'set-header-1',
      match: [{ headers: { agent: { regex: 'firefox(.*)' } } }],
      route: [{ destination: { host: 'canary-service' }, weight: 100 }],
    });
    expect(router.read(objects)).toEqual({ weight: 20 });
    expect(
      writesOf(router.plan(objects, intent(20, { managedRoutes: [firefox], managedNames: names }))),
    ).toEqual([]);

    const chrome = header('set-header-1', 'agent', { regex: 'chrome(.*)' });
    step(objects, router, intent(20, { managedRoutes: [chrome], managedNames: names }));
    http = routes(vsOf(objects, 'rollouts-demo-vsvc'));
    expect(http[0]?.match).toEqual([{ headers: { agent: { regex: 'chrome(.*)' } } }]);

    const removed = step(objects, router, intent(40, { managedNames: names }));
    expect(removed[0]?.event?.message).toBe("VirtualService `rollouts-demo-vsvc` set to desiredWeight '40'");
    http = routes(vsOf(objects, 'rollouts-demo-vsvc'));
    expect(http.map((r) => r.name)).toEqual(['primary']);
    expect(split(http[0])).toEqual(['stable-service=60', 'canary-service=40']);
  });

  test('removed with the weight unchanged: "removed all managed routes."', () => {
    const { objects, router } = fixture('test/e2e/header-routing/istio-hr-host.yaml');
    const names = ['set-header-1'];
    const route = header('set-header-1', 'agent', { exact: 'x' });
    step(objects, router, intent(20, { managedRoutes: [route], managedNames: names }));
    const removed = step(objects, router, intent(20, { managedNames: names }));
    expect(removed[0]?.event?.message).toBe(
      'VirtualService `rollouts-demo-vsvc` removed all managed routes.',
    );
  });
});

corpus('mirror routes (test/e2e/mirror-route, examples/istio/istio-mirror.yaml)', () => {
  const mirror = (name: string, percentage: number, match: Json[]): ManagedRoute =>
    ({ type: 'mirror', name, percentage, match }) as ManagedRoute;
  const names = ['mirror-route-1', 'mirror-route-2'];
  const one = mirror('mirror-route-1', 100, [{ path: { prefix: '/' } }]);
  const two = mirror('mirror-route-2', 80, [{ path: { prefix: '/' }, method: { exact: 'GET' } }]);

  test('added in managedRoutes order, their weights following the split, then one removed', () => {
    const { objects, router } = fixture('test/e2e/mirror-route/istio-mirror-host.yaml');
    step(objects, router, intent(20, { managedRoutes: [one], managedNames: names }));
    step(objects, router, intent(20, { managedRoutes: [one, two], managedNames: names }));
    let http = routes(vsOf(objects, 'rollouts-demo-vsvc'));
    expect(http.map((r) => r.name)).toEqual(['mirror-route-1', 'mirror-route-2', 'primary']);
    expect(http[1]).toEqual({
      name: 'mirror-route-2',
      match: [{ method: { exact: 'GET' }, uri: { prefix: '/' } }],
      route: [
        { destination: { host: 'stable-service' }, weight: 80 },
        { destination: { host: 'canary-service' }, weight: 20 },
      ],
      mirror: { host: 'canary-service' },
      mirrorPercentage: { value: 80 },
    });

    step(objects, router, intent(40, { managedRoutes: [one, two], managedNames: names }));
    http = routes(vsOf(objects, 'rollouts-demo-vsvc'));
    expect(http.map(split)).toEqual([
      ['stable-service=60', 'canary-service=40'],
      ['stable-service=60', 'canary-service=40'],
      ['stable-service=60', 'canary-service=40'],
    ]);
    expect(router.read(objects)).toEqual({ weight: 40 });

    const removed = step(objects, router, intent(40, { managedRoutes: [two], managedNames: names }));
    expect(removed[0]?.event?.message).toBe(
      "VirtualService `rollouts-demo-vsvc` set mirrorRoute 'mirror-route-1'",
    );
    expect(routes(vsOf(objects, 'rollouts-demo-vsvc')).map((r) => r.name)).toEqual([
      'mirror-route-2',
      'primary',
    ]);
  });

  test('examples/istio/istio-mirror.yaml: POST /color mirrored at 50%', () => {
    const { objects, router } = fixture('examples/istio/istio-mirror.yaml');
    const route = mirror('mirror-route', 50, [{ method: { exact: 'POST' }, path: { prefix: '/color' } }]);
    step(objects, router, intent(0, { managedRoutes: [route], managedNames: ['mirror-route'] }));
    const http = routes(vsOf(objects, 'istio-host-split-vsvc'));
    expect(http[0]).toMatchObject({
      name: 'mirror-route',
      match: [{ method: { exact: 'POST' }, uri: { prefix: '/color' } }],
      mirror: { host: 'istio-host-split-canary' },
      mirrorPercentage: { value: 50 },
    });
    expect(split(http[0])).toEqual(['istio-host-split-stable=100', 'istio-host-split-canary=0']);
  });
});

// Hand-written objects, in the shapes of Argo's istio_test.go.

const ROLLOUT = { name: 'web', namespace: 'default', uid: 'rollout-uid' };
const PATH = 'spec.strategy.canary.trafficRouting.istio';

function router(config: IstioSetup['config'], more: Partial<IstioSetup> = {}) {
  return new IstioRouter({
    rollout: ROLLOUT,
    config,
    services: { canary: 'canary', stable: 'stable' },
    maxWeight: 100,
    configPath: PATH,
    ...more,
  });
}

const to = (host: string, weight?: number, more: Json = {}) => ({
  destination: { host, ...more },
  ...(weight !== undefined ? { weight } : {}),
});

function virtualService(name: string, spec: unknown, namespace = 'default'): RouteObject {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec,
  };
}

const hostSplit = (name?: string, more: Json = {}) => ({
  ...(name ? { name } : {}),
  route: [to('stable', 100), to('canary', 0)],
  ...more,
});

const withObjects = (...services: RouteObject[]) => {
  const objects = new FakeRouteObjects();
  for (const s of services) objects.put('virtualservices', s);
  return objects;
};

describe('routes and destinations', () => {
  test('TCP routes matched by port; the other port left alone', () => {
    const tcp = (port: number) => ({ match: [{ port }], ...hostSplit() });
    const objects = withObjects(virtualService('vsvc', { tcp: [tcp(3000), tcp(3001)] }));
    const r = router({ virtualService: { name: 'vsvc', tcpRoutes: [{ port: 3000 }] } });
    step(objects, r, intent(10));
    expect(routes(vsOf(objects, 'vsvc'), 'tcp').map(split)).toEqual([
      ['stable=90', 'canary=10'],
      ['stable=100', 'canary=0'],
    ]);
  });

  test('TLS routes: the SNI hosts of all matches, in any order; a route matching two ports never matches', () => {
    const tls = (match: Json[]) => ({ match, ...hostSplit() });
    const objects = withObjects(
      virtualService('vsvc', {
        tls: [
          tls([
            { port: 443, sniHosts: ['a.example'] },
            { port: 443, sniHosts: ['b.example'] },
          ]),
          tls([{ port: 443, sniHosts: ['a.example', 'b.example'] }, { port: 8443 }]),
        ],
      }),
    );
    const r = router({
      virtualService: { name: 'vsvc', tlsRoutes: [{ port: 443, sniHosts: ['b.example', 'a.example'] }] },
    });
    step(objects, r, intent(50));
    expect(routes(vsOf(objects, 'vsvc'), 'tls').map(split)).toEqual([
      ['stable=50', 'canary=50'],
      ['stable=100', 'canary=0'],
    ]);
  });

  test('several VirtualServices, one in another namespace (name.namespace); read disagrees until both are set', () => {
    const objects = withObjects(
      virtualService('a', { http: [hostSplit('primary')] }),
      virtualService('b', { http: [hostSplit()] }, 'edge'),
    );
    const r = router({ virtualServices: [{ name: 'a', routes: ['primary'] }, { name: 'b.edge' }] });
    expect(r.watches()).toEqual([
      { resource: 'virtualservices', namespace: 'default', name: 'a' },
      { resource: 'virtualservices', namespace: 'edge', name: 'b' },
    ]);
    const writes = step(objects, r, intent(10));
    expect(writes.map((w) => w.message)).toEqual([
      'VirtualService default/a: canary weight 10, stable 90',
      'VirtualService edge/b: canary weight 10, stable 90',
    ]);
    expect(r.read(objects)).toEqual({ weight: 10 });
    const b = vsOf(objects, 'b', 'edge')!;
    objects.put('virtualservices', { ...b, spec: { http: [hostSplit()] } });
    expect(r.read(objects)).toEqual({ weight: undefined });
  });

  test('hosts by FQDN name the Service (up to the first dot, as Argo reads them)', () => {
    const objects = withObjects(
      virtualService('vsvc', {
        http: [
          { route: [to('stable.default.svc.cluster.local', 100), to('canary.default.svc.cluster.local', 0)] },
        ],
      }),
    );
    step(objects, router({ virtualService: { name: 'vsvc' } }), intent(30));
    expect(split(routes(vsOf(objects, 'vsvc'))[0])).toEqual([
      'stable.default.svc.cluster.local=70',
      'canary.default.svc.cluster.local=30',
    ]);
  });

  test('additional subsets keep their weight and the stable gets the rest (TestHttpReconcileMultipleDestRule)', () => {
    const objects = withObjects(
      virtualService('vsvc', {
        http: [
          {
            route: [
              to('rollout-service', 80, { subset: 'stable' }),
              to('rollout-service', 0, { subset: 'canary' }),
              to('additional-service', 20, { subset: 'stable-subset' }),
            ],
          },
        ],
      }),
    );
    objects.put('destinationrules', destinationRule());
    const r = router(
      {
        virtualService: { name: 'vsvc' },
        destinationRule: {
          name: 'rule',
          canarySubsetName: 'canary',
          stableSubsetName: 'stable',
          additionalSubsetNames: ['stable-subset'],
        },
      },
      { services: { canary: '', stable: '' } },
    );
    expect(r.read(objects)).toEqual({ weight: 0 });
    step(objects, r, intent(10, { canaryHash: 'v2', stableHash: 'v1' }));
    expect(split(routes(vsOf(objects, 'vsvc'))[0])).toEqual([
      'rollout-service/stable=70',
      'rollout-service/canary=10',
      'additional-service/stable-subset=20',
    ]);
    expect(r.read(objects)).toEqual({ weight: 10 });
    expect(r.plan(objects, intent(90, { canaryHash: 'v2', stableHash: 'v1' }))).toEqual({
      problem: {
        object: 'VirtualService default/vsvc',
        field: 'spec.http[0].route',
        message: expect.stringContaining('gives the additional subsets 20 of 100'),
      },
    });
  });

  test('other hosts: dropped when they carry weight (Argo removes them), kept at weight 0', () => {
    const objects = withObjects(
      virtualService('vsvc', {
        http: [{ route: [to('stable', 80), to('canary', 0), to('old-experiment', 20), to('idle', 0)] }],
      }),
    );
    step(objects, router({ virtualService: { name: 'vsvc' } }), intent(10));
    expect(split(routes(vsOf(objects, 'vsvc'))[0])).toEqual(['stable=90', 'canary=10', 'idle=0']);
  });

  test('the port of the weighted route goes to the header and mirror routes; the other fields stay', () => {
    const port = { port: { number: 8443 } };
    const objects = withObjects(
      virtualService('vsvc', {
        http: [
          {
            name: 'primary',
            retries: { attempts: 3 },
            route: [to('stable', 100, port), to('canary', 0, port)],
          },
          { name: 'secondary', corsPolicy: { allowOrigins: [{ exact: '*' }] }, ...hostSplit() },
        ],
      }),
    );
    const managed: ManagedRoute[] = [
      { type: 'mirror', name: 'm', match: [{ headers: { 'x-shadow': { exact: '1' } } }] },
      { type: 'header', name: 'h', match: [{ headerName: 'x-canary', headerValue: { prefix: 'yes' } }] },
    ];
    const r = router({ virtualService: { name: 'vsvc', routes: ['primary'] } });
    step(objects, r, intent(10, { managedRoutes: managed, managedNames: ['h', 'm'] }));
    const http = routes(vsOf(objects, 'vsvc'));
    expect(http.map((x) => x.name)).toEqual(['m', 'h', 'primary', 'secondary']);
    expect(http[0]).toMatchObject({
      match: [{ headers: { 'x-shadow': { exact: '1' } } }],
      mirror: { host: 'canary', port: { number: 8443 } },
      mirrorPercentage: { value: 100 },
    });
    expect(http[1]?.route).toEqual([
      { destination: { host: 'canary', port: { number: 8443 } }, weight: 100 },
    ]);
    expect(http[2]?.retries).toEqual({ attempts: 3 });
    expect(split(http[3])).toEqual(['stable=100', 'canary=0']);
    expect(http[3]?.corsPolicy).toBeDefined();
  });

  test('with a destinationRule, managed routes go to its host and canary subset', () => {
    const objects = withObjects(
      virtualService('vsvc', {
        http: [{ route: [to('svc', 100, { subset: 'stable' }), to('svc', 0, { subset: 'canary' })] }],
      }),
    );
    objects.put('destinationrules', destinationRule());
    const r = router(
      {
        virtualService: { name: 'vsvc' },
        destinationRule: { name: 'rule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
      { services: { canary: '', stable: '' } },
    );
    const managedRoutes = [header('h', 'x-canary', { exact: 'yes' })];
    const writes = step(
      objects,
      r,
      intent(0, { managedRoutes, managedNames: ['h'], canaryHash: 'v2', stableHash: 'v1' }),
    );
    expect(writes.map((w) => w.resource)).toEqual(['destinationrules', 'virtualservices']);
    expect(routes(vsOf(objects, 'vsvc'))[0]?.route).toEqual([
      { destination: { host: 'rollout-service', subset: 'canary' }, weight: 100 },
    ]);
  });

  test('maxTrafficWeight (beside nginx or a plugin): the weights are written out of it, and 100-based ones read', () => {
    const objects = withObjects(virtualService('vsvc', { http: [hostSplit()] }));
    const r = router({ virtualService: { name: 'vsvc' } }, { maxWeight: 1000 });
    expect(r.read(objects)).toEqual({ weight: 0 });
    step(objects, r, { ...intent(333), maxWeight: 1000 });
    expect(split(routes(vsOf(objects, 'vsvc'))[0])).toEqual(['stable=667', 'canary=333']);
    expect(r.read(objects)).toEqual({ weight: 333 });
    objects.put(
      'virtualservices',
      virtualService('vsvc', { http: [{ route: [to('stable', 60), to('canary', 40)] }] }),
    );
    expect(r.read(objects)).toEqual({ weight: 400 });
  });

  test('a weight already right is left as written (an absent weight is 0)', () => {
    const objects = withObjects(
      virtualService('vsvc', { http: [{ route: [to('stable', 100), to('canary')] }] }),
    );
    expect(writesOf(router({ virtualService: { name: 'vsvc' } }).plan(objects, intent(0)))).toEqual([]);
  });

  test('virtualServiceKey: name.namespace, the .cluster.local suffix dropped first', () => {
    expect(virtualServiceKey('vsvc', 'default')).toEqual({ namespace: 'default', name: 'vsvc' });
    expect(virtualServiceKey('vsvc.edge', 'default')).toEqual({ namespace: 'edge', name: 'vsvc' });
    expect(virtualServiceKey('my.vsvc.edge', 'default')).toEqual({ namespace: 'edge', name: 'my.vsvc' });
    expect(virtualServiceKey('vsvc.edge.cluster.local', 'default')).toEqual({
      namespace: 'edge',
      name: 'vsvc',
    });
  });
});

function destinationRule(spec?: unknown): RouteObject {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'DestinationRule',
    metadata: { name: 'rule', namespace: 'default' },
    spec:
      spec === undefined
        ? {
            host: 'rollout-service',
            trafficPolicy: { loadBalancer: { simple: 'LEAST_CONN' } },
            subsets: [
              { name: 'stable', labels: { version: 'v3' } },
              { name: 'canary', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
              { name: 'extra', labels: { track: 'x' } },
            ],
          }
        : spec,
  };
}

describe('the DestinationRule', () => {
  const subsetConfig = {
    virtualService: { name: 'vsvc' },
    destinationRule: { name: 'rule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
  };
  const subsetService = () =>
    virtualService('vsvc', {
      http: [
        {
          route: [
            to('rollout-service', 100, { subset: 'stable' }),
            to('rollout-service', 0, { subset: 'canary' }),
          ],
        },
      ],
    });
  const subsetRouter = () => router(subsetConfig, { services: { canary: '', stable: '' } });

  test('only the hash labels and the annotation change: other subsets and fields stay (TestUpdateHashAdditionalFieldsWithListers)', () => {
    const objects = withObjects(subsetService());
    objects.put('destinationrules', destinationRule());
    step(objects, subsetRouter(), intent(0, { canaryHash: 'abc123', stableHash: 'def456' }));
    const rule = objects.get('destinationrules', 'default', 'rule');
    expect(rule?.spec).toEqual({
      host: 'rollout-service',
      trafficPolicy: { loadBalancer: { simple: 'LEAST_CONN' } },
      subsets: [
        { name: 'stable', labels: { version: 'v3', 'rollouts-pod-template-hash': 'def456' } },
        {
          name: 'canary',
          labels: { 'rollouts-pod-template-hash': 'abc123' },
          trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
        },
        { name: 'extra', labels: { track: 'x' } },
      ],
    });
    expect(
      writesOf(subsetRouter().plan(objects, intent(0, { canaryHash: 'abc123', stableHash: 'def456' }))),
    ).toEqual([]);
  });

  test.each([
    ['missing', undefined, `${PATH}.destinationRule.name`, 'does not exist'],
    ['spec null', null, 'spec', 'is not a map'],
    ['subsets not a list', { subsets: { stable: {} } }, 'spec.subsets', 'is not a list of subsets'],
    ['no canary subset', { subsets: [{ name: 'stable' }] }, 'spec.subsets', 'has no subset named "canary"'],
    [
      'labels not a map',
      { subsets: [{ name: 'stable', labels: ['a'] }, { name: 'canary' }] },
      'spec.subsets[0].labels',
      'is not a map',
    ],
  ])('%s: a problem naming the DestinationRule, read and plan alike', (_, spec, field, message) => {
    const objects = withObjects(subsetService());
    if (spec !== undefined) objects.put('destinationrules', destinationRule(spec));
    const problem = {
      problem: { object: 'DestinationRule default/rule', field, message: expect.stringContaining(message) },
    };
    expect(subsetRouter().read(objects)).toEqual(problem);
    expect(subsetRouter().plan(objects, intent(10, { canaryHash: 'v2' }))).toEqual(problem);
  });
});

describe('problems, never a throw', () => {
  const named = { virtualService: { name: 'vsvc', routes: ['primary'] } };
  const unnamed = { virtualService: { name: 'vsvc' } };
  const cases: [string, IstioSetup['config'], unknown, string | undefined, string][] = [
    ['the VirtualService missing', named, undefined, `${PATH}.virtualService.name`, 'does not exist'],
    ['spec null', named, null, 'spec', 'is not a map'],
    ['http not a list', named, { http: { primary: {} } }, 'spec.http', 'is not a list of HTTP routes'],
    ['an HTTP route not a map', named, { http: ['primary'] }, 'spec.http[0]', 'is not a list of HTTP routes'],
    [
      'tls not a list',
      named,
      { http: [hostSplit('primary')], tls: 'x' },
      'spec.tls',
      'is not a list of TLS routes',
    ],
    [
      'the named route missing',
      named,
      { http: [hostSplit('main')] },
      'spec.http',
      'has no HTTP route named "primary"',
    ],
    [
      'two HTTP routes and none named',
      unnamed,
      { http: [hostSplit('a'), hostSplit('b')] },
      'spec.http',
      'has 2 HTTP routes',
    ],
    [
      'two TLS routes and none listed',
      unnamed,
      { tls: [hostSplit(), hostSplit()] },
      'spec.tls',
      'has 2 TLS routes',
    ],
    [
      'no TLS route of the port',
      { virtualService: { name: 'vsvc', tlsRoutes: [{ port: 443, sniHosts: ['a'] }] } },
      { tls: [{ match: [{ port: 8443, sniHosts: ['a'] }], ...hostSplit() }] },
      'spec.tls',
      'has no TLS route matching port 443 and SNI hosts [a]',
    ],
    [
      'no TCP route of the port',
      { virtualService: { name: 'vsvc', tcpRoutes: [{ port: 5432 }] } },
      { tcp: [{ match: [{ port: 3306 }], ...hostSplit() }] },
      'spec.tcp',
      'has no TCP route matching port 5432',
    ],
    [
      'the route not a list',
      named,
      { http: [{ name: 'primary', route: {} }] },
      'spec.http[0].route',
      'is not a list',
    ],
    [
      'no canary destination',
      named,
      { http: [{ name: 'primary', route: [to('stable', 100)] }] },
      'spec.http[0].route',
      'canary Service "canary"',
    ],
    [
      'no stable destination',
      named,
      { http: [{ name: 'primary', route: [to('canary', 100), to('other', 0)] }] },
      'spec.http[0].route',
      'stable Service "stable"',
    ],
    [
      'neither',
      named,
      { http: [{ name: 'primary', route: [to('a', 50), to('b', 50)] }] },
      'spec.http[0].route',
      'canary Service',
    ],
    [
      'a destination without host',
      named,
      { http: [{ name: 'primary', route: [{ weight: 100 }] }] },
      'spec.http[0].route[0].destination.host',
      'is not set',
    ],
    [
      'a subset not a string',
      named,
      { http: [{ name: 'primary', route: [to('stable', 100, { subset: 1 }), to('canary', 0)] }] },
      'spec.http[0].route[0].destination.subset',
      'is not a subset name',
    ],
    [
      'a weight as a string',
      named,
      { http: [{ name: 'primary', route: [to('stable', '90' as never), to('canary', 10)] }] },
      'spec.http[0].route[0].weight',
      'is "90"',
    ],
    [
      'a negative weight',
      named,
      { http: [{ name: 'primary', route: [to('stable', 110), to('canary', -10)] }] },
      'spec.http[0].route[1].weight',
      'not a whole number',
    ],
    ['nothing to weight', unnamed, { hosts: ['web'] }, 'spec', 'has no HTTP, TLS or TCP route'],
  ];

  test.each(cases)('%s', (_, config, spec, field, message) => {
    const objects = spec === undefined ? withObjects() : withObjects(virtualService('vsvc', spec));
    const expected = {
      problem: { object: 'VirtualService default/vsvc', field, message: expect.stringContaining(message) },
    };
    expect(router(config).read(objects)).toEqual(expected);
    expect(router(config).plan(objects, intent(10))).toEqual(expected);
  });

  test('weights that do not add up to 100: a problem when read (the plan would overwrite them)', () => {
    const objects = withObjects(
      virtualService('vsvc', { http: [{ route: [to('stable', 90), to('canary', 0)] }] }),
    );
    expect(router({ virtualService: { name: 'vsvc' } }).read(objects)).toEqual({
      problem: {
        object: 'VirtualService default/vsvc',
        field: 'spec.http[0].route',
        message: expect.stringContaining('add up to 90, not 100'),
      },
    });
  });

  test('a header route in a VirtualService without HTTP routes', () => {
    const objects = withObjects(virtualService('vsvc', { tcp: [hostSplit()] }));
    const managedRoutes = [header('h', 'x', { exact: '1' })];
    expect(router({ virtualService: { name: 'vsvc' } }).plan(objects, intent(10, { managedRoutes }))).toEqual(
      {
        problem: {
          object: 'VirtualService default/vsvc',
          field: 'spec.http',
          message: expect.stringContaining('"h" has no place'),
        },
      },
    );
  });

  test('a config naming no VirtualService', () => {
    expect(router({}).read(withObjects())).toEqual({
      problem: {
        object: `the Rollout's ${PATH}`,
        message: expect.stringContaining('names no VirtualService'),
      },
    });
  });

  test('caches not listed yet: waiting (nothing planned); a list that fails: a problem', () => {
    const objects = withObjects(virtualService('vsvc', { http: [hostSplit()] }));
    objects.unlisted.set('destinationrules', undefined);
    const r = router({
      virtualService: { name: 'vsvc' },
      destinationRule: { name: 'rule', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    });
    expect(r.read(objects)).toEqual({ waiting: 'the DestinationRule cache to list' });
    expect(r.plan(objects, intent(10))).toEqual({ writes: [] });
    objects.unlisted.set('virtualservices', 'forbidden');
    expect(r.read(objects)).toEqual({
      problem: { object: 'VirtualService objects', message: 'cannot be listed: forbidden' },
    });
  });
});
