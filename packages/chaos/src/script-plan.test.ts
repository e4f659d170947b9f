import { FLEET } from './fleet';
import { planKills } from './kill-schedule';
import { describeAction, planScript } from './script-plan';

describe('planScript', () => {
  const plan = planScript({ seed: 7, rollouts: FLEET, durationMs: 60_000 });

  test('a seed gives one script, another seed another', () => {
    expect(planScript({ seed: 7, rollouts: FLEET, durationMs: 60_000 })).toEqual(plan);
    expect(planScript({ seed: 8, rollouts: FLEET, durationMs: 60_000 })).not.toEqual(plan);
  });

  test('every kind of action, in time order within the window', () => {
    expect(new Set(plan.map((a) => a.kind))).toEqual(
      new Set(['set-image', 'abort', 'retry', 'promote', 'promote-full']),
    );
    expect(new Set(plan.map((a) => a.why).filter(Boolean))).toEqual(new Set(['new', 'bad', 'rollback']));
    expect(plan.map((a) => a.atMs)).toEqual([...plan.map((a) => a.atMs)].sort((x, y) => x - y));
    expect(plan.at(-1)!.atMs).toBeLessThan(60_000);
    expect(plan.length).toBeGreaterThan(60_000 / 600);
  });

  test('a retry only after the script aborted that Rollout (and changed nothing since)', () => {
    const aborted = new Set<string>();
    for (const a of plan) {
      if (a.kind === 'retry') expect(aborted.has(a.rollout)).toBe(true);
      if (a.kind === 'abort') aborted.add(a.rollout);
      if (a.kind === 'retry' || a.kind === 'set-image') aborted.delete(a.rollout);
    }
  });

  test('a rollback goes to an image the Rollout had before', () => {
    const had = new Map(FLEET.map((name) => [name, new Set([`chaos.example/${name}:v1`])]));
    for (const a of plan.filter((x) => x.kind === 'set-image')) {
      if (a.why === 'rollback') expect(had.get(a.rollout)!.has(a.image!)).toBe(true);
      had.get(a.rollout)!.add(a.image!);
    }
  });

  test('described for a person', () => {
    expect(
      describeAction({ atMs: 1234, rollout: 'app', kind: 'set-image', image: 'x:v2-bad', why: 'bad' }),
    ).toBe('  +1.2s app set-image x:v2-bad (bad)');
  });
});

test('planKills: at most `count`, one at a time, each restart inside the window', () => {
  const kills = planKills({ seed: 3, count: 12, durationMs: 60_000 });
  expect(kills).toEqual(planKills({ seed: 3, count: 12, durationMs: 60_000 }));
  expect(kills.length).toBeGreaterThan(6);
  expect(kills.length).toBeLessThanOrEqual(12);
  kills.forEach((k, i) => {
    expect(k.atMs + k.downMs).toBeLessThan(60_000);
    if (i > 0) expect(k.atMs).toBeGreaterThan(kills[i - 1]!.atMs + kills[i - 1]!.downMs);
  });
});
