import { roundValues } from './live-view';

test.each([
  ['[0.004374856090260189]', '[0.0044]'],
  ['0.05172413793103448', '0.0517'],
  ['[0.1415, 0.25]', '[0.1415, 0.25]'],
  ['[0]', '[0]'],
  ['12.345678', '12.3457'],
  ['1.2e-7', '1.2e-7'],
  ['3.3333333e-7', '3.3e-7'],
  ['NaN', 'NaN'],
  ['{"rejectRatio":0.00437485}', '{"rejectRatio":0.0044}'],
])('the demo shows %s as %s', (value, shown) => {
  expect(roundValues(value)).toBe(shown);
});
