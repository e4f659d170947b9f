// A Rollout that cannot run as written is Degraded with InvalidSpec, naming the field, and
// recovers when fixed.
import { canary, canaryServices } from '../testing/integration/fixtures';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();

test('an out-of-range setWeight is InvalidSpec (Degraded, the field named) and recovers when fixed', async () => {
  const h = await env.start();
  await h.create(...canaryServices('invalid'), canary('invalid', [{ setWeight: 140 }]));
  await h.startController();
  const invalid = await h.waitForPhase('invalid', 'Degraded');
  expect(invalid.status?.message).toBe(
    'InvalidSpec: The Rollout "invalid" is invalid: spec.strategy.canary.steps[0].setWeight: 140 is out of range; use 0..100',
  );
  expect(invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec')).toMatchObject({ status: 'True' });
  expect(h.replicaSets('invalid')).toEqual([]);
  expect(await h.writesWhileIdle(500)).toEqual([]);

  await h.patchSpec('invalid', { strategy: { canary: { steps: [{ setWeight: 40 }] } } });
  const healthy = await h.waitForPhase('invalid', 'Healthy');
  expect(healthy.status?.conditions?.find((c) => c.type === 'InvalidSpec')).toBeUndefined();
  expect(healthy.status?.message).toBeUndefined();
  expect(Object.values(h.counts('invalid'))).toEqual([5]);
  expect(h.selected('invalid-stable')).toBe(healthy.status?.currentPodHash);
});

test('a Service that does not exist is InvalidSpec naming the field; creating it recovers', async () => {
  const h = await env.start();
  const [stable, canaryService] = canaryServices('nosvc');
  await h.create(canaryService!, canary('nosvc', [{ setWeight: 50 }, { pause: {} }]));
  await h.startController();
  const invalid = await h.waitForPhase('nosvc', 'Degraded');
  expect(invalid.status?.message).toBe(
    'InvalidSpec: The Rollout "nosvc" is invalid: spec.strategy.canary.stableService: service "nosvc-stable" not found; create it or fix the name',
  );
  await h.create(stable!);
  const healthy = await h.waitForPhase('nosvc', 'Healthy');
  expect(h.selected('nosvc-stable')).toBe(healthy.status?.currentPodHash);
  expect(await h.writesWhileIdle()).toEqual([]);
});
