import {
  type IntOrString,
  resolveFenceposts,
  resolveMaxSurge,
  resolveMaxUnavailable,
  scaleLegacyIntOrPercent,
} from './index';

describe('resolveFenceposts (Argo TestResolveFenceposts)', () => {
  it.each<[string, IntOrString | undefined, IntOrString | undefined, number, number, number]>([
    ['both 0% of nothing: one pod may still be unavailable', '0%', '0%', 0, 0, 1],
    ['39% of 10: surge rounds up, unavailability rounds down', '39%', '39%', 10, 4, 3],
    ['no maxSurge counts as 0', undefined, '39%', 10, 0, 3],
    ['no maxUnavailable counts as 0', '39%', undefined, 10, 4, 0],
    ['neither given: one pod may be unavailable', undefined, undefined, 10, 0, 1],
  ])('%s', (_name, maxSurge, maxUnavailable, replicas, surge, unavailable) => {
    const limits = {
      ...(maxSurge === undefined ? {} : { maxSurge }),
      ...(maxUnavailable === undefined ? {} : { maxUnavailable }),
    };
    expect(resolveFenceposts(limits, replicas)).toEqual({ maxSurge: surge, maxUnavailable: unavailable });
  });

  it('rejects a maxSurge that is not a percentage', () => {
    expect(() => resolveFenceposts({ maxSurge: 'oops', maxUnavailable: '39%' }, 10)).toThrow(RangeError);
  });

  it('rejects a maxUnavailable that is not a percentage', () => {
    expect(() => resolveFenceposts({ maxSurge: '55%', maxUnavailable: 'urg' }, 10)).toThrow(RangeError);
  });
});

describe('resolveMaxSurge (Argo TestMaxSurge; its blue-green row does not apply)', () => {
  it('an integer is taken as is', () => {
    expect(resolveMaxSurge({ maxSurge: 5, maxUnavailable: 1 }, 10)).toBe(5);
  });
  it('a percentage of the replicas', () => {
    expect(resolveMaxSurge({ maxSurge: '50%', maxUnavailable: 1 }, 10)).toBe(5);
  });
});

describe('resolveMaxUnavailable (Argo TestMaxUnavailable; its blue-green row does not apply)', () => {
  it.each<[string, number, IntOrString, number]>([
    ['less than the replicas', 10, 5, 5],
    ['equal to the replicas', 10, 10, 10],
    ['more than the replicas is capped', 5, 10, 5],
    ['no replicas, nothing can be unavailable', 0, 10, 0],
    ['a percentage below the replicas', 10, '50%', 5],
    ['a percentage equal to the replicas', 10, '100%', 10],
    ['100% of 5', 5, '100%', 5],
  ])('%s', (_name, replicas, maxUnavailable, expected) => {
    expect(resolveMaxUnavailable({ maxSurge: 1, maxUnavailable }, replicas)).toBe(expected);
  });
});

describe('scaleLegacyIntOrPercent', () => {
  it('reads a string without % as a percentage, as Argo does for maxSurge/maxUnavailable', () => {
    expect(scaleLegacyIntOrPercent('25', 8, true)).toBe(2);
  });
  it('rounds a percentage up or down as asked', () => {
    expect(scaleLegacyIntOrPercent('25%', 10, true)).toBe(3);
    expect(scaleLegacyIntOrPercent('25%', 10, false)).toBe(2);
  });
  it('rejects a fractional number', () => {
    expect(() => scaleLegacyIntOrPercent(1.5, 10, true)).toThrow(RangeError);
  });
});
