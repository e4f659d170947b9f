import { parseFlags } from './flags';
import { createLogger, formatTextLine } from './logging';

test('defaults', () => {
  expect(parseFlags([])).toEqual({
    kind: 'run',
    flags: {
      kubeconfig: undefined,
      namespace: undefined,
      rolloutThreads: 10,
      analysisThreads: 10,
      qps: 40,
      burst: 80,
      logLevel: 'info',
      logFormat: 'json',
    },
  });
});

test('every flag', () => {
  const parsed = parseFlags([
    '--kubeconfig=/tmp/k',
    '--namespace',
    'team-a',
    '--rollout-threads',
    '4',
    '--analysis-threads=2',
    '--qps',
    '12.5',
    '--burst',
    '20',
    '--log-level',
    'debug',
    '--log-format',
    'text',
  ]);
  expect(parsed).toEqual({
    kind: 'run',
    flags: {
      kubeconfig: '/tmp/k',
      namespace: 'team-a',
      rolloutThreads: 4,
      analysisThreads: 2,
      qps: 12.5,
      burst: 20,
      logLevel: 'debug',
      logFormat: 'text',
    },
  });
  expect(parseFlags(['-h'])).toEqual({ kind: 'help' });
});

test.each([
  [['--rollout-threads', '0'], '--rollout-threads must be a whole number of at least 1, got "0"'],
  [['--rollout-threads', '2.5'], '--rollout-threads must be a whole number of at least 1, got "2.5"'],
  [['--qps', 'fast'], '--qps must be a number above 0, got "fast"'],
  [['--burst=-1'], '--burst must be a whole number of at least 1, got "-1"'],
  [
    ['--log-level', 'loud'],
    '--log-level must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
  ],
  [['--log-format', 'xml'], '--log-format must be json or text, got "xml"'],
  [['--kubeconfig='], '--kubeconfig must not be empty'],
  [['extra'], 'unexpected argument "extra"'],
  [['--frobnicate'], "Unknown option '--frobnicate'"],
  [['--qps'], "Option '--qps <value>' argument missing"],
])('bad flags %j: a clear message', (argv, message) => {
  const parsed = parseFlags(argv);
  expect(parsed.kind).toBe('error');
  expect(parsed.kind === 'error' && parsed.message).toContain(message);
});

test('text logs: time, level, message, then namespace and rollout first', () => {
  expect(
    formatTextLine(
      JSON.stringify({
        level: 'info',
        time: '2025-01-01T00:00:00.000Z',
        pid: 1,
        msg: 'reconciled',
        writes: ['a b'],
        rollout: 'web',
        namespace: 'shop',
      }),
    ),
  ).toBe('2025-01-01T00:00:00.000Z INFO  reconciled namespace=shop rollout=web writes="[\\"a b\\"]"\n');
});

test('the logger writes JSON by default and text when asked, with level names', () => {
  const lines: string[] = [];
  const out = { write: (s: string) => lines.push(s) };
  createLogger({ out }).child({ namespace: 'ns', rollout: 'r' }).info({ step: 1 }, 'hello');
  createLogger({ out, format: 'text' }).child({ namespace: 'ns', rollout: 'r' }).warn('careful');
  createLogger({ out, level: 'warn' }).info('dropped');
  expect(JSON.parse(lines[0]!)).toMatchObject({
    level: 'info',
    namespace: 'ns',
    rollout: 'r',
    step: 1,
    msg: 'hello',
  });
  expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}careful namespace=ns rollout=r\n$/);
  expect(lines).toHaveLength(2);
});
