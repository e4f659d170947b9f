// Fuzz: AnalysisTemplates broken at random paths (see @ramp/api/testing) go through the engine's
// entry points: runSpecFromTemplates (only a TemplateError, with a message, may come out), then the
// run is stepped a bounded number of times with the clock following its wake-ups, the providers
// answering hostile values (NaN, Infinity, null, lists, deep maps, huge strings), errors, throws and
// in-flight measurements, judged by the real condition language. No step may reject; every phase is
// one of Argo's; an Error measurement says why; the status is plain JSON; wake-ups are real times and
// a run never asks to be stepped again at once, over and over. Seeded.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { AnalysisRunSpec, AnalysisRunStatus, AnalysisTemplateSpec, Argument, Metric } from '@ramp/api';
import {
  Dice,
  describeMutations,
  fuzzSettings,
  GENTLE_OPS,
  hostileValue,
  MUTATION_OPS,
  mutate,
  nest,
} from '@ramp/api/testing';
import type { ArgResolver } from './args';
import type { EngineProvider, MeasureOutcome } from './measure';
import { COUNTERS } from './record';
import { runSpecFromTemplates, TemplateError } from './run-spec';
import { planRun } from './schedule';
import { specShapeProblem } from './spec-shape';
import { stepRun } from './step-run';

const { cases: CASES, seed: SEED } = fuzzSettings(2000, 0xa7a1);
const MAX_STEPS = 12;
const T0 = new Date('2026-11-21T10:00:00Z');

const repo = resolve(__dirname, '..', '..', '..', '..');
const yaml = createRequire(join(repo, 'packages/api/package.json'))('yaml') as {
  parseAllDocuments(text: string): { toJS(): unknown }[];
};

function exampleTemplates(): { name: string; spec: AnalysisTemplateSpec }[] {
  const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
  const folder = join(repo, 'examples');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) =>
      yaml
        .parseAllDocuments(readFileSync(join(folder, f), 'utf8'))
        .map((d) => d.toJS() as { kind?: string; spec?: AnalysisTemplateSpec })
        .filter((o) => o?.kind === 'AnalysisTemplate' && o.spec)
        .map((o) => ({ name: `examples/${f}`, spec: o.spec! })),
    );
}

const webMetric = (name: string, extra: Partial<Metric> = {}): Metric => ({
  name,
  provider: { web: { url: 'http://127.0.0.1:1/{{args.path}}', jsonPath: '{$.value}' } },
  ...extra,
});

const SEEDS: { name: string; spec: AnalysisTemplateSpec }[] = [
  {
    name: 'web counts',
    spec: {
      args: [
        { name: 'path', value: 'ok' },
        { name: 'limit', value: '2' },
      ],
      metrics: [
        webMetric('rate', {
          interval: '10s',
          count: 4,
          failureLimit: '{{args.limit}}',
          successCondition: 'result < 0.05',
          failureCondition: 'result > 0.5',
        }),
        webMetric('latency', {
          initialDelay: '5s',
          interval: '30s',
          count: '3',
          consecutiveErrorLimit: 1,
          successCondition: 'len(result) > 0 && all(result, {# < 300})',
        }),
      ],
      dryRun: [{ metricName: 'latency' }],
      measurementRetention: [{ metricName: '.*', limit: 2 }],
    },
  },
  {
    name: 'prometheus until terminated',
    spec: {
      args: [{ name: 'path' }, { name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      metrics: [
        {
          name: 'errors',
          interval: '1m',
          inconclusiveLimit: 1,
          consecutiveSuccessLimit: 2,
          failureLimit: -1,
          successCondition: 'result[0] == 0 || isNaN(result[0])',
          provider: { prometheus: { address: 'http://127.0.0.1:9090', query: 'sum(x{p="{{args.path}}"})' } },
        },
      ],
    },
  },
  {
    name: 'job',
    spec: {
      metrics: [
        {
          name: 'smoke',
          provider: {
            job: {
              spec: {
                backoffLimit: 0,
                template: {
                  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'alpine:3' }] },
                },
              },
            },
          },
        },
      ],
    },
  },
  ...exampleTemplates(),
];

const PHASES = new Set(['Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive']);
const isCount = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isInteger(n) && n >= 0);

/**
 * What a measurement brings back from the world: values of any shape, errors, throws, Jobs in flight
 * (a provider in flight asks to be looked at again later, never at once: that is its contract).
 */
function outcome(dice: Dice, now: Date): MeasureOutcome {
  switch (dice.int(12)) {
    case 0:
      return { kind: 'error', message: dice.pick(['connection refused', '', 'x'.repeat(5000), '\u0000']) };
    case 1:
      return {
        kind: 'running',
        resumeAt: new Date(now.getTime() + dice.pick([1000, 60_000])),
        metadata: { job: 'j' },
      };
    case 2:
      return {
        kind: 'verdict',
        phase: dice.pick(['Successful', 'Failed', 'Inconclusive', 'Error'] as const),
      };
    case 3:
      throw dice.pick([
        new Error('socket hang up'),
        new TypeError('x is not a function'),
        'a string',
        undefined,
        null,
      ]);
    case 4:
      return {
        kind: 'value',
        value: dice.pick([[0.01], [Number.NaN], [], [1, 'a', null], [Number.POSITIVE_INFINITY]]),
      };
    case 5:
      return {
        kind: 'value',
        value: nest(dice.pick([1, 'x', null, Number.NaN]), dice.pick([3, 100, 1000]), dice),
      };
    case 6:
      return { kind: 'value', value: Array.from({ length: dice.pick([10, 10_000]) }, (_, i) => i / 7) };
    case 7:
      return { kind: 'value', value: { status: dice.pick(['ok', 'down', 200]), value: hostileValue(dice) } };
    default:
      return { kind: 'value', value: hostileValue(dice) };
  }
}

class FuzzProvider implements EngineProvider {
  constructor(
    readonly type: string,
    private readonly dice: Dice,
  ) {}
  async measure(_m: Metric, ctx: { now(): Date }): Promise<MeasureOutcome> {
    return outcome(this.dice, ctx.now());
  }
  async resume(_m: Metric, _x: unknown, ctx: { now(): Date }): Promise<MeasureOutcome> {
    return outcome(this.dice, ctx.now());
  }
  async terminate(): Promise<void> {
    if (this.dice.chance(0.1)) throw new Error('cannot delete the Job');
  }
}

const resolver = (dice: Dice): ArgResolver => ({
  secretKeyRef: async () => {
    if (dice.chance(0.2)) throw new Error('secret "s" not found');
    return 's3cret';
  },
  fieldRef: async () => dice.pick(['v1', '', '{{args.path}}']),
});

/** The caller's args (a Rollout's analysis, the CLI's --arg): a value for every declared arg, mostly. */
function callerArgs(specs: readonly AnalysisTemplateSpec[], dice: Dice): Argument[] {
  const declared = specs.flatMap((s) => (Array.isArray(s?.args) ? s.args : []));
  return declared
    .filter((a) => typeof a?.name === 'string' && dice.chance(0.9))
    .map((a) => ({ name: a.name, value: String(hostileValue(dice) ?? 'x').slice(0, 50) }));
}

function statusProblem(status: AnalysisRunStatus): string | undefined {
  if (!PHASES.has(status.phase ?? '')) return `run phase ${status.phase}`;
  for (const r of status.metricResults ?? []) {
    if (!PHASES.has(r.phase)) return `metric ${r.name} phase ${r.phase}`;
    for (const counter of COUNTERS)
      if (!isCount(r[counter])) return `metric ${r.name} ${counter} ${r[counter]}`;
    for (const m of r.measurements ?? []) {
      if (!PHASES.has(m.phase)) return `measurement phase ${m.phase}`;
      if (m.phase === 'Error' && !m.message?.trim())
        return `an Error measurement of ${r.name} without a message`;
      for (const t of [m.startedAt, m.finishedAt, m.resumeAt])
        if (t !== undefined && Number.isNaN(Date.parse(t))) return `measurement time ${t}`;
    }
  }
  if (
    (status.phase === 'Error' || status.phase === 'Failed') &&
    !status.message?.trim() &&
    !status.metricResults?.length
  )
    return `a run ${status.phase} without a message`;
  let json: string;
  try {
    json = JSON.stringify(status);
  } catch (error) {
    return `the status is not JSON: ${String(error)}`;
  }
  if (JSON.stringify(JSON.parse(json)) !== json) return 'the status changes through JSON';
  return undefined;
}

/** Steps the run as the controller would; returns what went wrong, or undefined. */
async function drive(spec: AnalysisRunSpec, dice: Dice): Promise<string | undefined> {
  const providers = new Map(['prometheus', 'web', 'job'].map((t) => [t, new FuzzProvider(t, dice)]));
  let status: AnalysisRunStatus | undefined;
  let now = T0;
  let atOnce = 0;
  for (let i = 0; i < MAX_STEPS; i++) {
    try {
      // planRun reads a spec whose shape stepRun checked (stepRun ends any other in Error).
      if (!specShapeProblem(spec)) planRun(spec, status, now);
    } catch (error) {
      return `planRun threw ${(error as Error).stack?.split('\n').slice(0, 3).join('\n')}`;
    }
    let step: Awaited<ReturnType<typeof stepRun>>;
    try {
      step = await stepRun({
        spec: dice.chance(0.05) ? { ...spec, terminate: true } : spec,
        ...(status ? { status } : {}),
        now,
        providers,
        argResolver: resolver(dice),
      });
    } catch (error) {
      return `stepRun rejected: ${(error as Error)?.stack?.split('\n').slice(0, 4).join('\n') ?? String(error)}`;
    }
    const problem = statusProblem(step.status);
    if (problem) return `step ${i}: ${problem}`;
    status = step.status;
    if (!step.wakeAt) return undefined;
    if (Number.isNaN(step.wakeAt.getTime())) return `step ${i}: wakes up at an invalid time`;
    if (step.wakeAt.getTime() < now.getTime())
      return `step ${i}: wakes up in the past (${step.wakeAt.toISOString()})`;
    atOnce = step.wakeAt.getTime() === now.getTime() ? atOnce + 1 : 0;
    if (atOnce > 3) return `step ${i}: asks to be stepped again at once, ${atOnce} times in a row`;
    now = new Date(Math.max(step.wakeAt.getTime(), now.getTime()));
  }
  return undefined;
}

test('the seed templates make runs that complete', async () => {
  const problems: string[] = [];
  for (const seed of SEEDS) {
    const args = (seed.spec.args ?? []).map((a) => ({ name: a.name, value: a.value ?? 'x' }));
    const spec = runSpecFromTemplates([seed.spec], { args });
    const problem = await drive(spec, new Dice(1));
    if (problem) problems.push(`${seed.name}: ${problem}`);
  }
  expect(problems).toEqual([]);
});

test(`the engine never throws on ${CASES} mutated templates and hostile measurements`, async () => {
  const failures: string[] = [];
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const dice = new Dice(SEED + i);
    const seeds = [dice.pick(SEEDS), ...(dice.chance(0.2) ? [dice.pick(SEEDS)] : [])];
    const ops = dice.chance(0.5) ? GENTLE_OPS : MUTATION_OPS;
    const target = dice.int(seeds.length);
    const { value, mutations } = mutate(seeds[target]!.spec, dice, { ops });
    const specs = seeds.map((s, k) => (k === target ? value : s.spec));
    const where = `case ${i} (${seeds.map((s) => s.name).join(' + ')}: ${describeMutations(mutations)})`;
    let spec: AnalysisRunSpec;
    try {
      spec = runSpecFromTemplates(specs, { args: callerArgs(specs, dice) });
    } catch (error) {
      if (!(error instanceof TemplateError) || !error.message.trim()) {
        failures.push(
          `${where}: runSpecFromTemplates threw ${(error as Error)?.stack?.split('\n').slice(0, 3).join('\n')}`,
        );
        continue;
      }
      // The same spec, written directly as an AnalysisRun (kubectl apply), reaches the engine unchecked.
      spec = value as AnalysisRunSpec;
    }
    const problem = await drive(spec, dice);
    if (problem) failures.push(`${where}: ${problem}`);
  }
  expect(failures).toEqual([]);
});
