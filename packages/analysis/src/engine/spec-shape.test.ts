// Runs and templates of the wrong shape end in Error (or a TemplateError) naming the field, never in
// an exception out of the engine. Each case was found by step-run.fuzz.test.ts.
import type { AnalysisRunSpec, AnalysisTemplateSpec } from '@ramp/api';
import {
  at,
  drive,
  failure,
  providersOf,
  ScriptedProvider,
  valuesProvider,
  webMetric,
} from '../testing/engine';
import { runSpecFromTemplates, TemplateError } from './run-spec';
import { stepRun } from './step-run';

async function firstStep(spec: unknown) {
  return stepRun({ spec: spec as AnalysisRunSpec, now: at(0), providers: providersOf(valuesProvider(1)) });
}

describe('a run spec of the wrong shape is an Error run naming the field', () => {
  test.each([
    [
      { metrics: [webMetric('m', { interval: 3 as never })] },
      'metrics[0].interval: expected a string such as "30s", got the number 3',
    ],
    [{ metrics: [null] }, 'metrics[0]: expected a metric (a map with name and provider), got nothing (null)'],
    [{ metrics: 'm' }, 'metrics: expected a list of metrics, got the string "m"'],
    [
      { metrics: [{ name: 'm', provider: 'web' }] },
      'metrics[0].provider: expected a map naming one provider',
    ],
    [
      { metrics: [webMetric('m', { count: [3] as never })] },
      'metrics[0].count: expected a whole number (or "{{args.name}}"), got a list',
    ],
    [
      { metrics: [webMetric('m')], args: [{ name: 1 }] },
      "args[0].name: expected the arg's name, got the number 1",
    ],
    [
      { metrics: [webMetric('m')], dryRun: [{ metricName: ['m'] }] },
      'dryRun[0].metricName: expected a string, got a list',
    ],
  ])('%j', async (spec, expected) => {
    const step = await firstStep(spec);
    expect(step.status.phase).toBe('Error');
    expect(step.status.message?.startsWith(`Analysis spec invalid: ${expected}`)).toBe(true);
    expect(step.wakeAt).toBeUndefined();
  });

  test('a run nested thousands of levels deep is an Error, not a stack overflow substituting its args', async () => {
    let body: unknown = 1;
    for (let i = 0; i < 20_000; i++) body = { a: body };
    const step = await firstStep({
      metrics: [webMetric('m', { provider: { web: { url: 'http://x', jsonBody: body } } } as never)],
    });
    expect(step.status.phase).toBe('Error');
    expect(step.status.message).toMatch(
      /^Analysis spec invalid: metrics\[0\]\.provider\.web\.jsonBody(\.a)+: is nested more than 100 levels deep/,
    );
  });
});

test('an interval of 0 is refused (it measured at every step, at once, for ever)', async () => {
  const step = await firstStep({ metrics: [webMetric('m', { interval: '0s' })] });
  expect(step.status).toMatchObject({
    phase: 'Error',
    message: 'Analysis spec invalid: metrics[0]: interval must be greater than 0, got "0s"',
  });
});

test('a measurement error without a message still says something', async () => {
  const provider = new ScriptedProvider('web', [
    failure(''),
    () => {
      throw undefined;
    },
    { kind: 'verdict', phase: 'Error' },
  ]);
  const { status } = await drive(
    { metrics: [webMetric('m', { interval: '10s', count: 3, consecutiveErrorLimit: 5 })] },
    provider,
  );
  const measurements = status.metricResults?.[0]?.measurements ?? [];
  expect(measurements.length).toBeGreaterThanOrEqual(3);
  expect(new Set(measurements.map((m) => `${m.phase}: ${m.message}`))).toEqual(
    new Set(['Error: failed without an error message']),
  );
});

test('templates of the wrong shape are a TemplateError naming the template and the field', () => {
  const good: AnalysisTemplateSpec = { metrics: [webMetric('a')] };
  const bad = { metrics: [null] } as unknown as AnalysisTemplateSpec;
  expect(() => runSpecFromTemplates([good, bad])).toThrow(
    new TemplateError(
      'template 2 of 2: metrics[0]: expected a metric (a map with name and provider), got nothing (null)',
    ),
  );
  expect(() => runSpecFromTemplates([{ ...good, args: 'x' } as never])).toThrow(
    'template 1 of 1: args: expected a list, got the string "x"',
  );
});
