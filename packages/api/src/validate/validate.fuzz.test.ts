// Fuzz: valid objects (the test objects, examples/ and the seed examples), broken at random paths
// (deleted keys, other types, misspelled keys, unknown keys, duplicated items, deep nesting), must
// each get findings, never an exception: validateObject and checkReferences never throw, and every
// finding has a severity, a code, a field path and a message. Seeded: a failure names its case.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Dice, describeMutations, fuzzSettings, mutate } from '../testing';
import {
  gatewayRollout,
  ingress,
  nginxRollout,
  route,
  service,
  smiRollout,
  trafficSplit,
} from '../testing/traffic-routing-objects';
import { rollout, template } from '../testing/validate-objects';
import type { Finding } from './findings';
import { checkReferences } from './references';
import { validateObject } from './validate';

const { cases: CASES, seed: SEED } = fuzzSettings(2000, 0x5eed);

const repo = resolve(__dirname, '..', '..', '..', '..');
const SEVERITIES = new Set(['error', 'warning']);
const CODES = new Set([
  'invalid',
  'required',
  'type',
  'unknown-field',
  'unsupported',
  'reference',
  'suspicious',
]);

function yamlObjects(folder: string): { name: string; doc: unknown }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(folder, f), 'utf8'), { schema: 'yaml-1.1', merge: true })
        .map((d, i) => ({ name: `${f}#${i}`, doc: d.toJS() as unknown }))
        .filter((o) => o.doc !== null && o.doc !== undefined),
    );
}

/** Objects that reach the fields examples leave out: AnalysisRun, web and job metrics, blue-green analyses. */
const richObjects = (): { name: string; doc: unknown }[] => [
  {
    name: 'analysis-run',
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'run', namespace: 'default' },
      spec: {
        args: [
          { name: 'url', value: 'http://127.0.0.1:1/x' },
          { name: 'limit', value: '3' },
          { name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
        metrics: [
          {
            name: 'web',
            count: 3,
            interval: '10s',
            initialDelay: '5s',
            failureLimit: '{{args.limit}}',
            consecutiveErrorLimit: 2,
            successCondition: 'result.ok == true',
            provider: {
              web: {
                url: '{{args.url}}',
                method: 'POST',
                headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
                jsonBody: { a: [1, 2] },
                timeoutSeconds: 5,
                jsonPath: '{$.data}',
              },
            },
          },
          {
            name: 'job',
            provider: {
              job: {
                spec: {
                  backoffLimit: 1,
                  template: {
                    spec: {
                      restartPolicy: 'Never',
                      containers: [{ name: 'c', image: 'alpine:3', args: ['x'] }],
                    },
                  },
                },
              },
            },
          },
        ],
        dryRun: [{ metricName: 'job' }],
        measurementRetention: [{ metricName: 'web', limit: 5 }],
        terminate: false,
      },
    },
  },
  {
    name: 'cluster-template',
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ClusterAnalysisTemplate',
      metadata: { name: 'ct' },
      spec: {
        args: [{ name: 'q', value: 'up' }],
        metrics: [
          {
            name: 'range',
            failureCondition: 'len(result) > 0 && result[0] > 1',
            inconclusiveLimit: 1,
            provider: {
              prometheus: {
                address: 'http://127.0.0.1:9090',
                query: '{{args.q}}',
                timeout: 10,
                rangeQuery: { start: 'now() - duration("5m")', end: 'now()', step: '1m' },
              },
            },
          },
        ],
      },
    },
  },
  {
    name: 'bluegreen-analyses',
    doc: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'bg', labels: { team: 'a' } },
      spec: {
        replicas: 3,
        revisionHistoryLimit: 2,
        minReadySeconds: 5,
        progressDeadlineSeconds: 60,
        selector: {
          matchLabels: { app: 'bg' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }],
        },
        template: {
          metadata: { labels: { app: 'bg' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'bg:1',
                ports: [{ containerPort: 8080 }],
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1 } },
              },
            ],
          },
        },
        strategy: {
          blueGreen: {
            activeService: 'bg-active',
            previewService: 'bg-preview',
            autoPromotionEnabled: false,
            previewReplicaCount: 1,
            scaleDownDelaySeconds: 30,
            prePromotionAnalysis: {
              templates: [{ templateName: 'rate' }],
              args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
            },
            postPromotionAnalysis: { templates: [{ templateName: 'ct', clusterScope: true }] },
          },
        },
      },
    },
  },
  { name: 'test-objects rollout', doc: rollout() },
  { name: 'test-objects template', doc: template() },
];

/** Traffic-routed Rollouts and what they route through, so mutations reach the routing rules and references. */
const routedObjects = (): { name: string; doc: unknown }[] => [
  { name: 'gateway-api rollout', doc: gatewayRollout() },
  { name: 'nginx rollout', doc: nginxRollout() },
  { name: 'smi rollout', doc: smiRollout() },
  { name: 'httproute', doc: route('HTTPRoute', 'demo-route', ['demo-stable', 'demo-canary']) },
  { name: 'ingress', doc: ingress('demo-ingress', 'demo-stable') },
  { name: 'trafficsplit', doc: trafficSplit('demo-split', 'demo') },
  { name: 'service', doc: service('demo-stable') },
];

const SEEDS = [
  ...richObjects(),
  ...routedObjects(),
  ...yamlObjects(join(repo, 'examples')),
  ...yamlObjects(resolve(repo, '..', 'shared', 'seed-examples')),
];

/** What is wrong with a finding's shape, or undefined. */
function findingProblem(f: Finding): string | undefined {
  if (!SEVERITIES.has(f.severity)) return `severity ${String(f.severity)}`;
  if (!CODES.has(f.code)) return `code ${String(f.code)}`;
  if (typeof f.path !== 'string') return `path ${String(f.path)}`;
  if (typeof f.message !== 'string' || f.message.trim() === '') return `empty message at ${f.path}`;
  if (/\[object Object\]|\bundefined\b/.test(f.message)) return `unclear message at ${f.path}: ${f.message}`;
  return undefined;
}

/** Checks one (mutated) object; returns what went wrong, or undefined. */
function check(doc: unknown, others: { name: string; doc: unknown }[]): string | undefined {
  let result: ReturnType<typeof validateObject>;
  try {
    result = validateObject(doc);
  } catch (error) {
    return `validateObject threw ${(error as Error).stack ?? String(error)}`;
  }
  for (const f of result.findings) {
    const problem = findingProblem(f);
    if (problem) return problem;
  }
  let json: string;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return `the result is not JSON-serialisable: ${String(error)}`;
  }
  if (JSON.stringify(JSON.parse(json)) !== json) return 'the result changes through JSON';
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    try {
      const set = [doc, ...others.map((o) => o.doc)].map((d, index) => ({
        index,
        doc: d as Record<string, unknown>,
      }));
      for (const r of checkReferences(set)) {
        const problem = findingProblem(r.finding);
        if (problem) return `checkReferences: ${problem}`;
      }
    } catch (error) {
      return `checkReferences threw ${(error as Error).stack ?? String(error)}`;
    }
  }
  return undefined;
}

test('the seed objects are valid (no errors) before they are mutated', () => {
  expect(SEEDS.length).toBeGreaterThanOrEqual(5);
  const errors = SEEDS.flatMap((s) =>
    validateObject(s.doc)
      .findings.filter((f) => f.severity === 'error')
      .map((f) => `${s.name}: ${f.path}: ${f.message}`),
  );
  expect(errors).toEqual([]);
});

test(`validateObject and checkReferences never throw on ${CASES} mutated objects`, () => {
  const failures: string[] = [];
  for (let i = 0; i < CASES && failures.length < 40; i++) {
    const dice = new Dice(SEED + i);
    const seed = dice.pick(SEEDS);
    const { value, mutations } = mutate(seed.doc, dice);
    const problem = check(
      value,
      SEEDS.filter((s) => s !== seed),
    );
    if (problem) failures.push(`case ${i} (${seed.name}: ${describeMutations(mutations)}): ${problem}`);
  }
  expect(failures).toEqual([]);
});
