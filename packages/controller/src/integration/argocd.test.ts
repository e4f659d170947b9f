// Ramp driven as an Argo CD user drives Argo Rollouts: the health Argo CD shows, the actions it
// offers, and its action scripts' changes applied to the live objects (issue #19's trial). The
// resume after an inconclusive step analysis makes one new run and the step completes only when it
// succeeds; promote-full on an aborted Rollout promotes and leaves no flag behind; a blue-green's
// first deploy offers no abort.
import { argoCdActions, argoCdHealth, runAction } from '../testing/integration/argocd-actions';
import {
  canary,
  canaryServices,
  latestHashArgs,
  seedBlueGreen,
  service,
  webTemplate,
} from '../testing/integration/fixtures';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();
const analysis = { templates: [{ templateName: 'web-check' }], args: latestHashArgs };
const sorted = (set: Set<string>) => [...set].sort();

test('resume after an inconclusive step analysis: one new run, the step done only on its success', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  metrics.status = 'unsure';
  const ro = canary('cd', [{ setWeight: 20 }, { analysis }, { setWeight: 60 }, { pause: {} }]);
  await h.create(webTemplate('web-check', metrics.url, { count: 1 }), ...canaryServices('cd'), ro);
  await h.startController();
  const v1 = (await h.waitForPhase('cd', 'Healthy')).status?.currentPodHash;
  expect(argoCdHealth(h.rollout('cd'))).toEqual({ status: 'Healthy', message: '' });
  expect(sorted(argoCdActions(h.rollout('cd')))).toEqual(['restart']);

  await h.setImage('cd', 'cd:v2');
  const paused = await h.waitForPhase('cd', 'Paused', (r) => r.status?.currentPodHash !== v1);
  expect(argoCdHealth(paused)).toEqual({ status: 'Suspended', message: 'InconclusiveAnalysisRun' });
  expect(sorted(argoCdActions(paused))).toEqual([
    'abort',
    'pause',
    'promote-full',
    'restart',
    'resume',
    'skip-current-step',
  ]);
  const first = paused.status?.canary?.currentStepAnalysisRunStatus?.name;
  await runAction(h, 'cd', 'resume');
  // the new run measures 'unsure' again: still paused, two runs in all, none stopped by Ramp
  await h.waitFor('the second run to end', () => h.run(`${first}.1`)?.status?.phase === 'Inconclusive');
  await h.waitForPhase('cd', 'Paused', (r) => (r.status?.pauseConditions ?? []).length > 0);
  expect(
    h
      .runs()
      .map((r) => r.metadata.name)
      .sort(),
  ).toEqual([first, `${first}.1`]);
  expect(h.rollout('cd').status?.currentStepIndex).toBe(1);
  metrics.status = 'ok';
  await runAction(h, 'cd', 'resume');
  await h.waitForPhase('cd', 'Paused', (r) => r.status?.currentStepIndex === 3);
  expect(
    h
      .runs()
      .map((r) => r.metadata.name)
      .sort(),
  ).toEqual([first, `${first}.1`, `${first}.2`]);
  expect(h.run(`${first}.2`)?.status?.phase).toBe('Successful');
  expect(h.runs().filter((r) => r.spec.terminate)).toEqual([]);
  await runAction(h, 'cd', 'resume');
  const done = await h.waitForPhase('cd', 'Healthy', (r) => r.status?.stableRS === r.status?.currentPodHash);
  expect(done.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('2');
  expect(await h.writesWhileIdle(500)).toEqual([]);
});

test('promote-full on an aborted canary: promoted, no abort or promoteFull left to fire', async () => {
  const h = await env.start();
  await h.create(...canaryServices('pf'), canary('pf', [{ setWeight: 20 }, { pause: {} }]));
  await h.startController();
  const v1 = (await h.waitForPhase('pf', 'Healthy')).status?.currentPodHash;
  await h.setImage('pf', 'pf:v2');
  await h.waitForPhase('pf', 'Paused', (r) => r.status?.currentPodHash !== v1);
  await runAction(h, 'pf', 'abort');
  const aborted = await h.waitForPhase('pf', 'Degraded');
  expect(argoCdHealth(aborted)).toEqual({
    status: 'Degraded',
    message: 'RolloutAborted: Rollout aborted update to revision 2',
  });
  expect(aborted.status?.currentStepIndex).toBe(0);
  expect(sorted(argoCdActions(aborted))).toEqual(['promote-full', 'restart', 'retry', 'skip-current-step']);
  await runAction(h, 'pf', 'promote-full');
  const done = await h.waitForPhase('pf', 'Healthy', (r) => r.status?.stableRS === r.status?.currentPodHash);
  expect(done.status?.abort).toBeFalsy();
  expect(done.status?.promoteFull).toBeFalsy();
  expect(done.status?.currentStepIndex).toBe(2);
  expect(sorted(argoCdActions(done))).toEqual(['restart']);
  expect(h.counts('pf')).toEqual({ [v1 ?? '']: 0, [done.status?.currentPodHash ?? '']: 5 });
});

test("blue-green: the first deploy is stable at once (Argo CD offers no abort), and each phase's health", async () => {
  const h = await env.start();
  await h.create(
    service('myapp-active', 'bluegreen-rollout'),
    service('myapp-preview', 'bluegreen-rollout'),
    seedBlueGreen(),
  );
  await h.startController();
  const first = await h.waitFor('the first status', () => {
    const ro = h.rollout('bluegreen-rollout');
    return ro.status?.currentPodHash ? ro : undefined;
  });
  expect(first.status?.stableRS).toBe(first.status?.currentPodHash);
  expect(argoCdActions(first).has('abort')).toBe(false);
  const v1 = (await h.waitForPhase('bluegreen-rollout', 'Healthy')).status?.currentPodHash;
  await h.setImage('bluegreen-rollout', 'myapp:v2');
  const paused = await h.waitForPhase('bluegreen-rollout', 'Paused', (r) => r.status?.currentPodHash !== v1);
  expect(argoCdHealth(paused)).toEqual({ status: 'Suspended', message: 'BlueGreenPause' });
  // only the active ReplicaSet counts: 2 available, though 4 pods are up
  expect(paused.status).toMatchObject({ availableReplicas: 2, readyReplicas: 2, HPAReplicas: 2 });
  expect(paused.status?.selector).toBe(`app=bluegreen-rollout,rollouts-pod-template-hash=${v1}`);
  await runAction(h, 'bluegreen-rollout', 'resume');
  const done = await h.waitForPhase('bluegreen-rollout', 'Healthy', (r) => r.status?.stableRS !== v1);
  expect(done.status?.blueGreen?.activeSelector).toBe(done.status?.currentPodHash);
  expect(done.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
});
