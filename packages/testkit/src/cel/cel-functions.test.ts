// The Kubernetes CEL library functions testkit adds, with the Kubernetes semantics.
import { celList, isCelError, parse, plan } from '@bufbuild/cel';
import { CostMeter, metered } from './cel-cost';
import { validationEnv } from './cel-env';

function run(expr: string, self: unknown = null): unknown {
  const program = plan(validationEnv(), parse(expr));
  const result = metered(new CostMeter(1_000_000), () =>
    program({ self: Array.isArray(self) ? celList(self) : (self as string) }),
  );
  return isCelError(result) ? `error: ${result.message}` : result;
}

describe('Kubernetes CEL libraries', () => {
  test.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['2001:db8::abcd', true],
    ['1:2:3:4:5:6:7:8', true],
    ['::ffff:1.2.3.4', false],
    ['fe80::1%eth0', false],
    ['192.168.00.1', false],
    ['127.0.0.256', false],
    [':::1', false],
    ['example.com', false],
    ['1.2.3', false],
  ])('isIP(%s) is %s', (ip, expected) => {
    expect(run('isIP(self)', ip)).toBe(expected);
  });

  test('isCIDR and ip.isCanonical', () => {
    expect(run("isCIDR('10.0.0.0/8') && isCIDR('2001:db8::/32') && isCIDR('192.168.0.1/24')")).toBe(true);
    expect(run("isCIDR('10.0.0.0/33') || isCIDR('10.0.0.0') || isCIDR('10.0.0.0/08')")).toBe(false);
    expect(run("ip.isCanonical('2001:db8::abcd') && ip.isCanonical('127.0.0.1')")).toBe(true);
    expect(run("ip.isCanonical('2001:DB8::ABCD') || ip.isCanonical('2001:db8::0:0:0:abcd')")).toBe(false);
  });

  test('matches, find and findAll are RE2 (a partial match; (?i) flags)', () => {
    expect(run("'Hello.World'.matches('^[a-z.]+$')")).toBe(false);
    expect(run("'Hello.World'.matches('(?i)^[a-z.]+$')")).toBe(true);
    expect(run("'abc123def45'.matches('[0-9]')")).toBe(true);
    expect(run("matches('abc', 'b')")).toBe(true);
    expect(run("'abc123def45'.find('[0-9]+')")).toBe('123');
    expect(run("'abc123def45'.findAll('[0-9]+')")).toEqual(celList(['123', '45']));
    expect(run("'abc123def45'.findAll('[0-9]+', 1)")).toEqual(celList(['123']));
  });

  test('strings: split, substring, contains, startsWith, endsWith, lowerAscii, join', () => {
    expect(run(`"example.com/key".split("/")[0].size() < 253`)).toBe(true);
    expect(run("'*.example.com'.substring(2)")).toBe('example.com');
    expect(run("'/a//b'.contains('//') && '/a'.startsWith('/') && '/a/..'.endsWith('/..')")).toBe(true);
    expect(run("'ABC'.lowerAscii() == 'abc' && ['a', 'b'].join('-') == 'a-b'")).toBe(true);
  });

  test('lists: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
    expect(run('[1, 2, 3].isSorted() && ![2, 1].isSorted()')).toBe(true);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3')).toBe(true);
    expect(run("['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2")).toBe(true);
  });

  test('sets: contains, equivalent, intersects', () => {
    expect(run('sets.contains([1, 2, 3], [3, 1]) && sets.equivalent([1, 2], [2, 1, 1])')).toBe(true);
    expect(run('sets.intersects([1, 2], [3])')).toBe(false);
  });

  test('macros: all, exists, exists_one, filter, map; has and size', () => {
    expect(
      run('self.all(x, x > 0) && self.exists(x, x == 2) && self.exists_one(x, x == 3)', [1n, 2n, 3n]),
    ).toBe(true);
    expect(run('self.filter(x, x > 1).size() == 2 && self.map(x, x * 2) == [2, 4, 6]', [1n, 2n, 3n])).toBe(
      true,
    );
    expect(run("has({'a': 1}.a) && !has({'a': 1}.b) && size('abc') == 3")).toBe(true);
  });

  test('durations compare as durations (the Gateway API timeouts rule)', () => {
    expect(run("duration('1h') > duration('59m') && duration('500ms') < duration('1s')")).toBe(true);
  });
});
