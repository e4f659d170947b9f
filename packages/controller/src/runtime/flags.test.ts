import { parseFlags } from './flags';
import { createLogger, formatTextLine } from './logging';

const OPERATIONS_DEFAULTS = {
  metricsPort: 8090,
  healthPort: 8080,
  namespaced: false,
  trafficSplitApiVersion: 'v1alpha1',
  leaderElect: true,
  leaderElectionNamespace: 'default',
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

test('defaults', () => {
  expect(parseFlags([], {})).toEqual({
    kind: 'run',
    flags: {
      kubeconfig: undefined,
      namespace: undefined,
      rolloutThreads: 10,
      analysisThreads: 10,
      rolloutResyncMs: 900_000,
      qps: 40,
      burst: 80,
      logLevel: 'info',
      logFormat: 'json',
      ...OPERATIONS_DEFAULTS,
    },
  });
});

test('every flag', () => {
  const parsed = parseFlags(
    [
      '--kubeconfig=/tmp/k',
      '--namespace',
      'team-a',
      '--rollout-threads',
      '4',
      '--analysis-threads=2',
      '--rollout-resync',
      '300',
      '--qps',
      '12.5',
      '--burst',
      '20',
      '--log-level',
      'debug',
      '--log-format',
      'text',
      '--traffic-split-api-version',
      'v1alpha3',
    ],
    {},
  );
  expect(parsed).toEqual({
    kind: 'run',
    flags: {
      kubeconfig: '/tmp/k',
      namespace: 'team-a',
      rolloutThreads: 4,
      analysisThreads: 2,
      rolloutResyncMs: 300_000,
      qps: 12.5,
      burst: 20,
      logLevel: 'debug',
      logFormat: 'text',
      ...OPERATIONS_DEFAULTS,
      trafficSplitApiVersion: 'v1alpha3',
    },
  });
  expect(parseFlags(['-h'])).toEqual({ kind: 'help' });
});

test.each([
  [['--rollout-threads', '0'], '--rollout-threads must be a whole number of at least 1, got "0"'],
  [['--rollout-threads', '2.5'], '--rollout-threads must be a whole number of at least 1, got "2.5"'],
  [['--qps', 'fast'], '--qps must be a number above 0, got "fast"'],
  ...['soon', '-5', '1.5', '500ms', '-1m', '', '15'.repeat(12)].map((bad): [string[], string] => [
    [`--rollout-resync=${bad}`],
    '--rollout-resync must be a whole number of seconds such as 900, a duration of at least 1s such as ' +
      `15m, or 0 to turn it off, got "${bad}"`,
  ]),
  [['--burst=-1'], '--burst must be a whole number of at least 1, got "-1"'],
  [
    ['--log-level', 'loud'],
    '--log-level must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
  ],
  [['--log-format', 'xml'], '--log-format must be json or text, got "xml"'],
  [['--kubeconfig='], '--kubeconfig must not be empty'],
  [['extra'], 'unexpected argument "extra"'],
  [['--frobnicate'], "Unknown option '--frobnicate'"],
  [
    ['--traffic-split-api-version', 'v2'],
    '--traffic-split-api-version must be one of v1alpha1, v1alpha2, v1alpha3, v1alpha4, got "v2"',
  ],
  [['--qps'], "Option '--qps <value>' argument missing"],
  [['--metrics-port', '70000'], '--metrics-port must be a port number from 0 to 65535, got "70000"'],
  [['--leader-elect=maybe'], '--leader-elect must be true or false, got "maybe"'],
  [['--instance-id', 'a b'], '--instance-id must be a label value'],
  [
    ['--leader-election-lease-duration', '15'],
    '--leader-election-lease-duration must be a duration above 0 such as 15s or 1m30s, got "15"',
  ],
  [
    ['--leader-election-lease-duration=5s'],
    'leader election: the lease duration must be longer than the renew deadline',
  ],
  [
    ['--leader-election-renew-deadline=2s'],
    'leader election: the renew deadline must be longer than 1.2 × the retry period',
  ],
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

test('operations flags: ports, scope, leader election (Go-style booleans and durations)', () => {
  const parsed = parseFlags(
    [
      '--metrics-port=0',
      '--health-port',
      '9000',
      '--namespaced',
      '--instance-id',
      'blue',
      '--leader-elect=false',
      '--leader-election-lease-duration',
      '2s',
      '--leader-election-renew-deadline=1500ms',
      '--leader-election-retry-period=500ms',
    ],
    { POD_NAMESPACE: 'ramp-system' },
  );
  expect(parsed.kind === 'run' && parsed.flags).toMatchObject({
    metricsPort: 0,
    healthPort: 9000,
    namespaced: true,
    instanceId: 'blue',
    leaderElect: false,
    leaderElectionNamespace: 'ramp-system',
    leaseDurationMs: 2000,
    renewDeadlineMs: 1500,
    retryPeriodMs: 500,
  });
  const bare = parseFlags(['--leader-elect', '--namespaced=false', '--leader-election-namespace=locks'], {});
  expect(bare.kind === 'run' && bare.flags).toMatchObject({
    leaderElect: true,
    namespaced: false,
    leaderElectionNamespace: 'locks',
  });
  // with leader election off, its timings are not checked against each other
  expect(parseFlags(['--leader-elect=false', '--leader-election-lease-duration=1s'], {}).kind).toBe('run');
});

test('--rollout-resync: whole seconds as Argo (900), or a duration (15m); 0 turns it off', () => {
  const resync = (value: string) => {
    const parsed = parseFlags([`--rollout-resync=${value}`], {});
    if (parsed.kind !== 'run') throw new Error(parsed.kind === 'error' ? parsed.message : 'help');
    return parsed.flags.rolloutResyncMs;
  };
  expect(resync('900')).toBe(900_000);
  expect(resync('15m')).toBe(900_000);
  expect(resync('1h30m')).toBe(5_400_000);
  expect(resync('1s')).toBe(1000);
  expect(resync('0')).toBe(0);
  expect(resync('0s')).toBe(0);
  expect(resync('-0')).toBe(0);
});
