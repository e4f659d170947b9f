import { compileRegex, RegexError } from './regex';

/** [pattern, text, matches] with Go regexp (RE2) semantics: unanchored search, `$` only at the very end. */
const cases: readonly (readonly [string, string, boolean])[] = [
  ['^2', '200', true],
  ['^2', '500', false],
  ['2', '120', true],
  ['', '', true],
  ['a|', 'zzz', true],
  ['^$', '', true],
  ['^$', 'x', false],
  ['a$', 'a\n', false],
  ['(?m)a$', 'a\nb', true],
  ['(?m)^b', 'a\nb', true],
  ['^b', 'a\nb', false],
  ['\\Aab\\z', 'ab', true],
  ['\\Aab\\z', 'abc', false],
  ['a.b', 'a\nb', false],
  ['(?s)a.b', 'a\nb', true],
  ['^.$', '😀', true],
  ['^..$', 'é😀', true],
  ['\\d+', 'abc123', true],
  ['^\\d+$', '12a', false],
  ['^\\w+$', 'snake_case9', true],
  ['^\\w+$', 'héllo', false],
  ['^\\s*$', ' \t\n', true],
  ['^\\D\\W\\S$', 'a-b', true],
  ['^[a-c]+$', 'abcabc', true],
  ['^[^a-c]+$', 'xyz', true],
  ['^[^a-c]+$', 'xaz', false],
  ['^[]a]+$', ']a]', true],
  ['^[a-]+$', '-a-', true],
  ['^[\\d.]+$', '1.5', true],
  ['^[\\]\\\\]+$', ']\\', true],
  ['^[[:digit:]]+$', '123', true],
  ['^[[:alpha:][:digit:]]+$', 'a1', true],
  ['^[[:^digit:]]+$', 'abc', true],
  ['^[^\\d]$', '5', false],
  ['colou?r', 'color', true],
  ['colou?r', 'colouur', false],
  ['^x{2}$', 'xx', true],
  ['^x{2}$', 'xxx', false],
  ['^x{2,}$', 'xxxx', true],
  ['^x{2,3}$', 'xxxx', false],
  ['^x{0}$', '', true],
  ['a{', 'a{', true],
  ['a{,3}', 'a{,3}', true],
  ['^(ab)+$', 'ababab', true],
  ['^(ab)+$', 'ababa', false],
  ['^(?:a|bc)*$', 'abca', true],
  ['^(?P<first>a)(?<second>b)$', 'ab', true],
  ['a+?b', 'aaab', true],
  ['^a*?$', 'aaa', true],
  ['\\.', 'a.b', true],
  ['\\.', 'ab', false],
  ['^\\$\\^\\*\\+\\?\\(\\)\\[\\{\\|\\/$', '$^*+?()[{|/', true],
  ['\\x41', 'A', true],
  ['\\x{1F600}', 'smile 😀', true],
  ['\\t\\n', 'a\t\nb', true],
  ['\\Q.*+\\E', 'a.*+b', true],
  ['\\Q.*+\\E', 'abc', false],
  ['\\bcat\\b', 'a cat!', true],
  ['\\bcat\\b', 'concat', false],
  ['\\Bcat', 'concat', true],
  ['(?i)error', 'An ERROR occurred', true],
  ['(?i)^[a-z]+$', 'MiXeD', true],
  ['(?i)[^a]', 'A', false],
  ['(?i:a)b', 'Ab', true],
  ['(?i:a)b', 'AB', false],
  ['(?i)a(?-i)b', 'Ab', true],
  ['(?i)a(?-i)b', 'AB', false],
  ['(?i)É', 'é', true],
  ['(a|ab)(c|bcd)(d*)', 'abcd', true],
  ['^(\\d{1,3}\\.){3}\\d{1,3}$', '10.0.0.1', true],
  ['^(\\d{1,3}\\.){3}\\d{1,3}$', '10.0.0', false],
  ['^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', 'ops@example.com', true],
  ['^(a*)*$', 'aaaa', true],
  ['(a*)+b', 'aaaa', false],
  ['^[\\d-z]+$', '1-z', true],
  ['^\\p{Greek}+$', 'αβγ', true],
  ['^\\PL+$', '123', true],
  ['^\\pL+$', 'héllo', true],
  ['\\101', 'A', true],
  ['(?U)a+', 'aaa', true],
];

describe('regular expressions (RE2 syntax)', () => {
  test.each(cases)('%j on %j: %s', (pattern, text, expected) => {
    expect(compileRegex(pattern).test(text)).toBe(expected);
  });

  test.each([
    ['(a)\\1', 'invalid escape sequence in `\\1` (RE2 syntax has no backreferences)'],
    ['(?=a)', 'invalid or unsupported Perl syntax in `(?=` (RE2 syntax has no lookahead or lookbehind)'],
    ['(?<!a)b', 'invalid named capture (RE2 syntax has no lookahead or lookbehind)'],
    ['a(?<=b)', 'invalid named capture in `(?<=b)` (RE2 syntax has no lookahead or lookbehind)'],
    ['a**', 'invalid nested repetition operator in `**`'],
    ['a{2}{3}', 'invalid nested repetition operator in `{2}{3}`'],
    ['*a', 'missing argument to repetition operator in `*`'],
    ['{2}', 'missing argument to repetition operator'],
    ['[b-a]', 'invalid character class range in `b-a`'],
    ['[[:nope:]]', 'invalid character class range in `[:nope:]`'],
    ['(', 'missing closing )'],
    ['a(', 'missing closing )'],
    [')', 'unexpected )'],
    ['x[a', 'missing closing ] in `[a`'],
    ['a\\', 'trailing backslash at end of expression'],
    ['\\e', 'invalid escape sequence'],
    ['\\x{110000}', 'invalid escape sequence in `\\x{110000`'],
    ['\\p{Nope}', 'invalid character class range'],
    ['(?x)a', 'invalid or unsupported Perl syntax in `(?x`'],
    ['(?P<>a)', 'invalid named capture in `(?P<>`'],
    ['a{1001}', 'invalid repeat count in `{1001}`'],
    ['a{3,2}', 'invalid repeat count in `{3,2}`'],
    ['(a{100}){100}', 'invalid repeat count in `{100}`'],
  ])('%j is refused: %s', (pattern, reason) => {
    expect(() => compileRegex(pattern)).toThrow(
      new RegexError(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`),
    );
  });

  test('programs are bounded after expanding repetitions', () => {
    expect(() => compileRegex('a{1000}'.repeat(6))).toThrow(
      /is too large once repetitions are expanded \(\d+ instructions; the limit is 5000\)/,
    );
    expect(() => compileRegex('x'.repeat(1_001))).toThrow(
      'regular expression is 1001 characters long; the limit is 1000',
    );
  });

  test('work is bounded by program size times text length', () => {
    const regex = compileRegex('(a?){999}');
    expect(regex.test('a'.repeat(100))).toBe(true);
    expect(() => regex.test('a'.repeat(20_000))).toThrow(/is too complex for a text of 20000 characters/);
  });

  test('catastrophic patterns finish on long texts', () => {
    const long = 'a'.repeat(100_000);
    expect(compileRegex('(a+)+$').test(long)).toBe(true);
    expect(compileRegex('(a+)+b$').test(long)).toBe(false);
    expect(compileRegex('.*.*x').test(long)).toBe(false);
    expect(compileRegex('^(a|aa)*$').test(`${long.slice(1)}!`)).toBe(false);
  });

  test('compiled patterns are cached', () => {
    expect(compileRegex('^cached$')).toBe(compileRegex('^cached$'));
  });
});
