import path from 'node:path';
import { parseTrafficArgs } from './cli';

const base = ['--kubeconfig', 'kc'];

describe('ramp-traffic arguments', () => {
  test('the selector mode, as before', () => {
    expect(parseTrafficArgs([...base, '--selector', 'app=shop'])).toEqual({
      kubeconfig: path.resolve('kc'),
      selector: 'app=shop',
      namespace: 'default',
      port: 0,
      rate: 100,
      tickMs: 250,
    });
  });

  test('a route with what the requests look like', () => {
    expect(
      parseTrafficArgs([
        ...base,
        '--route',
        'httproute/shop',
        '-n',
        'apps',
        '--header',
        'X-Canary=yes',
        '--header',
        'X-Team=a=b',
        '--header-share',
        '0.1',
        '--host',
        'shop.example.com',
        '--path',
        '/api?x=1',
        '--method',
        'POST',
        '--grpc-method',
        'shop.v1.Cart/Add',
      ]),
    ).toEqual({
      kubeconfig: path.resolve('kc'),
      route: { kind: 'httproute', name: 'shop' },
      namespace: 'apps',
      port: 0,
      rate: 100,
      tickMs: 250,
      requests: {
        headers: { 'X-Canary': 'yes', 'X-Team': 'a=b' },
        headerShare: 0.1,
        host: 'shop.example.com',
        path: '/api?x=1',
        method: 'POST',
        grpcMethod: 'shop.v1.Cart/Add',
      },
    });
  });

  test('an ingress route with its annotation prefix', () => {
    expect(
      parseTrafficArgs([...base, '--route', 'ingress/shop', '--nginx-annotation-prefix', 'example.com']),
    ).toMatchObject({
      route: { kind: 'ingress', name: 'shop' },
      nginxAnnotationPrefix: 'example.com',
      requests: {},
    });
  });

  test('a VirtualService with the protocol and port of its requests', () => {
    expect(
      parseTrafficArgs([...base, '--route', 'vs/shop', '--protocol', 'tcp', '--host', 'shop:5432']),
    ).toMatchObject({
      route: { kind: 'virtualservice', name: 'shop' },
      requests: { protocol: 'tcp', host: 'shop:5432' },
    });
  });

  test('an ALB Ingress with its annotation prefix', () => {
    expect(
      parseTrafficArgs([...base, '--route', 'alb/shop', '--alb-annotation-prefix', 'custom.example.com']),
    ).toMatchObject({
      route: { kind: 'albingress', name: 'shop' },
      albAnnotationPrefix: 'custom.example.com',
    });
  });

  test.each([
    [[...base], 'exactly one of --selector LABELS and --route KIND/NAME is required'],
    [
      [...base, '--selector', 'a=b', '--route', 'svc/x'],
      'exactly one of --selector LABELS and --route KIND/NAME is required',
    ],
    [[...base, '--selector', 'a=b', '--header', 'x=1'], '--header applies to --route only'],
    [[...base, '--route', 'deployment/x'], '--route: expected KIND/NAME'],
    [[...base, '--route', 'svc/x', '--header', 'no-value'], '--header: expected NAME=VALUE, got "no-value"'],
    [[...base, '--route', 'svc/x', '--header-share', '0.5'], '--header-share needs at least one --header'],
    [
      [...base, '--route', 'svc/x', '--header', 'a=1', '--header-share', '2'],
      '--header-share: expected a number within 0..1',
    ],
    [[...base, '--route', 'svc/x', '--path', 'api'], '--path: expected an absolute path'],
    [[...base, '--route', 'svc/x', '--grpc-method', 'Check'], '--grpc-method: expected a gRPC method'],
    [
      [...base, '--route', 'svc/x', '--nginx-annotation-prefix', 'p'],
      '--nginx-annotation-prefix applies to --route ingress/NAME only',
    ],
    [
      [...base, '--route', 'ingress/x', '--alb-annotation-prefix', 'p'],
      '--alb-annotation-prefix applies to --route alb/NAME only',
    ],
    [
      [...base, '--route', 'httproute/x', '--protocol', 'tcp'],
      '--protocol applies to --route virtualservice/NAME only',
    ],
    [[...base, '--route', 'vs/x', '--protocol', 'udp'], '--protocol: expected http, tls or tcp, got "udp"'],
    [[...base, '--selector', 'a=b', '--protocol', 'tcp'], '--protocol applies to --route only'],
  ])('%j is refused', (argv, message) => {
    expect(() => parseTrafficArgs(argv)).toThrow(message);
  });
});
