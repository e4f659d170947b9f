import { at, findings, rollout, template } from '../testing/validate-objects';

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
    'maxUnavailable 100% (every pod may go at once)',
    (r) => {
      Object.assign(at(r, 'spec.strategy.canary'), { maxUnavailable: '100%' });
    },
    'warning spec.strategy.canary.maxUnavailable: "100%" lets every pod be unavailable at once',
  ],
  [
    'maxUnavailable as many pods as replicas',
    (r) => {
      r.spec.replicas = 3;
      Object.assign(at(r, 'spec.strategy.canary'), { maxUnavailable: 3 });
    },
    'warning spec.strategy.canary.maxUnavailable: 3 lets every pod be unavailable at once',
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
    'a traffic router Ramp will never run',
    (r) => {
      at(r, 'spec.strategy.canary').trafficRouting = { appMesh: { virtualService: { name: 'vs' } } };
    },
    'error spec.strategy.canary.trafficRouting.appMesh: The AWS App Mesh traffic router (trafficRouting.appMesh) will not be supported by Ramp: AWS discontinued App Mesh',
  ],
  [
    'bad template label',
    (r) => {
      at(r, 'spec.template.metadata').labels = { app: 'demo', hash: '<HASH>' };
    },
    'error spec.template.metadata.labels.hash: label value "<HASH>" must be empty',
  ],
  [
    // found by validate.fuzz.test.ts: a label value that is not a string passed unreported
    'a template label value that is a number',
    (r) => {
      at(r, 'spec.template.metadata').labels = { app: 'demo', version: 2 };
    },
    'error spec.template.metadata.labels.version: label values are strings, got the number 2; quote it: "2"',
  ],
  [
    // found by validate.fuzz.test.ts: the message printed "app: [object Object]"
    'a selector label value that is a map',
    (r) => {
      at(r, 'spec.selector').matchLabels = { app: { value: 'demo' } };
    },
    'error spec.selector.matchLabels.app: expected a string, got a map',
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
