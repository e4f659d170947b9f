// promote --full skips analysis, pauses and steps (Argo: reconcileAnalysisRuns skips every analysis
// while status.promoteFull is set): no new run is started, running ones are terminated, and a run
// failing meanwhile cannot abort the promotion (found by the integration tests).
import { FakeCluster } from './testing/fake-cluster';
import { blueGreenRollout, canaryRollout, template } from './testing/fixtures';

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
