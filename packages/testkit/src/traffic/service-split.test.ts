import { answersOf, byBackend, canaryWorld, pod, send, service } from '../testing/traffic/world';
import { ServiceWorld } from './service-endpoints';
import { serviceRouter } from './service-split';

describe('a plain Service: the traffic spreads over its ready pods', () => {
  test("every version's ready pods share the requests evenly", () => {
    const world = canaryWorld();
    const counts = send(() => serviceRouter('shop', world), world);
    expect(byBackend(counts)).toEqual({ shop: 1000 });
    expect(counts.pods.map((p) => [p.pod, p.version, p.received])).toEqual([
      ['canary-0', 'c2', 200],
      ['stable-0', 's1', 200],
      ['stable-1', 's1', 200],
      ['stable-2', 's1', 200],
      ['stable-3', 's1', 200],
    ]);
  });

  test('pods not ready get nothing', () => {
    const world = canaryWorld({ canaryReady: false });
    const counts = send(() => serviceRouter('shop', world), world);
    expect(counts.pods.filter((p) => p.received > 0).map((p) => p.pod)).toEqual([
      'stable-0',
      'stable-1',
      'stable-2',
      'stable-3',
    ]);
  });

  test('a Service with no ready pods refuses every connection', () => {
    const world = canaryWorld({ canaryReady: false });
    const counts = send(() => serviceRouter('shop-canary', world), world);
    expect(byBackend(counts)).toEqual({});
    expect(answersOf(counts)).toEqual({ 'refused shop-canary': 1000 });
  });

  test('a Service that does not exist cannot be resolved, reported', () => {
    const world = canaryWorld();
    const counts = send(() => serviceRouter('nowhere', world), world);
    expect(answersOf(counts)).toEqual({ 'unresolved nowhere': 1000 });
    expect(counts.problems).toEqual([
      {
        object: 'Service default/nowhere',
        field: '',
        message: 'not found: clients cannot resolve it, every request fails',
      },
    ]);
  });

  test('a Service without a selector has no endpoints here, reported', () => {
    const world = new ServiceWorld('default', [service('manual', undefined)], [pod('a', { app: 'x' })]);
    const counts = send(() => serviceRouter('manual', world), world);
    expect(answersOf(counts)).toEqual({ 'refused manual': 1000 });
    expect(counts.problems.map((p) => p.field)).toEqual(['spec.selector']);
  });
});
