import { evaluateTimeExpression, parseGoDuration, parseRfc3339 } from './time-expression';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const at = (expression: string) => evaluateTimeExpression(expression, NOW).toISOString();

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['10s', 10_000],
    ['250ms', 250],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['-2m', -120_000],
    ['+.5s', 500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['??', 'time: invalid duration "??"'],
    ['5', 'time: missing unit in duration "5"'],
    ['5d', 'time: unknown unit "d" in duration "5d"'],
    ['.s', 'time: invalid duration ".s"'],
  ])('%j is rejected with Go wording', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('evaluateTimeExpression', () => {
  it.each([
    ['now()', '2024-05-01T10:00:00.000Z'],
    ['  now ( )  ', '2024-05-01T10:00:00.000Z'],
    ['now() - duration("5m")', '2024-05-01T09:55:00.000Z'],
    ["now()-duration('1h')+duration('30s')", '2024-05-01T09:00:30.000Z'],
    ['now() + duration(`1m`)', '2024-05-01T10:01:00.000Z'],
    ['date("2024-01-02T03:04:05Z")', '2024-01-02T03:04:05.000Z'],
    ['date("2024-01-02T03:04:05+01:00") - duration("1h")', '2024-01-02T01:04:05.000Z'],
    ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123Z'],
    ['"2024-01-02t03:04:05z"', '2024-01-02T03:04:05.000Z'],
  ])('%s → %s', (expression, iso) => {
    expect(at(expression)).toBe(iso);
  });

  it.each([
    ['now', /unsupported time expression "now"/],
    ['now() * 2', /unsupported time expression/],
    ['now() - 5m', /unsupported time expression/],
    ['yesterday()', /unsupported time expression/],
    ['now() - duration("5m"', /unsupported time expression/],
    ['now() - duration("5m)', /unterminated string/],
    ['date("2024-01-02")', /is not an RFC 3339 time/],
    [
      'date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC")',
      /date\(\) with a layout or a time zone is not supported/,
    ],
    ['2024-01-02T03:04:05', /unsupported time expression/],
  ])('%s is rejected', (expression, message) => {
    expect(() => at(expression)).toThrow(message);
  });

  it('does not change the clock it is given', () => {
    at('now() - duration("1h")');
    expect(NOW.toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });
});

describe('parseRfc3339', () => {
  it('rejects impossible dates', () => {
    expect(() => parseRfc3339('2024-13-45T99:00:00Z')).toThrow(/not a valid time/);
  });
});
