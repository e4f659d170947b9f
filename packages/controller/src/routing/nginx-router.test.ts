// The NGINX router's canary Ingress, as Argo's nginx reconciler builds it.
import { FakeRouteObjects } from '../testing/routing/fake-route-objects';
import { canaryIngressName, NginxRouter, type NginxSetup } from './nginx-router';
import type { RouteIntent, RouteObject } from './router';

const ROLLOUT = { name: 'web', namespace: 'default', uid: 'rollout-uid' };

function setup(config: NginxSetup['config'], maxTrafficWeight?: number): NginxSetup {
  return {
    rollout: ROLLOUT,
    config,
    services: { canary: 'web-canary', stable: 'web-stable' },
    ...(maxTrafficWeight !== undefined ? { maxTrafficWeight } : {}),
    configPath: 'spec.strategy.canary.trafficRouting.nginx',
  };
}

function ingress(name: string, service = 'web-stable'): RouteObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'kubernetes.io/ingress.class': 'nginx', team: 'a' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['web.example'], secretName: 'tls' }],
      rules: [
        {
          host: 'web.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: 80 } } },
              },
              {
                path: '/other',
                pathType: 'Prefix',
                backend: { service: { name: 'other', port: { number: 80 } } },
              },
            ],
          },
        },
        {
          host: 'admin.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'admin', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

const intent = (weight: number): RouteIntent => ({
  weight,
  maxWeight: 100,
  managedRoutes: [],
  managedNames: [],
});

test('the canary Ingress: the rules reaching the stable Service, pointed at the canary, with the weight annotations', () => {
  const objects = new FakeRouteObjects();
  objects.put('ingresses', ingress('web-ingress'));
  const router = new NginxRouter(
    setup({
      stableIngress: 'web-ingress',
      additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' },
      canaryIngressAnnotations: { 'my/annotation': 'x' },
    }),
  );
  expect(router.read(objects)).toEqual({ weight: 0 });
  const plan = router.plan(objects, intent(20));
  expect(plan).toEqual({
    writes: [
      {
        action: 'create',
        resource: 'ingresses',
        message: 'Ingress default/web-web-ingress-canary: canary weight 20',
        event: {
          reason: 'CreatingCanaryIngress',
          message: 'Creating canary ingress `web-web-ingress-canary` with weight `20`',
        },
        object: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: {
            name: 'web-web-ingress-canary',
            namespace: 'default',
            annotations: {
              'kubernetes.io/ingress.class': 'nginx',
              'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
              'my/annotation': 'x',
              'nginx.ingress.kubernetes.io/canary': 'true',
              'nginx.ingress.kubernetes.io/canary-weight': '20',
            },
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'Rollout',
                name: 'web',
                uid: 'rollout-uid',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: {
            ingressClassName: 'nginx',
            tls: [{ hosts: ['web.example'], secretName: 'tls' }],
            rules: [
              {
                host: 'web.example',
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: { service: { name: 'web-canary', port: { number: 80 } } },
                    },
                    {
                      path: '/other',
                      pathType: 'Prefix',
                      backend: { service: { name: 'other', port: { number: 80 } } },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    ],
  });
  if (!('writes' in plan)) throw new Error('problem');
  for (const w of plan.writes) objects.apply(w);
  expect(router.read(objects)).toEqual({ weight: 20 });
  expect(router.plan(objects, intent(20))).toEqual({ writes: [] });
  // the stable Ingress is never written
  expect(objects.get('ingresses', 'default', 'web-ingress')?.metadata.resourceVersion).toBe('1');
});

test('an update keeps annotations another controller added; maxTrafficWeight becomes canary-weight-total', () => {
  const objects = new FakeRouteObjects();
  objects.put('ingresses', ingress('web-ingress'));
  const router = new NginxRouter(
    setup({ stableIngress: 'web-ingress', annotationPrefix: 'custom.nginx.org' }, 1000),
  );
  const first = router.plan(objects, intent(100));
  if (!('writes' in first)) throw new Error('problem');
  for (const w of first.writes) objects.apply(w);
  const canary = objects.get('ingresses', 'default', 'web-web-ingress-canary')!;
  canary.metadata.annotations = { ...canary.metadata.annotations, 'rancher/added': 'yes' };
  objects.put('ingresses', canary);
  const second = router.plan(objects, intent(250));
  if (!('writes' in second)) throw new Error('problem');
  expect(second.writes[0]?.action === 'update' && second.writes[0].object.metadata.annotations).toEqual({
    'kubernetes.io/ingress.class': 'nginx',
    'custom.nginx.org/canary': 'true',
    'custom.nginx.org/canary-weight': '250',
    'custom.nginx.org/canary-weight-total': '1000',
    'rancher/added': 'yes',
  });
});

test('stableIngresses: one canary Ingress each; one whose stable Ingress left the list is deleted', () => {
  const objects = new FakeRouteObjects();
  objects.put('ingresses', ingress('a'));
  objects.put('ingresses', ingress('b'));
  const both = new NginxRouter(setup({ stableIngresses: ['a', 'b'] }));
  const created = both.plan(objects, intent(10));
  if (!('writes' in created)) throw new Error('problem');
  for (const w of created.writes) objects.apply(w);
  expect(both.read(objects)).toEqual({ weight: 10 });
  const onlyA = new NginxRouter(setup({ stableIngresses: ['a'] }));
  const plan = onlyA.plan(objects, intent(10));
  if (!('writes' in plan)) throw new Error('problem');
  expect(plan.writes.map((w) => `${w.action} ${w.message}`)).toEqual([
    'delete Ingress default/web-b-canary: its stable Ingress is no longer in spec.strategy.canary.trafficRouting.nginx',
  ]);
});

test('problems: a missing stable Ingress, one not reaching the stable Service, a canary Ingress owned by someone else', () => {
  const objects = new FakeRouteObjects();
  const router = new NginxRouter(setup({ stableIngress: 'web-ingress' }));
  expect(router.read(objects)).toMatchObject({
    problem: {
      object: 'Ingress default/web-ingress',
      field: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
    },
  });
  objects.put('ingresses', ingress('web-ingress', 'somewhere-else'));
  expect(router.read(objects)).toMatchObject({
    problem: {
      object: 'Ingress default/web-ingress',
      field: 'spec.rules[].http.paths[].backend.service.name',
    },
  });
  objects.put('ingresses', ingress('web-ingress'));
  objects.put('ingresses', {
    ...ingress('web-web-ingress-canary'),
    metadata: { name: 'web-web-ingress-canary', namespace: 'default' },
  });
  expect(router.plan(objects, intent(5))).toMatchObject({
    problem: { object: 'Ingress default/web-web-ingress-canary', field: 'metadata.ownerReferences' },
  });
});

test("Argo's canary Ingress name is cut to 253 characters with its suffix", () => {
  const name = canaryIngressName('r'.repeat(200), 's'.repeat(100));
  expect(name).toHaveLength(253);
  expect(name.endsWith('-canary')).toBe(true);
  expect(canaryIngressName('web', 'web-ingress')).toBe('web-web-ingress-canary');
});
