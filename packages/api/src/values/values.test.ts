import { formatDuration, parseGoDuration, parseSecondsOrDuration } from './duration';
import { intFromIntOrString, scaleIntOrPercent } from './int-or-percent';
import { formatLabelSelector, selectorMatches } from './label-selector';
import { labelKeyProblem, labelValueProblem } from './labels';
import { parseQuantity } from './quantity';

describe('durations', () => {
  test.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['0', 0],
    ['2h45m30s', 9_930_000],
  ])('Go duration %s = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toEqual({ ok: true, ms });
  });

  test.each([
    ['30', 'has no unit'],
    ['', 'is empty'],
    ['5 minutes', 'is not a duration'],
    ['1d', 'is not a duration'],
    ['m5', 'is not a duration'],
  ])('Go duration %p is rejected: %s', (text, reason) => {
    expect(parseGoDuration(text)).toEqual({ ok: false, reason });
  });

  test.each([
    [30, 30_000],
    ['30', 30_000],
    ['1h', 3_600_000],
    ['48h', 172_800_000],
  ])('pause duration %p = %d ms (a bare number is seconds)', (value, ms) => {
    expect(parseSecondsOrDuration(value)).toEqual({ ok: true, ms });
  });

  test('fractional seconds as a number are rejected', () => {
    expect(parseSecondsOrDuration(1.5).ok).toBe(false);
  });

  test('formats durations for messages', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m0s');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(250)).toBe('250ms');
  });
});

describe('quantities', () => {
  test.each([
    ['500m', 0.5],
    ['1', 1],
    ['100m', 0.1],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1Ki', 1024],
    ['2k', 2000],
    ['3M', 3_000_000],
    ['1e3', 1000],
    ['25E-2', 0.25],
    ['1.5', 1.5],
    ['.5', 0.5],
    [2, 2],
    [0.25, 0.25],
  ])('%p = %d', (q, n) => {
    expect(parseQuantity(q)).toBeCloseTo(n, 12);
  });

  // The SMI traffic model reports a weight as it reads it: "9m" must read as 0.009, not 0.009000000000000001.
  test.each([
    ['9m', 0.009],
    ['13e-3', 0.013],
    ['5u', 0.000005],
    ['3n', 3e-9],
    ['1.1k', 1100],
    ['0.1', 0.1],
  ])('%p is the double nearest the exact decimal, %p', (q, n) => {
    expect(parseQuantity(q)).toBe(n);
  });

  test.each(['invalid', '1.2.3', '10 Mi', 'Mi', 'm', '1x', '5mb', ''])('%p is not a quantity', (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });

  test.each([[null], [undefined], [{}], [['1']], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    '%p, neither a string nor a finite number, is not a quantity',
    (v) => {
      expect(parseQuantity(v)).toBeUndefined();
    },
  );
});

describe('IntOrString', () => {
  test('percentages scale and round as Kubernetes does', () => {
    expect(scaleIntOrPercent('25%', 5, true)).toBe(2);
    expect(scaleIntOrPercent('25%', 5, false)).toBe(1);
    expect(scaleIntOrPercent(3, 5, true)).toBe(3);
    expect(scaleIntOrPercent('3', 5, true)).toBe(3);
    expect(scaleIntOrPercent('x', 5, true)).toBeUndefined();
  });

  test('limits given as strings', () => {
    expect(intFromIntOrString('4')).toBe(4);
    expect(intFromIntOrString('-1')).toBe(-1);
    expect(intFromIntOrString('{{args.limit}}')).toBeUndefined();
    expect(intFromIntOrString(undefined)).toBeUndefined();
  });
});

describe('labels', () => {
  test('values', () => {
    expect(labelValueProblem('myapp')).toBeUndefined();
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('<HASH>')).toMatch(/must be empty or start and end/);
    expect(labelValueProblem('a'.repeat(64))).toMatch(/63/);
  });
  test('keys', () => {
    expect(labelKeyProblem('app')).toBeUndefined();
    expect(labelKeyProblem('app.kubernetes.io/name')).toBeUndefined();
    expect(labelKeyProblem('Bad Key')).toBeDefined();
    expect(labelKeyProblem('UPPER.example/x')).toMatch(/prefix/);
  });
});

describe('label selectors as Kubernetes formats them (metav1.FormatLabelSelector)', () => {
  test.each([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=web,canary,env notin (dev),!legacy,tier in (a,b)',
    ],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] }, 'app in (x)'],
    [{}, '<none>'],
    [undefined, '<none>'],
  ])('%j is %s', (selector, text) => {
    expect(formatLabelSelector(selector)).toBe(text);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  test.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector as Parameters<typeof selectorMatches>[0], labels)).toBe(expected);
  });
});
