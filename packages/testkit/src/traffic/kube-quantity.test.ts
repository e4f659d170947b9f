import { parseQuantity } from './kube-quantity';

describe('parseQuantity', () => {
  test.each([
    ['500m', 0.5],
    ['1', 1],
    ['100m', 0.1],
    ['2k', 2000],
    ['1Ki', 1024],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['25E-2', 0.25],
    ['3M', 3_000_000],
    [20, 20],
    [0.25, 0.25],
  ])('%p is %p', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  test.each([['lots'], ['1x'], [''], ['m'], [null], [{}], [Number.NaN]])('%p is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
