import { WeightedCarry } from './weighted-carry';

const w = (...weights: number[]) => weights.map((weight, i) => ({ id: `i${i}`, weight }));
const totals = (carry: WeightedCarry, calls: number, n: number, items: ReturnType<typeof w>) => {
  const sum = new Map<string, number>();
  for (let i = 0; i < calls; i++) {
    const given = carry.split('k', n, items);
    const live = items.some((i) => i.weight > 0);
    expect([...given.values()].reduce((a, b) => a + b, 0)).toBe(live ? n : 0);
    for (const [id, c] of given) sum.set(id, (sum.get(id) ?? 0) + c);
  }
  return Object.fromEntries(sum);
};

describe('WeightedCarry', () => {
  test.each([
    ['80/20, 1000 at once', w(80, 20), 1, 1000, { i0: 800, i1: 200 }],
    ['80/20, 1 at a time', w(80, 20), 1000, 1, { i0: 800, i1: 200 }],
    ['1/1/1, 1 at a time over 9', w(1, 1, 1), 9, 1, { i0: 3, i1: 3, i2: 3 }],
    ['a weight of 0 gets nothing', w(5, 0, 5), 10, 7, { i0: 35, i1: 0, i2: 35 }],
    ['quantities 0.9/0.1', w(0.9, 0.1), 100, 10, { i0: 900, i1: 100 }],
    ['all 0: nothing at all', w(0, 0), 3, 10, { i0: 0, i1: 0 }],
  ])('%s', (_name, items, calls, n, expected) => {
    expect(totals(new WeightedCarry(), calls, n, items)).toEqual(expected);
  });

  test('every running total stays within one request of its exact share', () => {
    const carry = new WeightedCarry();
    const items = w(7, 3, 11);
    const sum = [0, 0, 0];
    let sent = 0;
    for (let i = 0; i < 500; i++) {
      const n = (i * 7) % 5;
      sent += n;
      const given = carry.split('k', n, items);
      items.forEach((item, j) => {
        sum[j]! += given.get(item.id)!;
        expect(Math.abs(sum[j]! - (sent * item.weight) / 21)).toBeLessThan(1 + 1e-9);
      });
    }
  });

  test('take carries the fraction: 10% of 25, four times, is 10', () => {
    const carry = new WeightedCarry();
    expect([1, 2, 3, 4].map(() => carry.take('m', 25, 0.1))).toEqual([2, 3, 2, 3]);
  });

  test('sweep forgets the ledgers a round did not use', () => {
    const carry = new WeightedCarry();
    carry.split('a', 1, w(1, 1));
    carry.sweep();
    carry.sweep();
    // A fresh ledger starts with no credit: the first item gets the first request again.
    expect(carry.split('a', 1, w(1, 1)).get('i0')).toBe(1);
    carry.sweep();
    // Used in the last round: its credit is kept, the second item is owed.
    expect(carry.split('a', 1, w(1, 1)).get('i1')).toBe(1);
  });
});
