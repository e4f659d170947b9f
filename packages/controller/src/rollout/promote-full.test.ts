// promote --full skips analysis, pauses and steps (Argo: reconcileAnalysisRuns skips every analysis
// while status.promoteFull is set): no new run is started, running ones are terminated, and a run
// failing meanwhile cannot abort the promotion (found by the integration tests).
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { blueGreenRollout, canaryRollout, template } from '../testing/rollout/fixtures';

const analysis = { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] };

test('canary: promote --full before the background analysis starts starts none', () => {
  const c = new FakeCluster(
    canaryRollout([{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: {} }], {
      analysis: { ...analysis, startingStep: 2 },
    }),
  );
  c.addTemplate(template('check'));
  c.converge();
  c.setImage('demo:2');
  c.converge();
  expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
  expect(c.runs).toHaveLength(0);
  c.patchStatus({ promoteFull: true });
  c.converge();
  expect(c.runs).toHaveLength(0);
  expect(c.rollout.status).toMatchObject({ phase: 'Healthy', currentStepIndex: 4 });
});

test('canary: promote --full terminates the running background analysis; its failure does not abort', () => {
  const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }], { analysis }));
  c.addTemplate(template('check'));
  c.converge();
  c.setImage('demo:2');
  c.converge();
  const run = c.runs[0]!.metadata.name!;
  c.patchStatus({ promoteFull: true });
  c.reconcile();
  expect(c.runs.find((r) => r.metadata.name === run)?.spec.terminate).toBe(true);
  c.setRunPhase(run, 'Failed', 'too late');
  c.converge();
  expect(c.rollout.status?.abort).toBeUndefined();
  expect(c.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: c.rollout.status?.currentPodHash });
  expect(c.runs).toHaveLength(1);
});

test('blue-green: promote --full skips post-promotion analysis', () => {
  const c = new FakeCluster(
    blueGreenRollout({ autoPromotionEnabled: false, postPromotionAnalysis: analysis }),
  );
  c.addService('bg-active');
  c.addService('bg-preview');
  c.addTemplate(template('check'));
  c.converge();
  c.setImage('bg:2');
  c.converge();
  expect(c.rollout.status?.phase).toBe('Paused');
  c.patchStatus({ promoteFull: true });
  c.converge();
  expect(c.runs).toHaveLength(0);
  expect(c.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: c.rollout.status?.currentPodHash });
});

describe('promote --full on an aborted Rollout (Argo CD offers it there)', () => {
  test('canary: the abort is lifted and the update promoted, analysis skipped', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }], { analysis }));
    c.addTemplate(template('check'));
    c.converge();
    c.setImage('demo:2');
    c.converge();
    c.setRunPhase(c.runs[0]!.metadata.name!, 'Failed', 'too many errors');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
    c.patchStatus({ promoteFull: true }); // Argo CD's promote-full action
    c.converge();
    const status = c.rollout.status!;
    expect(status).toMatchObject({ phase: 'Healthy', stableRS: status.currentPodHash, currentStepIndex: 2 });
    expect(status.abort).toBeUndefined();
    expect(status.abortedAt).toBeUndefined();
    expect(status.promoteFull).toBeUndefined();
    expect(c.counts()).toEqual({ 'demo:1': 0, 'demo:2': 5 });
    expect(c.runs).toHaveLength(1);
  });

  test('canary: no flag is left behind to skip the steps of a later retry', () => {
    // The trap: promoteFull kept on the aborted Rollout, then a retry jumped straight to 100%.
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
    c.converge();
    c.badImages.add('demo:2-bad');
    c.setImage('demo:2-bad');
    c.converge();
    c.patchStatus({ abort: true });
    c.converge();
    c.patchStatus({ promoteFull: true });
    c.converge();
    // the bad version cannot become available: the stable is kept, the flag still acted on
    expect(c.rollout.status?.abort).toBeUndefined();
    expect(c.rollout.status?.stableRS).not.toBe(c.rollout.status?.currentPodHash);
    expect(c.counts()['demo:1']).toBeGreaterThanOrEqual(4);
    // a new, good version: it goes through its steps, no full promotion left over
    c.setImage('demo:3');
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect(c.rollout.status?.promoteFull).toBeUndefined();
  });

  test('an abort asked for during a full promotion wins over it', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
    c.converge();
    c.badImages.add('demo:2-bad');
    c.setImage('demo:2-bad');
    c.converge();
    c.patchStatus({ promoteFull: true });
    c.converge();
    c.patchStatus({ abort: true });
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
    expect(c.rollout.status?.promoteFull).toBeUndefined();
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2-bad': 0 });
  });

  test('blue-green: the abort is lifted and the active Service switched', () => {
    const c = new FakeCluster(blueGreenRollout({ autoPromotionEnabled: false }));
    c.addService('bg-active');
    c.addService('bg-preview');
    c.converge();
    c.setImage('bg:2');
    c.converge();
    c.patchStatus({ abort: true });
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
    c.patchStatus({ promoteFull: true });
    c.converge();
    const status = c.rollout.status!;
    expect(status).toMatchObject({ phase: 'Healthy', stableRS: status.currentPodHash });
    expect(status.blueGreen?.activeSelector).toBe(status.currentPodHash);
    expect(status.abort).toBeUndefined();
    expect(status.promoteFull).toBeUndefined();
  });

  test('a promoteFull that has nothing to promote is cleared', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }]));
    c.converge();
    c.patchStatus({ promoteFull: true });
    c.converge();
    expect(c.rollout.status?.promoteFull).toBeUndefined();
    expect(c.rollout.status?.phase).toBe('Healthy');
  });

  test('progressDeadlineAbort during a full promotion of a version that never comes up: aborted, flag cleared', () => {
    const c = new FakeCluster(canaryRollout([{ setWeight: 20 }, { pause: {} }], {}));
    c.rollout.spec.progressDeadlineSeconds = 60;
    c.rollout.spec.progressDeadlineAbort = true;
    c.converge();
    c.badImages.add('demo:2-bad');
    c.setImage('demo:2-bad');
    c.converge();
    c.patchStatus({ promoteFull: true });
    c.converge();
    c.advance(61);
    c.converge();
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
    expect(c.rollout.status?.promoteFull).toBeUndefined();
    expect(c.counts()).toEqual({ 'demo:1': 5, 'demo:2-bad': 0 });
  });
});
