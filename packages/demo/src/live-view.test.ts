import { describe as line, roundValues } from './live-view';
import { pausedAt20 } from './testing/observed';

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

test('a line without a route: phase, step, weight, pods, analysis (as the default demo prints it)', () => {
  expect(line(pausedAt20())).toBe(
    'Paused      step 1/4  weight  20%  pods: v1 5/5  v2 1/1  analysis Running ✔2 ✖0 last [0.0044]',
  );
});

test("with --gateway-api the route's weights come after the step's weight", () => {
  expect(line({ ...pausedAt20(), route: { stable: 80, canary: 20 } })).toBe(
    'Paused      step 1/4  weight  20%  route: stable  80 canary  20  pods: v1 5/5  v2 1/1  analysis Running ✔2 ✖0 last [0.0044]',
  );
});

test('a route that cannot be read, or does not name a Service, shows ?', () => {
  expect(line({ ...pausedAt20(), route: { stable: 100 } })).toContain('route: stable 100 canary   ?  pods:');
  expect(line({ ...pausedAt20(), route: {} })).toContain('route: stable   ? canary   ?  pods:');
});
