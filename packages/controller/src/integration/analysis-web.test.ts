// Analysis with the web provider against an HTTP endpoint the test controls: background analysis
// that fails and aborts, a step analysis that succeeds, an inconclusive one that pauses.
import { waitForAbortEnd } from '../testing/integration/abort-end';
import { canary, canaryServices, latestHashArgs, webTemplate } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();
const analysis = { templates: [{ templateName: 'web-check' }], args: latestHashArgs };

/** Deploys `name` at v1, then pushes v2; returns both hashes. */
async function update(h: Harness, name: string): Promise<[string, string]> {
  await h.startController();
  const v1 = (await h.waitForPhase(name, 'Healthy')).status?.currentPodHash ?? '';
  await h.setImage(name, `${name}:v2`);
  const v2 = await h.waitFor('the new revision', () => {
    const hash = h.rollout(name).status?.currentPodHash;
    return hash !== v1 && hash;
  });
  return [v1, v2];
}

test('failing background analysis aborts: stable back at 100%, Degraded with the analysis message', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  const ro = canary('bg', [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }], { analysis });
  await h.create(webTemplate('web-check', metrics.url), ...canaryServices('bg'), ro);
  const [v1, v2] = await update(h, 'bg');
  await h.waitForPhase('bg', 'Paused', (r) => r.status?.currentStepIndex === 1);
  const runName = h.rollout('bg').status?.canary?.currentBackgroundAnalysisRunStatus?.name;
  await h.waitFor('measurements of the canary', () => h.run(runName)?.status?.phase === 'Running');
  expect(metrics.hashes).toContain(v2);
  expect(metrics.hashes).not.toContain(v1);
  expect(h.selected('bg-canary')).toBe(v2);

  metrics.status = 'bad';
  const aborted = await waitForAbortEnd(h, 'bg');
  const run = h.run(runName);
  expect(run?.status?.phase).toBe('Failed');
  expect(run?.status?.message).toBeTruthy();
  expect(aborted.status?.message).toBe(
    `RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: ${run?.status?.message}`,
  );
  expect(h.counts('bg')).toEqual({ [v1]: 5, [v2]: 0 });
  expect(await h.writesWhileIdle(500)).toEqual([]);
});

test('a step analysis that succeeds lets the canary go on to Healthy', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  const ro = canary('step', [
    { setWeight: 20 },
    { analysis },
    { setWeight: 60 },
    { pause: { duration: '1s' } },
  ]);
  await h.create(webTemplate('web-check', metrics.url, { count: 2 }), ...canaryServices('step'), ro);
  const [, v2] = await update(h, 'step');
  const done = await h.waitForPhase('step', 'Healthy', (r) => r.status?.stableRS === v2);
  // the step is done: Argo clears its entry; the one run of the step succeeded
  expect(done.status?.canary?.currentStepAnalysisRunStatus).toBeUndefined();
  const run = h.runs().find((r) => r.metadata.labels?.['rollout-type'] === 'Step');
  expect(run?.metadata.labels).toMatchObject({ 'rollout-type': 'Step', 'step-index': '1' });
  expect(run?.status?.phase).toBe('Successful');
  expect(run?.status?.metricResults?.[0]).toMatchObject({ phase: 'Successful', count: 2, successful: 2 });
  expect(metrics.hashes).toEqual([v2, v2]);
  expect(h.selected('step-stable')).toBe(v2);
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('an inconclusive step analysis pauses the rollout; promote measures again', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  metrics.status = 'unsure';
  const ro = canary('unsure', [{ setWeight: 40 }, { analysis }, { setWeight: 80 }]);
  await h.create(webTemplate('web-check', metrics.url, { count: 1 }), ...canaryServices('unsure'), ro);
  const [v1, v2] = await update(h, 'unsure');
  const paused = await h.waitForPhase('unsure', 'Paused');
  expect(paused.status).toMatchObject({ message: 'InconclusiveAnalysisRun', currentStepIndex: 1 });
  expect(paused.status?.pauseConditions?.map((p) => p.reason)).toEqual(['InconclusiveAnalysisRun']);
  const first = paused.status?.canary?.currentStepAnalysisRunStatus;
  expect(first).toMatchObject({ status: 'Inconclusive' });
  expect(h.counts('unsure')).toEqual({ [v1]: 3, [v2]: 2 });

  metrics.status = 'ok';
  await h.promote('unsure');
  await h.waitForPhase('unsure', 'Healthy', (r) => r.status?.stableRS === v2);
  // one new run, which succeeded; the first stays Inconclusive
  const runs = h.runs().filter((r) => r.metadata.labels?.['rollout-type'] === 'Step');
  expect(runs.map((r) => r.metadata.name).sort()).toEqual([first?.name, `${first?.name}.1`].sort());
  expect(h.run(`${first?.name}.1`)?.status?.phase).toBe('Successful');
  expect(h.run(first?.name)?.status?.phase).toBe('Inconclusive');
});

test('promote --full skips the background analysis: no run, no measurement, Healthy', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  metrics.status = 'bad';
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];
  const ro = canary('full', steps, { analysis: { ...analysis, startingStep: 2 } });
  await h.create(webTemplate('web-check', metrics.url), ...canaryServices('full'), ro);
  const [v1, v2] = await update(h, 'full');
  await h.waitForPhase('full', 'Paused', (r) => r.status?.currentStepIndex === 1);
  await h.promoteFull('full');
  const done = await h.waitForPhase('full', 'Healthy', (r) => r.status?.stableRS === v2);
  expect(done.status?.abort).toBeUndefined();
  expect(h.runs()).toEqual([]);
  expect(metrics.requests).toBe(0);
  expect(h.counts('full')).toEqual({ [v1]: 0, [v2]: 5 });
});
