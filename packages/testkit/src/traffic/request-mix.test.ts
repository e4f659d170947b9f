import { cookieOf, headerOf, parseGrpcMethod, requestMix } from './request-mix';

describe('requestMix', () => {
  test('without headers: one class of plain requests, GET / with no host', () => {
    expect(requestMix()).toEqual([
      {
        id: 'plain',
        share: 1,
        protocol: 'http',
        path: '/',
        query: new Map(),
        method: 'GET',
        headers: new Map(),
      },
    ]);
  });

  test('headers on a share: two classes; names lower-cased, host without its port (kept apart), query parsed', () => {
    const [withHeaders, plain] = requestMix({
      host: 'Shop.Example.com:8443',
      path: '/api?beta=on&beta=off&x=1',
      method: 'post',
      grpcMethod: 'shop.v1.Cart/Add',
      headers: { 'X-Canary': 'yes' },
      headerShare: 0.1,
    });
    expect(withHeaders).toMatchObject({
      id: 'with-headers',
      share: 0.1,
      host: 'shop.example.com',
      port: 8443,
      path: '/api',
      method: 'POST',
    });
    expect(withHeaders!.query).toEqual(
      new Map([
        ['beta', 'on'],
        ['x', '1'],
      ]),
    );
    expect(withHeaders!.grpc).toEqual({ service: 'shop.v1.Cart', method: 'Add' });
    expect(headerOf(withHeaders!, 'x-CANARY')).toBe('yes');
    expect(plain).toMatchObject({ id: 'plain', share: 0.9 });
    expect(headerOf(plain!, 'x-canary')).toBeUndefined();
  });

  test('a protocol other than HTTP: TLS connections to a port', () => {
    expect(requestMix({ protocol: 'tls', host: 'db.example.com:5432' })).toMatchObject([
      { id: 'plain', protocol: 'tls', host: 'db.example.com', port: 5432 },
    ]);
  });

  test('headers on every request by default', () => {
    expect(requestMix({ headers: { a: '1' } }).map((c) => [c.id, c.share])).toEqual([['with-headers', 1]]);
  });

  test('a share outside 0..1 is refused', () => {
    expect(() => requestMix({ headers: { a: '1' }, headerShare: 1.5 })).toThrow(
      'header share must be within 0..1',
    );
  });

  test('cookies are read from the Cookie header', () => {
    const [r] = requestMix({ headers: { Cookie: 'a=1; canary=always' } });
    expect(cookieOf(r!, 'canary')).toBe('always');
    expect(cookieOf(r!, 'b')).toBeUndefined();
  });

  test('a gRPC method is package.Service/Method', () => {
    expect(parseGrpcMethod('/grpc.health.v1.Health/Check')).toEqual({
      service: 'grpc.health.v1.Health',
      method: 'Check',
    });
    expect(() => parseGrpcMethod('Check')).toThrow('expected a gRPC method as package.Service/Method');
  });
});
