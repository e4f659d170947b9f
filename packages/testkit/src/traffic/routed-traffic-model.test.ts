import { canaryWorld, pod, service } from '../testing/traffic/world';
import { httpRouteRouter } from './httproute-split';
import { requestMix } from './request-mix';
import { RoutedTrafficModel } from './routed-traffic-model';
import { ServiceWorld } from './service-endpoints';
import { serviceRouter } from './service-split';

const route = (rules: unknown[]) => ({ spec: { rules } });
const ref = (name: string, weight?: number) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
});

describe('routed traffic model', () => {
  test('rejections by image, client-facing and mirrored apart', () => {
    const world = new ServiceWorld(
      'default',
      [service('good', { v: '1' }), service('bad', { v: '2' })],
      [
        pod('g', { v: '1', 'rollouts-pod-template-hash': 'h1' }),
        pod('b', { v: '2', 'rollouts-pod-template-hash': 'h2' }, { image: 'shop:v2-errors' }),
      ],
    );
    const model = new RoutedTrafficModel(100, { badRatio: 0.5, goodRatio: 0.01 }, requestMix());
    const router = httpRouteRouter(
      route([
        {
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('bad'), percent: 40 } }],
          backendRefs: [ref('good', 3), ref('bad', 1)],
        },
      ]),
      world,
      'HTTPRoute default/r',
    );
    const counts = model.advance(router, world, 10);
    expect(counts.pods).toEqual([
      {
        backend: 'good',
        pod: 'g',
        version: 'h1',
        received: 750,
        rejected: 7,
        mirrored: 0,
        mirroredRejected: 0,
      },
      {
        backend: 'bad',
        pod: 'b',
        version: 'h2',
        received: 250,
        rejected: 125,
        mirrored: 400,
        mirroredRejected: 200,
      },
    ]);
    expect(model.rejectRatio()).toBeCloseTo(132 / 1000);
  });

  test('the request rate carries its fractions: 100/s in ticks of 3 ms adds up', () => {
    const world = canaryWorld();
    const model = new RoutedTrafficModel(100, { badRatio: 0, goodRatio: 0 }, requestMix());
    for (let i = 0; i < 1000; i++) model.advance(serviceRouter('shop', world), world, 0.003);
    const counts = model.snapshot();
    expect(counts.sent).toBe(300);
    expect(counts.pods.reduce((n, c) => n + c.received, 0)).toBe(300);
  });

  test('a pod that is gone takes its counters with it; a new one starts at 0', () => {
    const model = new RoutedTrafficModel(100, { badRatio: 0, goodRatio: 0 }, requestMix());
    const before = new ServiceWorld('default', [service('s', { app: 'a' })], [pod('old', { app: 'a' })]);
    model.advance(serviceRouter('s', before), before, 1);
    const after = new ServiceWorld('default', [service('s', { app: 'a' })], [pod('new', { app: 'a' })]);
    const counts = model.advance(serviceRouter('s', after), after, 1);
    expect(counts.pods.map((p) => [p.pod, p.received])).toEqual([['new', 100]]);
  });

  test('mirrored copies with no ready pod to go to are dropped and counted as such', () => {
    const world = canaryWorld({ canaryReady: false });
    const model = new RoutedTrafficModel(100, { badRatio: 0, goodRatio: 0 }, requestMix());
    const router = httpRouteRouter(
      route([
        {
          filters: [
            { type: 'RequestMirror', requestMirror: { backendRef: ref('shop-canary'), percent: 50 } },
          ],
          backendRefs: [ref('shop-stable')],
        },
      ]),
      world,
      'HTTPRoute default/r',
    );
    const counts = model.advance(router, world, 10);
    expect(counts.mirrorsDropped).toBe(500);
    expect(counts.pods.reduce((n, c) => n + c.mirrored, 0)).toBe(0);
  });

  test('weights that change between ticks take effect at once, the totals stay exact', () => {
    const world = canaryWorld();
    const model = new RoutedTrafficModel(100, { badRatio: 0, goodRatio: 0 }, requestMix());
    const at = (canary: number) =>
      httpRouteRouter(
        route([{ backendRefs: [ref('shop-stable', 100 - canary), ref('shop-canary', canary)] }]),
        world,
        'r',
      );
    for (let i = 0; i < 10; i++) model.advance(at(20), world, 1);
    for (let i = 0; i < 10; i++) model.advance(at(60), world, 1);
    const canary = model.snapshot().pods.filter((p) => p.backend === 'shop-canary');
    expect(canary.reduce((n, c) => n + c.received, 0)).toBe(200 + 600);
  });

  test('without traffic the reject ratio is NaN', () => {
    expect(new RoutedTrafficModel(1, { badRatio: 0, goodRatio: 0 }, requestMix()).rejectRatio()).toBeNaN();
  });
});
