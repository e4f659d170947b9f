// Rollouts that cannot run as written, down to ones with no spec at all: decideRollout reports them
// (Degraded, InvalidSpec naming the field) and touches nothing; it never throws. Each case here was
// found by decide.fuzz.test.ts.
import type { Rollout } from '@ramp/api';
import { referencedServices, referencedTemplateKeys } from '../runtime/rollout-references';
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { blueGreenRollout, canaryRollout } from '../testing/rollout/fixtures';
import { decideRollout } from './decide';

/** A healthy canary whose spec is then replaced by `spec`, decided once. */
function decideWith(spec: unknown) {
  const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
  c.converge();
  const snapshot = { ...c.snapshot(), rollout: { ...c.rollout, spec } as Rollout };
  return decideRollout(snapshot, c.now);
}

const untouched = {
  updateReplicaSets: [],
  deleteReplicaSets: [],
  updateServices: [],
  createAnalysisRuns: [],
  deletePods: [],
};

describe('a spec that is not a spec', () => {
  test.each([
    ['no spec', undefined, 'spec: is required; add "spec:"'],
    ['a string', 'replicas: 3', 'spec: expected a map, got the string "replicas: 3"'],
    ['a list', [], 'spec: expected a map, got a list'],
  ])('%s is InvalidSpec (it was a TypeError)', (_name, spec, expected) => {
    const plan = decideWith(spec);
    expect(plan).toMatchObject(untouched);
    expect(plan.createReplicaSet).toBeUndefined();
    expect(plan.status.phase).toBe('Degraded');
    expect(plan.status.message).toContain(expected);
  });

  test('a template nested 20,000 levels deep is InvalidSpec, not a stack overflow while hashing it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const spec = structuredClone(canaryRollout([{ setWeight: 20 }]).spec) as Record<string, unknown>;
    (spec.template as Record<string, unknown>).extra = deep;
    const plan = decideWith(spec);
    expect(plan).toMatchObject(untouched);
    expect(plan.status.message).toMatch(/spec\.template\.extra(\.a)+: is nested more than 100 levels deep/);
  });

  test('the watch handlers route any Rollout by what it names without throwing', () => {
    for (const spec of [undefined, 'x', { strategy: [] }, { strategy: { canary: { steps: 'x' } } }]) {
      const rollout = { ...canaryRollout([]), spec } as Rollout;
      expect(referencedServices(rollout)).toEqual([]);
      expect(referencedTemplateKeys(rollout)).toEqual([]);
    }
    const steps = [
      null,
      { analysis: { templates: 'x' } },
      { analysis: { templates: [{ templateName: 't' }] } },
    ];
    const rollout = canaryRollout(steps as never, { canaryService: 7, stableService: 'stable' });
    expect(referencedServices(rollout)).toEqual(['stable']);
    expect(referencedTemplateKeys(rollout)).toEqual(['default/t']);
  });
});

describe('null fields are absent, as the API server stores them', () => {
  test('pause: {duration: null} is a pause until promote (it was a TypeError)', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: { duration: null as never } }]));
    c.converge();
    c.setImage('demo:2');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep' });
    expect(c.plans.at(-1)?.wakeAt).toBeUndefined();
  });

  test('analysis: null beside a pause is no analysis (it was a TypeError looking up its templates)', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {}, analysis: null as never }]));
    c.converge();
    c.setImage('demo:2');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect(c.runs).toEqual([]);
  });

  test('blue-green prePromotionAnalysis: null promotes without analysis', () => {
    const c = new FakeCluster(blueGreenRollout({ prePromotionAnalysis: null }));
    c.addService('bg-active');
    c.addService('bg-preview');
    c.converge();
    c.setImage('bg:2');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
  });
});

test('a pause longer than a Date can hold is InvalidSpec; no wake-up at an invalid time is planned', () => {
  // found by decide.fuzz.test.ts: 1e308 seconds validated, and the plan woke up at Invalid Date
  for (const duration of [1e308, Number.MAX_SAFE_INTEGER, '99999999999999999999', '2562047h']) {
    const plan = decideWith(canaryRollout([{ setWeight: 20 }, { pause: { duration } }]).spec);
    expect(plan.status.message).toContain('spec.strategy.canary.steps[1].pause.duration:');
    expect(plan.status.message).toContain('is too long: a pause lasts at most 2147483647 seconds');
    expect(plan.wakeAt).toBeUndefined();
  }
});
