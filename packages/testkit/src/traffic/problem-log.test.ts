import { formatProblem, ProblemLog } from './problem-log';

const p = (field: string, message: string) => ({ object: 'HTTPRoute default/shop', field, message });

describe('ProblemLog', () => {
  test('logs a problem once when it appears, once when it is gone', () => {
    const log = new ProblemLog();
    const weight = p('spec.rules[0].backendRefs[1].weight', 'expected an integer');
    expect(log.update([weight])).toEqual([
      'HTTPRoute default/shop: spec.rules[0].backendRefs[1].weight: expected an integer',
    ]);
    expect(log.update([weight])).toEqual([]);
    expect(log.update([])).toEqual([
      'resolved: HTTPRoute default/shop: spec.rules[0].backendRefs[1].weight: expected an integer',
    ]);
    expect(log.update([])).toEqual([]);
  });

  test('a problem about the whole object has no field', () => {
    expect(formatProblem(p('', 'not found'))).toBe('HTTPRoute default/shop: not found');
  });
});
