import { validateObject } from './validate';

const rollout = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'demo' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'demo' } },
    template: {
      metadata: { labels: { app: 'demo' } },
      spec: { containers: [{ name: 'app', image: 'demo:1' }] },
    },
    strategy: {
      canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1h' } }, { pause: {} }] },
    } as Record<string, unknown>,
  } as Record<string, unknown>,
});

const template = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'rate' },
  spec: {
    args: [{ name: 'address' }],
    metrics: [
      {
        name: 'errors',
        interval: '5s',
        failureLimit: 4,
        successCondition: 'result[0] < 0.05',
        provider: { prometheus: { address: '{{args.address}}', query: 'sum(rate(x[1m]))' } },
      },
    ] as Record<string, unknown>[],
  } as Record<string, unknown>,
});

type Obj = Record<string, unknown>;
function at(obj: Obj, path: string): Obj {
  return path.split('.').reduce<Obj>((o, k) => o[k] as Obj, obj);
}

function findings(doc: unknown) {
  return validateObject(doc).findings.map((f) => `${f.severity} ${f.path}: ${f.message}`);
}

describe('valid objects have no findings', () => {
  test('canary rollout', () => expect(findings(rollout())).toEqual([]));
  test('analysis template', () => expect(findings(template())).toEqual([]));
  test('blue-green rollout', () => {
    const r = rollout();
    r.spec.strategy = { blueGreen: { activeService: 'a', previewService: 'p', autoPromotionEnabled: false } };
    expect(findings(r)).toEqual([]);
  });
});

type Case = [string, (r: ReturnType<typeof rollout>) => void, string];

const rolloutCases: Case[] = [
  [
    'setWeight out of range',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ setWeight: 140 }];
    },
    'error spec.strategy.canary.steps[0].setWeight: 140 is out of range; use 0..100',
  ],
  [
    'step without action',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{}];
    },
    'error spec.strategy.canary.steps[0]: has no action; give exactly one of setWeight',
  ],
  [
    'step with two actions',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ setWeight: 10, pause: {} }];
    },
    'error spec.strategy.canary.steps[0]: has 2 actions (setWeight, pause); put each action in its own step',
  ],
  [
    'pause: null',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ pause: null }];
    },
    'error spec.strategy.canary.steps[0].pause: is empty (null); write "pause: {}"',
  ],
  [
    'bad pause duration',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ pause: { duration: '5 minutes' } }];
    },
    'error spec.strategy.canary.steps[0].pause.duration: the string "5 minutes" is not a duration',
  ],
  [
    'negative pause duration',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ pause: { duration: -5 } }];
    },
    'error spec.strategy.canary.steps[0].pause.duration: the number -5 is negative',
  ],
  [
    'unknown field with suggestion',
    (r) => {
      at(r, 'spec.strategy.canary').stepz = [];
    },
    'error spec.strategy.canary.stepz: unknown field "stepz"; did you mean "steps"?',
  ],
  [
    'case typo in a field',
    (r) => {
      at(r, 'spec').Replicas = 3;
    },
    'error spec.Replicas: unknown field "Replicas"; did you mean "replicas"? (field names are case-sensitive)',
  ],
  [
    'string where an int goes',
    (r) => {
      r.spec.replicas = '3';
    },
    'error spec.replicas: expected an integer, got the string "3"; write 3 without quotes',
  ],
  [
    'huge number',
    (r) => {
      r.spec.replicas = 1e20;
    },
    'error spec.replicas: 100000000000000000000 is out of range; use -2147483648..2147483647',
  ],
  [
    'negative replicas',
    (r) => {
      r.spec.replicas = -1;
    },
    'error spec.replicas: -1 must be at least 0',
  ],
  [
    'selector missing',
    (r) => {
      delete r.spec.selector;
    },
    'error spec.selector: is required',
  ],
  [
    'empty selector',
    (r) => {
      r.spec.selector = {};
    },
    'error spec.selector: is empty',
  ],
  [
    'selector does not match',
    (r) => {
      r.spec.selector = { matchLabels: { app: 'other' } };
    },
    'error spec.template.metadata.labels: the selector needs "app: other" but the template has "app: demo"',
  ],
  [
    'app:myapp without a space',
    (r) => {
      r.spec.selector = { matchLabels: 'app:myapp' };
    },
    'error spec.selector.matchLabels: expected a map, got the string "app:myapp"; YAML needs a space after the colon: write "app: myapp"',
  ],
  [
    'no strategy',
    (r) => {
      delete r.spec.strategy;
    },
    'error spec.strategy: needs exactly one of canary or blueGreen',
  ],
  [
    'two strategies',
    (r) => {
      r.spec.strategy = { canary: {}, blueGreen: { activeService: 'a' } };
    },
    'error spec.strategy: has both canary and blueGreen',
  ],
  [
    'same active and preview',
    (r) => {
      r.spec.strategy = { blueGreen: { activeService: 'a', previewService: 'a' } };
    },
    'error spec.strategy.blueGreen.previewService: "a" is also the activeService',
  ],
  [
    'blue-green without activeService',
    (r) => {
      r.spec.strategy = { blueGreen: {} };
    },
    'error spec.strategy.blueGreen.activeService: is required',
  ],
  [
    'same canary and stable services',
    (r) => {
      Object.assign(at(r, 'spec.strategy.canary'), { canaryService: 's', stableService: 's' });
    },
    'error spec.strategy.canary.canaryService: "s" is also the stableService',
  ],
  [
    'maxSurge and maxUnavailable both 0',
    (r) => {
      Object.assign(at(r, 'spec.strategy.canary'), { maxSurge: 0, maxUnavailable: '0%' });
    },
    'error spec.strategy.canary.maxSurge: maxSurge and maxUnavailable are both 0',
  ],
  [
    'bad percentage',
    (r) => {
      at(r, 'spec.strategy.canary').maxSurge = '25 %';
    },
    'error spec.strategy.canary.maxSurge: the string "25 %" is neither a number nor a percentage',
  ],
  [
    'progress deadline not above minReady',
    (r) => {
      Object.assign(r.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 });
    },
    'error spec.progressDeadlineSeconds: 30 must be greater than minReadySeconds (30)',
  ],
  [
    'no containers',
    (r) => {
      at(r, 'spec.template').spec = { containers: [] };
    },
    'error spec.template.spec.containers: is empty',
  ],
  [
    'container without image',
    (r) => {
      at(r, 'spec.template.spec').containers = [{ name: 'app' }];
    },
    'error spec.template.spec.containers[0].image: is required',
  ],
  [
    'bad container name',
    (r) => {
      at(r, 'spec.template.spec').containers = [{ name: 'My_App', image: 'x' }];
    },
    'error spec.template.spec.containers[0].name: "My_App" must consist of lower case letters',
  ],
  [
    'duplicate container names',
    (r) => {
      at(r, 'spec.template.spec').containers = [
        { name: 'a', image: 'x' },
        { name: 'a', image: 'y' },
      ];
    },
    'error spec.template.spec.containers[1].name: "a" is already used by spec.template.spec.containers[0].name',
  ],
  [
    'bad quantity',
    (r) => {
      at(r, 'spec.template.spec').containers = [
        { name: 'a', image: 'x', resources: { requests: { memory: 'invalid' } } },
      ];
    },
    'error spec.template.spec.containers[0].resources.requests.memory: the string "invalid" is not a quantity',
  ],
  [
    'request above limit',
    (r) => {
      at(r, 'spec.template.spec').containers = [
        { name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } },
      ];
    },
    'error spec.template.spec.containers[0].resources.requests.cpu: the request is above the limit',
  ],
  [
    'container field typo',
    (r) => {
      at(r, 'spec.template.spec').containers = [{ name: 'a', image: 'x', imagePullPolice: 'Always' }];
    },
    'error spec.template.spec.containers[0].imagePullPolice: unknown field "imagePullPolice"; did you mean "imagePullPolicy"?',
  ],
  [
    'bad port',
    (r) => {
      at(r, 'spec.template.spec').containers = [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }];
    },
    'error spec.template.spec.containers[0].ports[0].containerPort: the number 70000 is not a port',
  ],
  [
    'analysis step without templates',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ analysis: {} }];
    },
    'error spec.strategy.canary.steps[0].analysis.templates: is empty',
  ],
  [
    'startingStep out of range',
    (r) => {
      at(r, 'spec.strategy.canary').analysis = { templates: [{ templateName: 't' }], startingStep: 7 };
    },
    'error spec.strategy.canary.analysis.startingStep: 7 is out of range; the canary has 3 steps',
  ],
  [
    'scaleDownDelaySeconds without traffic routing',
    (r) => {
      at(r, 'spec.strategy.canary').scaleDownDelaySeconds = 10;
    },
    'error spec.strategy.canary.scaleDownDelaySeconds: can only be used with trafficRouting',
  ],
  [
    'unsupported experiment step',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [{ experiment: { templates: [] } }];
    },
    'error spec.strategy.canary.steps[0].experiment: Experiment steps is not supported by Ramp yet',
  ],
  [
    'unsupported traffic routing',
    (r) => {
      at(r, 'spec.strategy.canary').trafficRouting = { smi: {} };
    },
    'error spec.strategy.canary.trafficRouting: Traffic routing (canary weights through a mesh or ingress) is not supported by Ramp yet',
  ],
  [
    'bad template label',
    (r) => {
      at(r, 'spec.template.metadata').labels = { app: 'demo', hash: '<HASH>' };
    },
    'error spec.template.metadata.labels.hash: label value "<HASH>" must be empty',
  ],
  [
    'restartPolicy Never',
    (r) => {
      at(r, 'spec.template.spec').restartPolicy = 'Never';
    },
    'error spec.template.spec.restartPolicy: the string "Never" is not allowed for a Rollout\'s pods; use Always',
  ],
  [
    'bad boolean',
    (r) => {
      r.spec.paused = 'true';
    },
    'error spec.paused: expected true or false, got the string "true"; write true without quotes',
  ],
  [
    'enum value',
    (r) => {
      at(r, 'spec.strategy.canary').steps = [
        {
          analysis: {
            templates: [{ templateName: 't' }],
            args: [{ name: 'h', valueFrom: { podTemplateHashValue: 'latest' } }],
          },
        },
      ];
    },
    'error spec.strategy.canary.steps[0].analysis.args[0].valueFrom.podTemplateHashValue: must be one of Stable, Latest, got the string "latest"; did you mean "Latest"?',
  ],
];

describe('Rollout findings', () => {
  test.each(rolloutCases)('%s', (_name, mutate, expected) => {
    const r = rollout();
    mutate(r);
    expect(findings(r).join('\n')).toContain(expected);
  });

  test('every problem is reported at once', () => {
    const r = rollout();
    r.spec.replicas = '3';
    at(r, 'spec.strategy.canary').steps = [{ setWeight: 140 }, {}];
    at(r, 'spec.template.spec').containers = [{ name: 'a' }];
    expect(findings(r)).toHaveLength(4);
  });
});

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

  test('a run needs a value for every arg', () => {
    const run = { ...template(), kind: 'AnalysisRun' };
    expect(findings(run).join('\n')).toContain('error spec.args[0]: arg "address" has no value');
  });

  test('a ClusterAnalysisTemplate with a namespace is warned about', () => {
    const cat = { ...template(), kind: 'ClusterAnalysisTemplate', metadata: { name: 'x', namespace: 'n' } };
    expect(findings(cat)).toContain(
      'warning metadata.namespace: is ignored: a ClusterAnalysisTemplate is cluster-wide; remove it',
    );
  });
});

describe('documents that are not objects, and other kinds', () => {
  test.each([
    [[1, 2], 'got a list'],
    ['text', 'got the string "text"'],
    [42, 'got the number 42'],
    [null, 'got nothing (null)'],
  ])('%p is refused', (doc, expected) => {
    expect(findings(doc)[0]).toContain(expected);
  });

  test('Kind with a capital K', () => {
    const r: Obj = rollout();
    delete r.kind;
    r.Kind = 'Rollout';
    const result = validateObject(r);
    expect(result.ours).toBe(true);
    expect(result.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'kind: is missing: the document has "Kind:" instead, and field names are case-sensitive; write "kind: Rollout"',
    ]);
  });

  test('a misspelled kind of argoproj.io', () => {
    expect(findings({ ...rollout(), kind: 'Rolout' })).toContain(
      'error kind: "Rolout" is not a kind of argoproj.io; did you mean "Rollout"?',
    );
  });

  test('a wrong apiVersion', () => {
    expect(findings({ ...rollout(), apiVersion: 'argoproj.io/v1' })).toContain(
      'error apiVersion: the string "argoproj.io/v1" is not served for Rollout; write "apiVersion: argoproj.io/v1alpha1"',
    );
  });

  test('other kinds are not ours and not checked', () => {
    const result = validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} });
    expect(result).toMatchObject({ ours: false, kind: 'Service', findings: [] });
  });
});

describe('Argo kinds Ramp does not run', () => {
  test('an Experiment is reported as not supported; an Argo CD Application is skipped', () => {
    const exp = validateObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'e' },
      spec: {},
    });
    expect(exp.findings.map((f) => [f.code, f.path])).toEqual([['unsupported', 'kind']]);
    const app = validateObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a' },
      spec: {},
    });
    expect(app.findings).toEqual([]);
  });
});

describe('docs/compatibility.md', () => {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { UNSUPPORTED_METRIC_FIELDS, UNSUPPORTED_ROLLOUT_FIELDS } =
    require('./support') as typeof import('./support');
  const doc = readFileSync(`${__dirname}/../../../../docs/compatibility.md`, 'utf8');
  test.each([...UNSUPPORTED_ROLLOUT_FIELDS, ...UNSUPPORTED_METRIC_FIELDS].map((f) => [f.path]))(
    'lists %s as not yet supported',
    (path) => {
      const field = path.split('.').pop()!.replace('[]', '');
      const inTicks = new RegExp(`\`[^\`]*\\b${field}\\b[^\`]*\``);
      const rows = doc.split('\n').filter((l) => inTicks.test(l));
      expect(rows.some((r) => /not yet/.test(r))).toBe(true);
    },
  );
});
