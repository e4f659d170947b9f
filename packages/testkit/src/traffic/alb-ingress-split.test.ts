import { answersOf, byBackend, canaryWorld, problemLines, send } from '../testing/traffic/world';
import { albIngressRouter } from './alb-ingress-split';
import type { RequestShape } from './request-mix';
import type { ServiceWorld } from './service-endpoints';

const OBJECT = 'Ingress default/shop';
const P = 'alb.ingress.kubernetes.io';

const path = (service: string, options: { path?: string; pathType?: string; port?: number } = {}) => ({
  path: options.path ?? '/*',
  pathType: options.pathType ?? 'ImplementationSpecific',
  backend: {
    service: {
      name: service,
      port: options.port !== undefined ? { number: options.port } : { name: 'use-annotation' },
    },
  },
});
const ingress = (
  paths: unknown[],
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
) => ({
  metadata: { name: 'shop', namespace: 'default', annotations },
  spec: { ingressClassName: 'alb', rules: [{ host: 'shop.example.com', http: { paths } }], ...spec },
});
/** The action Argo Rollouts writes (Go's field names, capitalized; ports as strings). */
const argoAction = (canary: number, stable: number) =>
  JSON.stringify({
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { ServiceName: 'shop-canary', ServicePort: '80', Weight: canary },
        { ServiceName: 'shop-stable', ServicePort: '80', Weight: stable },
      ],
    },
  });
const forward = (...groups: unknown[]) =>
  JSON.stringify({ type: 'forward', forwardConfig: { targetGroups: groups } });
const header = (name: string, ...values: string[]) =>
  JSON.stringify([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: name, values } }]);

interface Case {
  name: string;
  ingress: unknown;
  prefix?: string;
  world?: ServiceWorld;
  requests?: RequestShape;
  backends?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: "Argo's forward action (Go's capitalized keys, ports as strings): 10/90",
    ingress: ingress([path('shop-stable')], { [`${P}/actions.shop-stable`]: argoAction(10, 90) }),
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: "the controller's documented keys, numeric ports",
    ingress: ingress([path('root')], {
      [`${P}/actions.root`]: forward(
        { serviceName: 'shop-stable', servicePort: 80, weight: 3 },
        { serviceName: 'shop-canary', servicePort: 80, weight: 1 },
      ),
    }),
    backends: { 'shop-stable': 750, 'shop-canary': 250 },
  },
  {
    name: "Argo's header route: its path first, its condition on the header, the split for the rest",
    ingress: ingress([path('canary-route'), path('shop-stable')], {
      [`${P}/actions.shop-stable`]: argoAction(0, 100),
      [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: '80', weight: 100 }),
      [`${P}/conditions.canary-route`]: header('X-Canary', 'yes'),
    }),
    requests: { headers: { 'x-canary': 'yes' }, headerShare: 0.1 },
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'header values: case-insensitive, with wildcards; any of the values',
    ingress: ingress([path('canary-route'), path('shop-stable')], {
      [`${P}/actions.shop-stable`]: argoAction(0, 100),
      [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: '80' }),
      [`${P}/conditions.canary-route`]: header('x-canary', 'no', 'Y?S*'),
    }),
    requests: { headers: { 'X-Canary': 'yes-please' }, headerShare: 0.3 },
    backends: { 'shop-stable': 700, 'shop-canary': 300 },
  },
  {
    name: 'the controller puts Prefix paths before ImplementationSpecific ones: a header path after them is never reached',
    ingress: ingress(
      [path('canary-route'), path('shop-stable', { path: '/', pathType: 'Prefix', port: 80 })],
      {
        [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: '80' }),
        [`${P}/conditions.canary-route`]: header('X-Canary', 'yes'),
      },
    ),
    requests: { headers: { 'x-canary': 'yes' } },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'Exact first, then the longest Prefix (element-wise: /api and /api/...)',
    ingress: ingress([
      path('shop', { path: '/', pathType: 'Prefix', port: 80 }),
      path('shop-canary', { path: '/api/', pathType: 'Prefix', port: 80 }),
      path('shop-stable', { path: '/api/cart', pathType: 'Exact', port: 80 }),
    ]),
    requests: { path: '/api' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a Prefix path does not match a longer segment (/api is not /apix)',
    ingress: ingress([
      path('shop', { path: '/', pathType: 'Prefix', port: 80 }),
      path('shop-canary', { path: '/api', pathType: 'Prefix', port: 80 }),
    ]),
    requests: { path: '/apix' },
    backends: { shop: 1000 },
  },
  {
    name: 'the rule host must match (wildcards, case-insensitive); no rule: the listener default 404',
    ingress: ingress([path('shop-canary', { port: 80 })]),
    requests: { host: 'other.example.com' },
    answers: { '404': 1000 },
  },
  {
    name: 'the default backend takes what no rule matches',
    ingress: ingress(
      [path('shop-canary', { path: '/api', pathType: 'Exact', port: 80 })],
      {},
      {
        defaultBackend: { service: { name: 'shop-stable', port: { number: 80 } } },
      },
    ),
    backends: { 'shop-stable': 1000 },
  },
  {
    name: "conditions: method, query string, an extra path pattern and host (OR with the rule's own)",
    ingress: ingress([path('canary-route', { path: '/nope' }), path('shop-stable', { port: 80 })], {
      [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: '80' }),
      [`${P}/conditions.canary-route`]: JSON.stringify([
        { field: 'http-request-method', httpRequestMethodConfig: { values: ['POST'] } },
        { field: 'query-string', queryStringConfig: { values: [{ key: 'BETA', value: 'o*' }] } },
        { field: 'path-pattern', pathPatternConfig: { values: ['/cart*'] } },
        { field: 'host-header', hostHeaderConfig: { values: ['*.example.org'] } },
      ]),
    }),
    requests: { method: 'POST', path: '/cart/1?beta=on', host: 'shop.example.org' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'source-ip conditions are reported and hold',
    ingress: ingress([path('canary-route'), path('shop-stable', { port: 80 })], {
      [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: 80 }),
      [`${P}/conditions.canary-route`]: JSON.stringify([
        { field: 'source-ip', sourceIPConfig: { values: ['10.0.0.0/8'] } },
      ]),
    }),
    backends: { 'shop-canary': 1000 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/conditions.canary-route"][0]: source-ip conditions are not modelled: the condition is taken to hold`,
    ],
  },
  {
    name: 'no action annotation: a fixed 503, as the controller answers',
    ingress: ingress([path('shop-stable')]),
    answers: { '503': 1000 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/actions.shop-stable"]: missing: the controller answers a fixed 503 (Backend action does not exist)`,
    ],
  },
  {
    name: 'a single target Service that does not exist: a fixed 503',
    ingress: ingress([path('shop-gone', { port: 80 })]),
    answers: { '503 shop-gone': 1000 },
    problems: [
      `${OBJECT}: spec.rules[0].http.paths[0].backend.service: Service "shop-gone" not found: the controller answers a fixed 503 (Backend service does not exist)`,
    ],
  },
  {
    name: 'one of several target Services missing, or without the port: reported, 503 for their shares',
    ingress: ingress([path('root')], {
      [`${P}/actions.root`]: forward(
        { serviceName: 'shop-stable', servicePort: '80', weight: 50 },
        { serviceName: 'shop-gone', servicePort: '80', weight: 25 },
        { serviceName: 'shop-canary', servicePort: 'http', weight: 25 },
      ),
    }),
    backends: { 'shop-stable': 500 },
    answers: { '503 shop-gone': 250, '503 shop-canary': 250 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/actions.root"].forwardConfig.targetGroups[1]: Service "shop-gone" not found: the controller cannot reconcile the Ingress; its share gets 503 here`,
      `${OBJECT}: metadata.annotations["${P}/actions.root"].forwardConfig.targetGroups[2]: Service "shop-canary" has no port "http": the controller cannot reconcile the Ingress; its share gets 503 here`,
    ],
  },
  {
    name: 'a target Service without ready endpoints (no registered target): 503 for its share',
    ingress: ingress([path('shop-stable')], { [`${P}/actions.shop-stable`]: argoAction(20, 80) }),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 800 },
    answers: { '503 shop-canary': 200 },
  },
  {
    name: 'every weight 0: 503, reported',
    ingress: ingress([path('shop-stable')], { [`${P}/actions.shop-stable`]: argoAction(0, 0) }),
    answers: { '503': 1000 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/actions.shop-stable"].forwardConfig.targetGroups[0]: every target group has weight 0: every request of the rule gets 503`,
    ],
  },
  {
    name: 'fixed-response and redirect actions answer themselves',
    ingress: ingress([path('teapot', { path: '/tea' }), path('moved')], {
      [`${P}/actions.teapot`]: JSON.stringify({
        type: 'fixed-response',
        fixedResponseConfig: { statusCode: '418' },
      }),
      [`${P}/actions.moved`]: JSON.stringify({
        type: 'redirect',
        redirectConfig: { statusCode: 'HTTP_301', host: 'x' },
      }),
    }),
    answers: { '301': 1000 },
  },
  {
    name: 'actions the controller refuses leave their path out (reported); the next rule or 404',
    ingress: ingress(
      [path('a', { path: '/a*' }), path('b', { path: '/b*' }), path('c', { path: '/c*' }), path('d')],
      {
        [`${P}/actions.a`]: '{"type": "forward",',
        [`${P}/actions.b`]: forward(
          { serviceName: 'shop-stable', servicePort: '80' },
          { serviceName: 'shop-canary', servicePort: '80' },
        ),
        [`${P}/actions.c`]: forward({ serviceName: 'shop-stable', servicePort: '80', weight: 1000 }),
        [`${P}/actions.d`]: JSON.stringify({ type: 'bounce' }),
      },
    ),
    answers: { '404': 1000 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/actions.a"]: not JSON: the controller refuses the Ingress; the path is left out`,
      `${OBJECT}: metadata.annotations["${P}/actions.b"]: weight must be set when route to multiple target groups: the controller refuses the Ingress; the path is left out`,
      `${OBJECT}: metadata.annotations["${P}/actions.c"]: forwardConfig.targetGroups[0].weight: expected an integer within 0..999, got 1000: the controller refuses the Ingress; the path is left out`,
      `${OBJECT}: metadata.annotations["${P}/actions.d"]: unknown action type "bounce": the controller refuses the Ingress; the path is left out`,
    ],
  },
  {
    name: 'conditions the controller refuses leave their path out',
    ingress: ingress([path('canary-route'), path('shop-stable', { port: 80 })], {
      [`${P}/actions.canary-route`]: forward({ serviceName: 'shop-canary', servicePort: '80' }),
      [`${P}/conditions.canary-route`]: JSON.stringify([
        { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'x' } },
      ]),
    }),
    backends: { 'shop-stable': 1000 },
    problems: [
      `${OBJECT}: metadata.annotations["${P}/conditions.canary-route"][0]: an http-header condition needs httpHeaderConfig.httpHeaderName and a non-empty list of values: the controller refuses the Ingress; the path is left out`,
    ],
  },
  {
    name: "another annotation prefix (a Rollout's alb.annotationPrefix)",
    ingress: ingress([path('shop-stable')], { 'custom.example.com/actions.shop-stable': argoAction(50, 50) }),
    prefix: 'custom.example.com',
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'the Ingress not found: 404',
    ingress: { metadata: { name: 'other' } },
    answers: { '404': 1000 },
    problems: [`${OBJECT}: : not found: every request gets 404 (no listener rule)`],
  },
];

describe('AWS ALB Ingress: the traffic follows the listener rules the controller builds', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const counts = send(() => albIngressRouter('shop', [c.ingress], world, c.prefix), world, {
      ticks: 10,
      ...(c.requests ? { requests: c.requests } : {}),
    });
    expect(byBackend(counts)).toEqual(c.backends ?? {});
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(problemLines(counts)).toEqual(c.problems ?? []);
  });
});
