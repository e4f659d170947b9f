// A controller stopped mid-rollout and a new one started: the state lives in the objects, so the
// new controller picks up the timed pause and the analysis run where they were.
import { canary, canaryServices, latestHashArgs, webTemplate } from '../testing/integration/fixtures';
import { sleep, useHarness } from '../testing/integration/harness';

const env = useHarness();

test('stopped in the middle of a timed pause, restarted: the same pause ends, then Healthy', async () => {
  const h = await env.start();
  const steps = [
    { setWeight: 20 },
    { pause: { duration: '4s' } },
    { setWeight: 60 },
    { pause: { duration: '1s' } },
  ];
  await h.create(...canaryServices('timed'), canary('timed', steps));
  await h.startController();
  const v1 = (await h.waitForPhase('timed', 'Healthy')).status?.currentPodHash;
  await h.setImage('timed', 'timed:v2');
  const paused = await h.waitForPhase('timed', 'Paused', (ro) => ro.status?.currentPodHash !== v1);
  const v2 = paused.status?.currentPodHash;
  const started = paused.status?.pauseConditions?.[0]?.startTime;
  expect(started).toBeDefined();

  await h.stopController();
  await sleep(1000);
  expect(h.rollout('timed').status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });

  await h.startController();
  await h.settle();
  // a new controller keeps the pause's start: the pause is not taken again
  expect(h.rollout('timed').status?.pauseConditions?.[0]?.startTime).toBe(started);
  const done = await h.waitForPhase('timed', 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(done.status?.currentStepIndex).toBe(4);
  expect(h.counts('timed')).toEqual({ [v1!]: 0, [v2!]: 5 });
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('stopped while a step analysis measures, restarted: the same run goes on to Successful, then Healthy', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  const analysis = { templates: [{ templateName: 'web-check' }], args: latestHashArgs };
  await h.create(
    webTemplate('web-check', metrics.url, { count: 3 }),
    ...canaryServices('measured'),
    canary('measured', [{ setWeight: 20 }, { analysis }, { setWeight: 60 }]),
  );
  await h.startController();
  const v1 = (await h.waitForPhase('measured', 'Healthy')).status?.currentPodHash;
  await h.setImage('measured', 'measured:v2');
  const runName = await h.waitFor(
    'the step run',
    () => h.rollout('measured').status?.canary?.currentStepAnalysisRunStatus?.name,
  );
  await h.waitFor('a first measurement', () => (h.run(runName)?.status?.metricResults?.[0]?.count ?? 0) >= 1);

  await h.stopController();
  const measured = metrics.requests;
  await sleep(1200);
  expect(metrics.requests).toBe(measured);

  await h.startController();
  const done = await h.waitForPhase('measured', 'Healthy', (ro) => ro.status?.currentPodHash !== v1);
  // the step is done: its run is no longer the current one (Argo clears the entry), and it succeeded
  expect(done.status?.canary?.currentStepAnalysisRunStatus).toBeUndefined();
  expect(h.run(runName)?.status?.phase).toBe('Successful');
  expect(h.runs().map((r) => r.metadata.name)).toEqual([runName]);
  expect(h.run(runName)?.status?.metricResults?.[0]).toMatchObject({ count: 3, successful: 3 });
  expect(metrics.requests).toBe(3);
  expect(await h.writesWhileIdle()).toEqual([]);
});
