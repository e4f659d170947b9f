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
  });
});
