import { describeEntry, parseRouteEntry } from './route-entry';

describe('parseRouteEntry', () => {
  test.each([
    ['httproute/shop', { kind: 'httproute', name: 'shop' }],
    ['HTTPRoute/shop', { kind: 'httproute', name: 'shop' }],
    ['grpcroutes/shop-grpc', { kind: 'grpcroute', name: 'shop-grpc' }],
    ['tcproute/db', { kind: 'tcproute', name: 'db' }],
    ['tlsroute/db', { kind: 'tlsroute', name: 'db' }],
    ['ts/shop', { kind: 'trafficsplit', name: 'shop' }],
    ['trafficsplit/shop', { kind: 'trafficsplit', name: 'shop' }],
    ['ing/shop', { kind: 'ingress', name: 'shop' }],
    ['svc/shop', { kind: 'service', name: 'shop' }],
    ['virtualservice/shop', { kind: 'virtualservice', name: 'shop' }],
    ['vs/shop', { kind: 'virtualservice', name: 'shop' }],
    ['ApisixRoute/shop', { kind: 'apisixroute', name: 'shop' }],
    ['ar/shop', { kind: 'apisixroute', name: 'shop' }],
    ['traefikservice/shop', { kind: 'traefikservice', name: 'shop' }],
    ['mapping/shop', { kind: 'mapping', name: 'shop' }],
    ['mappings/shop-canary', { kind: 'mapping', name: 'shop-canary' }],
    ['alb/shop', { kind: 'albingress', name: 'shop' }],
    ['alb-ingress/shop', { kind: 'albingress', name: 'shop' }],
  ])('%s', (text, entry) => {
    expect(parseRouteEntry(text)).toEqual(entry);
  });

  test.each([['shop'], ['deployment/shop'], ['httproute/'], ['httproute/Shop'], ['httproute/a/b']])(
    '%s is refused',
    (text) => {
      expect(() => parseRouteEntry(text)).toThrow('expected KIND/NAME');
    },
  );

  test('describes the entry as Kind namespace/name', () => {
    expect(describeEntry({ kind: 'trafficsplit', name: 'shop' }, 'apps')).toBe('TrafficSplit apps/shop');
    expect(describeEntry({ kind: 'ingress', name: 'shop' }, 'default')).toBe('Ingress default/shop');
    expect(describeEntry({ kind: 'albingress', name: 'shop' }, 'default')).toBe('Ingress default/shop');
    expect(describeEntry({ kind: 'virtualservice', name: 'shop' }, 'default')).toBe(
      'VirtualService default/shop',
    );
    expect(describeEntry({ kind: 'mapping', name: 'shop' }, 'default')).toBe('Mapping default/shop');
  });
});
