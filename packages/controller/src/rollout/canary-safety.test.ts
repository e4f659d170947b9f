// Safety of the canary's Services between two reconciles: checked right after each plan is applied,
// before any pod changes, as a real cluster may be observed (found by the integration tests).
import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { FakeCluster, isEmpty } from '../testing/rollout/fake-cluster';
import { canaryRollout } from '../testing/rollout/fixtures';

/** No Service selects a ReplicaSet this plan scaled to zero (its pods are going away). */
function checkServices(c: FakeCluster): void {
  for (const svc of c.services.values()) {
    const hash = svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    if (!hash) continue;
    expect({ service: svc.metadata.name, replicas: c.rs(hash)?.spec.replicas }).toEqual({
      service: svc.metadata.name,
      replicas: expect.any(Number),
    });
    expect({ service: svc.metadata.name, scaledToZero: c.rs(hash)?.spec.replicas === 0 }).toEqual({
      service: svc.metadata.name,
      scaledToZero: false,
    });
  }
}

/** Reconciles until nothing changes, checking after every plan (not only once pods settled). */
function walk(c: FakeCluster): void {
  for (let i = 0; i < 40; i++) {
    const plan = c.reconcile();
    checkServices(c);
    c.settlePods();
    if (isEmpty(plan, c)) return;
  }
  throw new Error('no fixed point');
}

test('the stable Service moves to the new revision before the stable ReplicaSet is scaled to zero', () => {
  const c = new FakeCluster(
    canaryRollout([{ setWeight: 20 }, { pause: {} }], { canaryService: 'canary', stableService: 'stable' }),
  );
  c.addService('canary');
  c.addService('stable');
  walk(c);
  const v1 = c.rollout.status?.stableRS;
  c.setImage('demo:2');
  walk(c);
  expect(c.rollout.status?.phase).toBe('Paused');
  c.patchStatus({ pauseConditions: [] });
  walk(c);
  const v2 = c.rollout.status?.currentPodHash;
  expect(v2).not.toBe(v1);
  expect(c.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: v2 });
  expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
  expect(c.services.get('stable')?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(v2);
});

test('a setWeight: 0 step moves the canary Service to the stable before the canary is scaled to zero', () => {
  // found by decide.fuzz.test.ts: the canary Service stayed on the canary ReplicaSet as the step
  // emptied it, so for one reconcile it selected pods that were going away
  const c = new FakeCluster(
    canaryRollout([{ setWeight: 40 }, { pause: { duration: 30 } }, { setWeight: 0 }, { pause: {} }], {
      canaryService: 'canary',
      stableService: 'stable',
    }),
  );
  c.addService('canary');
  c.addService('stable');
  walk(c);
  const v1 = c.rollout.status?.stableRS;
  c.setImage('demo:2');
  walk(c);
  const v2 = c.rollout.status?.currentPodHash;
  expect(c.services.get('canary')?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(v2);
  c.advance(30);
  walk(c);
  expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 3 });
  expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0 });
  expect(c.services.get('canary')?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(v1);
});
