import { TrafficModel } from './traffic-model';

const pod = (name: string, image: string, ready = true) => ({
  name,
  version: image.split(':')[1]!,
  image,
  ready,
});

describe('traffic model', () => {
  test('splits traffic evenly over ready pods and rejects by image', () => {
    const m = new TrafficModel(100, { badRatio: 0.5, goodRatio: 0 });
    const counts = m.advance(
      [pod('a', 'app:v1'), pod('b', 'app:v1'), pod('c', 'app:v2-errors'), pod('d', 'app:v2-errors', false)],
      3,
    );
    expect(counts).toEqual([
      { pod: 'a', version: 'v1', received: 100, rejected: 0 },
      { pod: 'b', version: 'v1', received: 100, rejected: 0 },
      { pod: 'c', version: 'v2-errors', received: 100, rejected: 50 },
      { pod: 'd', version: 'v2-errors', received: 0, rejected: 0 },
    ]);
    expect(m.rejectRatio()).toBeCloseTo(50 / 300);
  });

  test('fractions carry over, so small ticks add up exactly', () => {
    const m = new TrafficModel(10, { badRatio: 0, goodRatio: 0.1 });
    for (let i = 0; i < 100; i++)
      m.advance([pod('a', 'app:v1'), pod('b', 'app:v1'), pod('c', 'app:v1')], 0.01);
    const total = m.snapshot().reduce((n, c) => n + c.received, 0);
    expect(total).toBeGreaterThanOrEqual(9);
    expect(total).toBeLessThanOrEqual(10);
  });

  test('a pod that is gone takes its counters with it', () => {
    const m = new TrafficModel(100, { badRatio: 1, goodRatio: 0 });
    m.advance([pod('old', 'app:v1-errors')], 1);
    expect(m.rejectRatio()).toBe(1);
    m.advance([pod('new', 'app:v2')], 1);
    expect(m.snapshot().map((c) => c.pod)).toEqual(['new']);
    expect(m.rejectRatio()).toBe(0);
    expect(new TrafficModel(1, { badRatio: 0, goodRatio: 0 }).rejectRatio()).toBeNaN();
  });
});
