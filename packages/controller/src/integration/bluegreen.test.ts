// The blue-green strategy end to end: preview, a manual promotion, the switch, the delayed
// scale-down of the old revision.
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../model/names';
import { seedBlueGreen, service } from '../testing/integration/fixtures';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();
const NAME = 'bluegreen-rollout';

test('the seed blue-green: preview on the new revision while paused, promote switches active, the old scales down after 2s', async () => {
  const h = await env.start();
  await h.create(service('myapp-active', 'myapp'), service('myapp-preview', 'myapp'), seedBlueGreen());
  await h.startController();
  const v1 = (await h.waitForPhase(NAME, 'Healthy')).status?.currentPodHash;
  expect([h.selected('myapp-active'), h.selected('myapp-preview')]).toEqual([v1, v1]);
  expect(await h.writesWhileIdle()).toEqual([]);

  await h.setImage(NAME, 'myapp:v2');
  const paused = await h.waitForPhase(
    NAME,
    'Paused',
    (ro) => ro.status?.currentPodHash !== v1 && h.selected('myapp-preview') === ro.status?.currentPodHash,
  );
  const v2 = paused.status?.currentPodHash;
  expect(paused.status).toMatchObject({ message: 'BlueGreenPause', stableRS: v1 });
  expect(paused.status?.blueGreen).toMatchObject({ activeSelector: v1, previewSelector: v2 });
  expect(h.selected('myapp-active')).toBe(v1);
  await h.waitFor('the preview pods', () => h.replicaSet(NAME, v2)?.status?.availableReplicas === 2);
  expect(h.counts(NAME)).toEqual({ [v1!]: 2, [v2!]: 2 });
  // paused for a person: nothing to do, nothing written
  expect(await h.writesWhileIdle(500)).toEqual([]);

  await h.promote(NAME);
  await h.waitFor('the switch', () => h.selected('myapp-active') === v2);
  const switchedAt = Date.now();
  const done = await h.waitForPhase(NAME, 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(done.status?.blueGreen?.activeSelector).toBe(v2);
  expect(h.selected('myapp-preview')).toBe(v2);
  // the old stable keeps its pods; its scale-down deadline is set once the status naming the new
  // stable is stored (the reconcile after the promotion)
  const deadline = await h.waitFor(
    'the scale-down deadline',
    () => h.replicaSet(NAME, v1)?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION],
  );
  expect(new Date(deadline).getTime()).toBeGreaterThan(switchedAt);
  expect(h.replicaSet(NAME, v1)?.spec.replicas).toBe(2);
  await h.waitFor('the old revision to scale down', () => h.replicaSet(NAME, v1)?.spec.replicas === 0, 6000);
  // the deadline is written in whole seconds: 2s after the switch, at least 1s after it
  expect(Date.now() - switchedAt).toBeGreaterThanOrEqual(900);
  expect(h.replicaSet(NAME, v1)?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]).toBeUndefined();
  expect(h.counts(NAME)).toEqual({ [v1!]: 0, [v2!]: 2 });
  expect(await h.writesWhileIdle()).toEqual([]);
});
