import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { canaryRollout, template } from '../testing/rollout/fixtures';

/** Safety invariants, checked on every state a test passes through. */
function checkInvariants(c: FakeCluster): void {
  const status = c.rollout.status ?? {};
  const stable = status.stableRS ? c.rs(status.stableRS) : undefined;
  for (const svc of c.services.values()) {
    const hash = svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    if (!hash) continue;
    const rs = c.rs(hash);
    expect({ service: svc.metadata.name, available: (rs?.status?.availableReplicas ?? 0) > 0 }).toEqual({
      service: svc.metadata.name,
      available: true,
    });
  }
  const steps = c.rollout.spec.strategy?.canary?.steps ?? [];
  const midway = (status.currentStepIndex ?? 0) < steps.length;
  if (stable && status.stableRS !== status.currentPodHash && midway) {
    // while a canary is in progress (or aborted) the stable keeps serving
    expect(stable.spec.replicas ?? 0).toBeGreaterThan(0);
  }
}

function deploy(c: FakeCluster): void {
  c.converge(30, () => checkInvariants(c));
  expect(c.rollout.status?.phase).toBe('Healthy');
}

describe('canary without a traffic router', () => {
  test('the first deploy goes straight to the new revision, steps skipped', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
    deploy(c);
    const status = c.rollout.status!;
    expect(status.stableRS).toBe(status.currentPodHash);
    expect(status.currentStepIndex).toBe(2);
    expect(c.counts()).toEqual({ 'demo:1': 5 });
    expect(status.conditions?.find((x) => x.type === 'Completed')?.status).toBe('True');
    expect(status.observedGeneration).toBe('1');
    expect(status.selector).toBe('app=demo');
    expect(c.events[0]).toMatch(/^NewReplicaSetCreated: Created ReplicaSet demo-\w+ \(revision 1\)$/);
  });

  test('the reconcile that promotes is also Completed and done progressing when the old pods are already gone', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 50 }]));
    deploy(c);
    c.setImage('demo:2');
    c.plans.length = 0;
    c.converge(30, () => checkInvariants(c));
    const hash = c.rollout.status?.currentPodHash;
    const promoting = c.plans.find((p) => p.status.stableRS === hash);
    const completed = (p: typeof promoting) => p?.status.conditions?.find((x) => x.type === 'Completed');
    expect(promoting?.status.phase).toBe('Healthy');
    expect(completed(promoting)).toMatchObject({ status: 'True', reason: 'RolloutCompleted' });
    expect(promoting?.status.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
    // Argo's Completed follows status.stableRS: False on every plan before the promotion.
    const earlier = c.plans.slice(0, c.plans.indexOf(promoting!));
    for (const p of earlier) expect(completed(p)?.status).toBe('False');
  });

  test('the seed canary: 20%, paused until promote, then to the end', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: { duration: '1h' } }]));
    deploy(c);
    c.setImage('demo:2');
    c.converge(30, () => checkInvariants(c));
    expect(c.counts()).toEqual({ 'demo:1': 4, 'demo:2': 1 });
    expect(c.rollout.status).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
    });
    const plan = c.reconcile();
    expect(plan.wakeAt?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    // promote: clear the pause conditions, as the plugin and Argo CD do
    c.patchStatus({ pauseConditions: [] });
    c.converge(30, () => checkInvariants(c));
    expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
    expect(c.rollout.status).toMatchObject({ phase: 'Healthy', currentStepIndex: 2 });
    expect(c.rollout.status?.stableRS).toBe(c.rollout.status?.currentPodHash);
    expect(c.events).toContain('RolloutStepCompleted: Rollout step 2/2 completed (pause: 1h)');
  });

  test('a timed pause ends by itself', () => {
    const c = new FakeCluster(
      canaryRollout([
        { setWeight: 40 },
        { pause: { duration: 30 } },
        { setWeight: 80 },
        { pause: { duration: '1m' } },
      ]),
    );
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    expect(c.counts()).toEqual({ 'demo:1': 3, 'demo:2': 2 });
    c.advance(30);
    c.converge();
    expect(c.counts()).toEqual({ 'demo:1': 1, 'demo:2': 4 });
    expect(c.rollout.status?.currentStepIndex).toBe(3);
    c.advance(59);
    c.converge();
    expect(c.rollout.status?.phase).toBe('Paused');
    c.advance(1);
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
    expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
  });

  test('a step analysis that succeeds lets the rollout go on', () => {
    const c = new FakeCluster(
      canaryRollout([
        { setWeight: 20 },
        {
          analysis: {
            templates: [{ templateName: 'check' }],
            args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
          },
        },
      ]),
    );
    c.addTemplate(template('check'));
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    const run = c.runs[0]!;
    expect(run.metadata.name).toBe(`demo-${c.rollout.status?.currentPodHash}-2-1`);
    expect(run.metadata.labels).toMatchObject({ 'rollout-type': 'Step', 'step-index': '1' });
    expect(run.spec.args).toEqual([{ name: 'hash', value: c.rollout.status?.currentPodHash }]);
    expect(c.rollout.status?.canary?.currentStepAnalysisRunStatus).toEqual({
      name: run.metadata.name,
      status: 'Pending',
    });
    c.setRunPhase(run.metadata.name!, 'Successful');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
  });

  test('a failing background analysis aborts: stable back to full, Degraded with the reason; retry starts again', () => {
    const c = new FakeCluster(
      canaryRollout([{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }], {
        canaryService: 'canary',
        stableService: 'stable',
        analysis: { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] },
      }),
    );
    c.addService('canary');
    c.addService('stable');
    c.addTemplate(template('check'));
    deploy(c);
    const stableHash = c.rollout.status!.stableRS!;
    c.setImage('demo:2');
    c.converge(30, () => checkInvariants(c));
    const background = c.runs.find((r) => r.metadata.labels?.['rollout-type'] === 'Background')!;
    expect(c.services.get('canary')?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(
      c.rollout.status?.currentPodHash,
    );
    c.setRunPhase(
      background.metadata.name!,
      'Failed',
      'Metric "ok" assessed Failed due to failed (1) > failureLimit (0)',
    );
    c.converge(30, () => checkInvariants(c));
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0 });
    expect(c.rollout.status).toMatchObject({ abort: true, phase: 'Degraded' });
    expect(c.rollout.status?.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "ok" assessed Failed due to failed (1) > failureLimit (0)',
    );
    for (const svc of ['canary', 'stable'])
      expect(c.services.get(svc)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(stableHash);
    // retry: the plugin clears status.abort
    c.patchStatus({ abort: false });
    c.converge(30, () => checkInvariants(c));
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect(c.rollout.status?.abortedAt).toBeUndefined();
    const fresh = c.runs.filter((r) => r.metadata.labels?.['rollout-type'] === 'Background');
    expect(fresh).toHaveLength(2);
    expect(c.rollout.status?.canary?.currentBackgroundAnalysisRunStatus?.name).toBe(
      `${background.metadata.name}.1`,
    );
  });

  test('an inconclusive step analysis pauses; promote runs it again', () => {
    const c = new FakeCluster(
      canaryRollout([
        { setWeight: 20 },
        { analysis: { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] } },
      ]),
    );
    c.addTemplate(template('check'));
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    c.setRunPhase(c.runs[0]!.metadata.name!, 'Inconclusive');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', message: 'InconclusiveAnalysisRun' });
    c.patchStatus({ pauseConditions: [] });
    c.converge();
    expect(c.runs).toHaveLength(2);
    expect(c.rollout.status?.phase).toBe('Progressing');
    c.setRunPhase(c.runs[1]!.metadata.name!, 'Successful');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
  });

  test('promote --full goes straight to 100% and cancels analysis', () => {
    const c = new FakeCluster(
      canaryRollout([{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]),
    );
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    c.patchStatus({ promoteFull: true });
    c.converge();
    expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
    expect(c.rollout.status).toMatchObject({ phase: 'Healthy', currentStepIndex: 4 });
    expect(c.rollout.status?.promoteFull).toBeUndefined();
  });

  test('a new revision pushed mid-rollout starts again from step 0 and terminates the old runs', () => {
    const c = new FakeCluster(
      canaryRollout([
        { setWeight: 20 },
        { analysis: { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] } },
      ]),
    );
    c.addTemplate(template('check'));
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    const first = c.runs[0]!.metadata.name!;
    c.setImage('demo:3');
    c.converge();
    expect(c.runs.find((r) => r.metadata.name === first)?.spec.terminate).toBe(true);
    expect(c.counts()).toEqual({ 'demo:1': 4, 'demo:2': 0, 'demo:3': 1 });
    expect(c.rollout.status?.currentStepIndex).toBe(1);
  });

  test('a bad image exceeds the progress deadline; with progressDeadlineAbort it is aborted', () => {
    const r = canaryRollout([{ setWeight: 20 }, { pause: {} }]);
    r.spec.progressDeadlineSeconds = 60;
    r.spec.progressDeadlineAbort = true;
    const c = new FakeCluster(r);
    deploy(c);
    c.badImages.add('demo:2-bad');
    c.setImage('demo:2-bad');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Progressing');
    c.advance(61);
    c.converge();
    expect(c.rollout.status?.phase).toBe('Degraded');
    expect(c.rollout.status?.message).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "demo-\w+" has timed out progressing\.$/,
    );
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2-bad': 0 });
  });

  test('undo to the stable template is a fast rollback: no steps', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
    deploy(c);
    c.setImage('demo:2');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Paused');
    c.setImage('demo:1');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2': 0 });
  });

  test('an invalid spec is reported and recovers when fixed', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 140 }]));
    c.reconcile();
    expect(c.rollout.status?.phase).toBe('Degraded');
    expect(c.rollout.status?.message).toBe(
      'InvalidSpec: The Rollout "demo" is invalid: spec.strategy.canary.steps[0].setWeight: 140 is out of range; use 0..100',
    );
    expect(c.replicaSets).toHaveLength(0);
    c.rollout.spec.strategy!.canary!.steps = [{ setWeight: 40 }];
    deploy(c);
  });

  test('a missing template is InvalidSpec, named', () => {
    const c = new FakeCluster(canaryRollout([{ analysis: { templates: [{ templateName: 'nope' }] } }]));
    c.reconcile();
    expect(c.rollout.status?.message).toContain('AnalysisTemplate "nope" not found in namespace "default"');
  });

  test('an idle, healthy rollout plans no writes', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }]));
    deploy(c);
    c.advance(3600);
    const plan = c.reconcile();
    expect(plan).toMatchObject({
      updateReplicaSets: [],
      updateServices: [],
      createAnalysisRuns: [],
      events: [],
    });
    expect(plan.status).toEqual(c.plans.at(-2)?.status);
  });

  test('restartAt replaces every older pod, one at a time, then records restartedAt', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }]));
    deploy(c);
    const before = c.pods.map((p) => p.metadata.name);
    c.advance(60);
    c.rollout.spec.restartAt = '2026-01-01T00:01:00Z';
    const plan = c.reconcile();
    expect(plan.deletePods).toHaveLength(1);
    expect(c.rollout.status?.phase).toBe('Progressing');
    c.advance(1);
    c.converge(40);
    expect(c.pods.some((p) => before.includes(p.metadata.name))).toBe(false);
    expect(c.rollout.status).toMatchObject({ phase: 'Healthy', restartedAt: '2026-01-01T00:01:00Z' });
    expect(c.plans.every((p) => p.deletePods.length <= 1)).toBe(true);
  });

  test('a restart in the future waits for its time', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }]));
    deploy(c);
    c.rollout.spec.restartAt = '2026-01-01T00:10:00Z';
    const plan = c.reconcile();
    expect(plan.deletePods).toEqual([]);
    expect(plan.wakeAt?.toISOString()).toBe('2026-01-01T00:10:00.000Z');
  });
});
