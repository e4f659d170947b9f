import { findings, type Obj, template } from '../testing/validate-objects';

type TCase = [string, (t: ReturnType<typeof template>) => void, string];
const metric = (t: ReturnType<typeof template>) => (t.spec.metrics as Obj[])[0]!;

const templateCases: TCase[] = [
  [
    'no metrics',
    (t) => {
      t.spec.metrics = [];
    },
    'error spec.metrics: is empty',
  ],
  [
    'duplicate metric names',
    (t) => {
      (t.spec.metrics as Obj[]).push({ ...metric(t) });
    },
    'error spec.metrics[1].name: "errors" is already the name of spec.metrics[0]',
  ],
  [
    'count below failureLimit',
    (t) => {
      metric(t).count = 3;
    },
    'error spec.metrics[0].count: 3 is less than failureLimit (4)',
  ],
  [
    'count > 1 without interval',
    (t) => {
      delete metric(t).interval;
      metric(t).count = 5;
    },
    'error spec.metrics[0].interval: is required when count is more than 1',
  ],
  [
    'interval without unit',
    (t) => {
      metric(t).interval = '30';
    },
    'error spec.metrics[0].interval: "30" has no unit; write "30s" for seconds',
  ],
  [
    'bad interval',
    (t) => {
      metric(t).interval = 'often';
    },
    'error spec.metrics[0].interval: "often" is not a duration',
  ],
  [
    'failureLimit below -1',
    (t) => {
      metric(t).failureLimit = -2;
    },
    'error spec.metrics[0].failureLimit: -2 is out of range; use -1 or more',
  ],
  [
    'failureLimit as text',
    (t) => {
      metric(t).failureLimit = 'four';
    },
    'error spec.metrics[0].failureLimit: the string "four" is not a whole number',
  ],
  [
    // found by validate.fuzz.test.ts: a list here made validateObject throw (value.trim is not a function)
    'failureLimit as a list',
    (t) => {
      metric(t).failureLimit = [2];
    },
    'error spec.metrics[0].failureLimit: expected an integer or a string, got a list',
  ],
  [
    'consecutiveErrorLimit as a map',
    (t) => {
      metric(t).consecutiveErrorLimit = { a: 1 };
    },
    'error spec.metrics[0].consecutiveErrorLimit: expected an integer or a string, got a map',
  ],
  [
    'no provider',
    (t) => {
      metric(t).provider = {};
    },
    'error spec.metrics[0].provider: has no provider',
  ],
  [
    'two providers',
    (t) => {
      metric(t).provider = { prometheus: { query: 'x' }, web: { url: 'http://127.0.0.1' } };
    },
    'error spec.metrics[0].provider: has 2 providers (prometheus, web)',
  ],
  [
    'missing query',
    (t) => {
      metric(t).provider = { prometheus: { address: 'http://127.0.0.1:9090' } };
    },
    'error spec.metrics[0].provider.prometheus.query: is required',
  ],
  [
    'bad address',
    (t) => {
      metric(t).provider = { prometheus: { address: '127.0.0.1:9090', query: 'up' } };
    },
    'error spec.metrics[0].provider.prometheus.address: "127.0.0.1:9090" is not an http(s) URL',
  ],
  [
    'undeclared arg',
    (t) => {
      metric(t).successCondition = 'result[0] < {{args.threshold}}';
    },
    'error spec.metrics[0].successCondition: uses {{args.threshold}}, but spec.args does not declare "threshold"',
  ],
  [
    'web body with GET',
    (t) => {
      metric(t).provider = { web: { url: 'http://127.0.0.1/x', body: '{}' } };
    },
    'error spec.metrics[0].provider.web.body: needs method POST or PUT',
  ],
  [
    'web method enum',
    (t) => {
      metric(t).provider = { web: { url: 'http://127.0.0.1/x', method: 'get' } };
    },
    'error spec.metrics[0].provider.web.method: must be one of GET, POST, PUT, got the string "get"; did you mean "GET"?',
  ],
  [
    'job without restartPolicy',
    (t) => {
      metric(t).provider = {
        job: { spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } },
      };
    },
    'error spec.metrics[0].provider.job.spec.template.spec.restartPolicy: is required for a Job',
  ],
  [
    'unsupported provider',
    (t) => {
      metric(t).provider = { datadog: { query: 'x' } };
    },
    'error spec.metrics[0].provider.datadog: The Datadog metric provider is not supported by Ramp yet',
  ],
  [
    'dryRun regex',
    (t) => {
      t.spec.dryRun = [{ metricName: '(' }];
    },
    'error spec.dryRun[0].metricName: "(" is not a valid regular expression',
  ],
  [
    'dryRun matching nothing',
    (t) => {
      t.spec.dryRun = [{ metricName: 'latency' }];
    },
    'warning spec.dryRun[0].metricName: "latency" matches no metric of this template (errors)',
  ],
  [
    'dryRun "*" (Ramp reads it as every metric; Argo refuses it)',
    (t) => {
      t.spec.dryRun = [{ metricName: '*' }];
    },
    'warning spec.dryRun[0].metricName: "*" means every metric in Ramp, but Argo Rollouts rejects it',
  ],

  [
    'duplicate args',
    (t) => {
      t.spec.args = [{ name: 'address' }, { name: 'address' }];
    },
    'error spec.args[1].name: "address" is declared twice',
  ],
  [
    'arg value as number',
    (t) => {
      t.spec.args = [{ name: 'address', value: 5 }];
    },
    'error spec.args[0].value: expected a string, got the number 5; quote it: "5"',
  ],
];

describe('AnalysisTemplate findings', () => {
  test.each(templateCases)('%s', (_name, mutate, expected) => {
    const t = template();
    mutate(t);
    expect(findings(t).join('\n')).toContain(expected);
  });

  test('metric name patterns are searched anywhere in the name, as in Argo', () => {
    const t = template();
    t.spec.measurementRetention = [{ metricName: 'rror', limit: 3 }];
    t.spec.dryRun = [{ metricName: '^errors$' }];
    expect(findings(t)).toEqual([]);
  });

  test('a run needs a value for every arg', () => {
    const run = { ...template(), kind: 'AnalysisRun' };
    expect(findings(run).join('\n')).toContain('error spec.args[0]: arg "address" has no value');
  });

  test('an arg without a name or a value (a run) says which arg without printing "undefined"', () => {
    const run = { ...template(), kind: 'AnalysisRun' };
    run.spec.args = [{ valueFrom: null }];
    expect(findings(run).join('\n')).toContain(
      'error spec.args[0]: the arg has no value; give value or valueFrom',
    );
  });

  test('a metric nested thousands of levels deep is one finding, not a stack overflow', () => {
    // found by validate.fuzz.test.ts: stringsIn recursed once per level and overflowed the stack
    const t = template();
    let body: unknown = 1;
    for (let i = 0; i < 20_000; i++) body = { a: body };
    metric(t).provider = { web: { url: 'http://127.0.0.1/x', method: 'POST', jsonBody: body } };
    const [finding, ...rest] = findings(t);
    expect(rest).toEqual([]);
    expect(finding).toMatch(
      /^error spec\.metrics\[0\]\.provider\.web\.jsonBody(\.a)+: is nested more than 100 levels deep; no AnalysisTemplate needs that many/,
    );
  });

  test('a ClusterAnalysisTemplate with a namespace is warned about', () => {
    const cat = { ...template(), kind: 'ClusterAnalysisTemplate', metadata: { name: 'x', namespace: 'n' } };
    expect(findings(cat)).toContain(
      'warning metadata.namespace: is ignored: a ClusterAnalysisTemplate is cluster-wide; remove it',
    );
  });
});
