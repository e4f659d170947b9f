// The safety observer itself: it must see a broken invariant, or the other tests prove nothing.
import { RESOURCES } from '@ramp/kube';
import { POD_TEMPLATE_HASH_LABEL } from '../../model/names';
import { canary, canaryServices } from './fixtures';
import { useHarness } from './harness';

const env = useHarness();

test('the observer catches a Service on pods that do not exist and a stable scaled below the minimum', async () => {
  const h = await env.start();
  await h.create(...canaryServices('watched'), canary('watched', [{ setWeight: 20 }, { pause: {} }]));
  await h.startController();
  const v1 = (await h.waitForPhase('watched', 'Healthy')).status?.currentPodHash ?? '';
  await h.stopController();
  expect(h.observer.samples).toBeGreaterThan(10);
  expect(h.observer.violations).toEqual([]);

  const patch = { spec: { selector: { app: 'watched', [POD_TEMPLATE_HASH_LABEL]: 'nothing' } } };
  await h.client.patch(RESOURCES.services, 'watched-canary', patch, { namespace: 'default' });
  expect(h.observer.violations[0]).toMatch(
    /^watched: Service watched-canary selects nothing, which keeps no ready pod/,
  );
  await expect(h.waitFor('never', () => false, 100)).rejects.toThrow(/safety invariant broken/);
  h.observer.violations.splice(0);

  const back = { spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: v1 } } };
  await h.client.patch(RESOURCES.services, 'watched-canary', back, { namespace: 'default' });
  const rs = h.replicaSet('watched', v1)?.metadata.name ?? '';
  await h.client.patch(RESOURCES.replicaSets, rs, { spec: { replicas: 3 } }, { namespace: 'default' });
  expect(h.observer.violations[0]).toMatch(/^watched: only 3 pods keep serving \(minimum 4\)/);
  h.observer.violations.splice(0);
});
