import { answersOf, byBackend, canaryWorld, problemLines, send } from '../testing/traffic/world';
import { apisixRouteRouter } from './apisixroute-split';
import type { RequestShape } from './request-mix';
import type { ServiceWorld } from './service-endpoints';

const OBJECT = 'ApisixRoute default/shop';
const ar = (name: string, http: unknown[], created = '2026-01-01T00:00:00Z') => ({
  apiVersion: 'apisix.apache.org/v2',
  kind: 'ApisixRoute',
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { http },
});
const backend = (service: string, weight?: number, port: number | string = 80) => ({
  serviceName: service,
  servicePort: port,
  ...(weight !== undefined ? { weight } : {}),
});
const rule = (name: string, match: Record<string, unknown>, backends: unknown[], priority?: number) => ({
  name,
  match,
  backends,
  ...(priority !== undefined ? { priority } : {}),
});
const all = { paths: ['/*'] };

interface Case {
  name: string;
  entry: unknown;
  others?: unknown[];
  world?: ServiceWorld;
  requests?: RequestShape;
  backends?: Record<string, number>;
  answers?: Record<string, number>;
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'one rule, its backends by weight: 90/10',
    entry: ar('shop', [rule('shop', all, [backend('shop-stable', 90), backend('shop-canary', 10)])]),
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'a missing weight is 100: 100/100',
    entry: ar('shop', [rule('shop', all, [backend('shop-stable'), backend('shop-canary', 100)])]),
    backends: { 'shop-stable': 500, 'shop-canary': 500 },
  },
  {
    name: 'one backend takes everything, whatever its weight',
    entry: ar('shop', [rule('shop', all, [backend('shop-canary', 0)])]),
    backends: { 'shop-canary': 1000 },
  },
  {
    name: "Argo's header route: an ApisixRoute of its own, priority +1, a Header Equal expr, only the canary",
    entry: ar('shop', [rule('shop', all, [backend('shop-stable', 100), backend('shop-canary', 0)])]),
    others: [
      ar(
        'canary-header',
        [
          rule(
            'shop',
            {
              paths: ['/*'],
              exprs: [{ subject: { scope: 'Header', name: 'X-Canary' }, op: 'Equal', value: 'yes' }],
            },
            [backend('shop-canary', 100)],
            1,
          ),
        ],
        '2026-02-01T00:00:00Z',
      ),
    ],
    requests: { headers: { 'x-canary': 'yes' }, headerShare: 0.1 },
    backends: { 'shop-stable': 900, 'shop-canary': 100 },
  },
  {
    name: 'a whole path before a prefix, the longer prefix first, then the priority',
    entry: ar('shop', [
      rule('a', { paths: ['/api*'] }, [backend('shop')], 5),
      rule('b', { paths: ['/api/cart*'] }, [backend('shop-stable')], 1),
      rule('c', { paths: ['/api/cart*'] }, [backend('shop-canary')], 2),
      rule('d', { paths: ['/api/cart/1'] }, [backend('shop')], 0),
    ]),
    requests: { path: '/api/cart/2' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a prefix is a string prefix (/api* matches /apix); a path without * the whole path only',
    entry: ar('shop', [
      rule('a', { paths: ['/apix/y'] }, [backend('shop-stable')]),
      rule('b', { paths: ['/api*'] }, [backend('shop-canary')]),
    ]),
    requests: { path: '/apix' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'routes with a host that accepts the request before routes without hosts, whatever their paths',
    entry: ar('shop', [
      rule('any', { paths: ['/api/cart'] }, [backend('shop-stable')], 10),
      rule('host', { paths: ['/*'], hosts: ['*.example.com'] }, [backend('shop-canary')]),
    ]),
    requests: { host: 'shop.example.com', path: '/api/cart' },
    backends: { 'shop-canary': 1000 },
  },
  {
    name: 'a host that does not match: the routes without hosts; methods must match',
    entry: ar('shop', [
      rule('host', { paths: ['/*'], hosts: ['shop.example.com'] }, [backend('shop-canary')]),
      rule('post', { paths: ['/*'], methods: ['POST'] }, [backend('shop-canary')]),
      rule('get', { paths: ['/*'], methods: ['GET'] }, [backend('shop-stable')]),
    ]),
    requests: { host: 'other.example.com' },
    backends: { 'shop-stable': 1000 },
  },
  {
    name: 'exprs: a regex anywhere in the value, In, Query, Cookie, numbers, NotEqual of a missing header',
    entry: ar('shop', [
      rule(
        'canary',
        {
          paths: ['/*'],
          exprs: [
            { subject: { scope: 'Header', name: 'x_team' }, op: 'RegexMatchCaseInsensitive', value: 'BET' },
            { subject: { scope: 'Query', name: 'region' }, op: 'In', set: ['eu', 'us'] },
            { subject: { scope: 'Cookie', name: 'plan' }, op: 'NotIn', set: ['free'] },
            { subject: { scope: 'Header', name: 'x-version' }, op: 'GreaterThan', value: '9' },
            { subject: { scope: 'Header', name: 'x-absent' }, op: 'NotEqual', value: 'a' },
            { subject: { scope: 'Path' }, op: 'RegexNotMatch', value: '^/admin' },
          ],
        },
        [backend('shop-canary')],
      ),
      rule('rest', all, [backend('shop-stable')]),
    ]),
    requests: {
      headers: { 'X-Team': 'alphabeta', 'X-Version': '10', Cookie: 'plan=pro' },
      headerShare: 0.4,
      path: '/cart?region=eu',
    },
    backends: { 'shop-canary': 400, 'shop-stable': 600 },
  },
  {
    name: 'no route matches: 404',
    entry: ar('shop', [rule('shop', { paths: ['/api*'] }, [backend('shop-stable')])]),
    answers: { '404': 1000 },
  },
  {
    name: 'a backend without ready endpoints: 503 for its share',
    entry: ar('shop', [rule('shop', all, [backend('shop-stable', 70), backend('shop-canary', 30)])]),
    world: canaryWorld({ canaryReady: false }),
    backends: { 'shop-stable': 700 },
    answers: { '503 shop-canary': 300 },
  },
  {
    name: 'every weight 0: 503, reported',
    entry: ar('shop', [rule('shop', all, [backend('shop-stable', 0), backend('shop-canary', 0)])]),
    answers: { '503': 1000 },
    problems: [
      `${OBJECT}: spec.http[0].backends: every backend has weight 0: every request the rule takes gets 503`,
    ],
  },
  {
    name: 'an ApisixRoute the controller cannot translate (a Service or port that does not exist) is left out whole',
    entry: ar('shop', [rule('shop', all, [backend('shop-stable', 50), backend('shop-gone', 50)])]),
    others: [
      ar('fallback', [rule('fallback', all, [backend('shop', undefined, 'web')])]),
      ar('other', [rule('other', { paths: ['/other*'] }, [backend('shop-canary')])]),
    ],
    answers: { '404': 1000 },
    problems: [
      'ApisixRoute default/fallback: spec.http[0].backends[0].servicePort: Service "shop" has no port "web": the controller cannot translate the ApisixRoute, it is left out',
      `${OBJECT}: spec.http[0].backends[1].serviceName: Service "shop-gone" not found: the controller cannot translate the ApisixRoute, it is left out`,
    ],
  },
  {
    name: 'the entry not found: the other ApisixRoutes still serve',
    entry: undefined,
    others: [ar('other', [rule('other', all, [backend('shop-canary')])])],
    backends: { 'shop-canary': 1000 },
    problems: [`${OBJECT}: : not found: only the other ApisixRoutes of the namespace can take the requests`],
  },
  {
    name: 'malformed rules and expressions: reported, never a crash',
    entry: ar('shop', [
      { name: 'no-match', backends: [backend('shop-canary')] },
      rule(
        'x',
        { paths: ['/*'], exprs: [{ subject: { scope: 'Header', name: 'a' }, op: 'Like', value: 'b' }] },
        [backend('shop-canary')],
      ),
    ]),
    others: [
      ar('vars', [
        rule(
          'v',
          {
            paths: ['/*'],
            exprs: [{ subject: { scope: 'Variable', name: 'remote_addr' }, op: 'Equal', value: '1' }],
          },
          [backend('shop-canary')],
        ),
        rule('w', { paths: ['/*'], remoteAddrs: ['10.0.0.0/8'] }, [backend('shop-stable')], -1),
      ]),
      { metadata: { name: 'empty' }, spec: {} },
    ],
    backends: { 'shop-stable': 1000 },
    problems: [
      'ApisixRoute default/empty: spec.http: expected a non-empty list of rules; the ApisixRoute is left out',
      `${OBJECT}: spec.http[0].match: missing: the controller cannot translate the ApisixRoute, it is left out`,
      `${OBJECT}: spec.http[1].match.exprs[0].op: unknown operator "Like": the controller cannot translate the ApisixRoute, it is left out`,
      'ApisixRoute default/vars: spec.http[0].match.exprs[0].subject: Variable expressions are not modelled: the variable reads as missing',
      'ApisixRoute default/vars: spec.http[1].match.remoteAddrs: not modelled: the condition is taken to hold',
    ],
  },
];

describe('APISIX ApisixRoute: the traffic follows the routes APISIX builds', () => {
  test.each(cases)('$name', (c) => {
    const world = c.world ?? canaryWorld();
    const routes = [...(c.entry ? [c.entry] : []), ...(c.others ?? [])];
    const counts = send(() => apisixRouteRouter(c.entry, routes, world, OBJECT), world, {
      ticks: 10,
      ...(c.requests ? { requests: c.requests } : {}),
    });
    expect(byBackend(counts)).toEqual(c.backends ?? {});
    expect(answersOf(counts)).toEqual(c.answers ?? {});
    expect(problemLines(counts)).toEqual(c.problems ?? []);
  });
});
