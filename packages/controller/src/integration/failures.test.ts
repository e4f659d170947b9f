// When an update goes wrong or changes course: a bad image against the progress deadline (with and
// without progressDeadlineAbort), a new image mid-rollout, abort then retry.
import type { Rollout } from '@ramp/api';
import { waitForAbortEnd } from '../testing/integration/abort-end';
import { canary, canaryServices, latestHashArgs, webTemplate } from '../testing/integration/fixtures';
import type { Harness } from '../testing/integration/harness';
import { useHarness } from '../testing/integration/harness';

const env = useHarness();
const analysis = { templates: [{ templateName: 'web-check' }], args: latestHashArgs };

async function deploy(h: Harness, ro: Rollout): Promise<string> {
  const name = ro.metadata.name ?? '';
  await h.create(...canaryServices(name), ro);
  await h.startController();
  return (await h.waitForPhase(name, 'Healthy')).status?.currentPodHash ?? '';
}

/** Pushes `image` and waits for the Rollout to work on it; returns its hash. */
async function push(h: Harness, name: string, image: string, from: string): Promise<string> {
  await h.setImage(name, image);
  return h.waitFor(`${name} to take ${image}`, () => {
    const hash = h.rollout(name).status?.currentPodHash;
    return hash !== from && hash;
  });
}

const TIMED_OUT = /^ReplicaSet "bad-\w+" has timed out progressing\.$/;

test('a bad image runs into the progress deadline: Degraded ProgressDeadlineExceeded, the stable still serving', async () => {
  const h = await env.start();
  const ro = canary('bad', [{ setWeight: 20 }, { pause: {} }]);
  ro.spec.progressDeadlineSeconds = 2;
  const v1 = await deploy(h, ro);
  const v2 = await push(h, 'bad', 'bad:v2-bad', v1);
  const degraded = await h.waitForPhase('bad', 'Degraded');
  const progressing = degraded.status?.conditions?.find((c) => c.type === 'Progressing');
  expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  expect(progressing?.message).toMatch(TIMED_OUT);
  expect(degraded.status?.message).toBe(`ProgressDeadlineExceeded: ${progressing?.message}`);
  expect(degraded.status?.abort).toBeUndefined();
  expect(h.counts('bad')).toEqual({ [v1]: 4, [v2]: 1 });
  expect([h.selected('bad-stable'), h.selected('bad-canary')]).toEqual([v1, v1]);
  expect(await h.writesWhileIdle(500)).toEqual([]);
});

test('with progressDeadlineAbort the bad image is aborted: stable at 100%, every Service on it', async () => {
  const h = await env.start();
  const ro = canary('bad', [{ setWeight: 20 }, { pause: {} }]);
  ro.spec.progressDeadlineSeconds = 2;
  ro.spec.progressDeadlineAbort = true;
  const v1 = await deploy(h, ro);
  const v2 = await push(h, 'bad', 'bad:v2-bad', v1);
  const aborted = await waitForAbortEnd(h, 'bad');
  expect(aborted.status?.message).toMatch(
    /^RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "bad-\w+" has timed out progressing\.$/,
  );
  expect(h.counts('bad')).toEqual({ [v1]: 5, [v2]: 0 });
  expect(await h.writesWhileIdle(500)).toEqual([]);
});

test('a new image mid-rollout starts again from step 0 and terminates the old runs', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  await h.create(webTemplate('web-check', metrics.url));
  const steps = [{ setWeight: 40 }, { pause: {} }, { setWeight: 80 }, { pause: {} }];
  const v1 = await deploy(h, canary('mid', steps, { analysis }));
  const v2 = await push(h, 'mid', 'mid:v2', v1);
  await h.waitForPhase('mid', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const first = h.rollout('mid').status?.canary?.currentBackgroundAnalysisRunStatus?.name;
  await h.waitFor('the first run to measure', () => h.run(first)?.status?.phase === 'Running');

  const v3 = await push(h, 'mid', 'mid:v3', v2);
  const paused = await h.waitForPhase(
    'mid',
    'Paused',
    (ro) => ro.status?.currentPodHash === v3 && ro.status.currentStepIndex === 1,
  );
  expect(h.observer.history.get('mid')).toContain(`Progressing step=0 ${v3}`);
  expect(h.counts('mid')).toEqual({ [v1]: 3, [v2]: 0, [v3]: 2 });
  expect(h.run(first)?.spec.terminate).toBe(true);
  const second = paused.status?.canary?.currentBackgroundAnalysisRunStatus?.name;
  expect(second).not.toBe(first);
  expect(h.run(second)?.metadata.labels?.['rollouts-pod-template-hash']).toBe(v3);
  await h.waitFor('the old run to end', () => h.run(first)?.status?.phase === 'Successful');

  await h.promote('mid');
  await h.waitForPhase('mid', 'Paused', (ro) => ro.status?.currentStepIndex === 3);
  await h.promote('mid');
  await h.waitForPhase('mid', 'Healthy', (ro) => ro.status?.stableRS === v3);
  await h.waitFor('the background run to be terminated', () => h.run(second)?.spec.terminate === true);
  expect(h.counts('mid')).toEqual({ [v1]: 0, [v2]: 0, [v3]: 5 });
  expect(await h.writesWhileIdle()).toEqual([]);
});

test('abort, then retry: back to the pause with a fresh run, then promoted to Healthy', async () => {
  const h = await env.start();
  const metrics = await h.metricServer();
  await h.create(webTemplate('web-check', metrics.url));
  const v1 = await deploy(h, canary('retry', [{ setWeight: 20 }, { pause: {} }], { analysis }));
  const v2 = await push(h, 'retry', 'retry:v2', v1);
  await h.waitForPhase('retry', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  const first = h.rollout('retry').status?.canary?.currentBackgroundAnalysisRunStatus?.name;

  await h.abort('retry');
  const aborted = await waitForAbortEnd(h, 'retry');
  expect(aborted.status?.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
  expect(aborted.status?.abortedAt).toBeDefined();
  await h.waitFor('the run to be terminated', () => h.run(first)?.spec.terminate === true);
  expect(h.counts('retry')).toEqual({ [v1]: 5, [v2]: 0 });

  await h.retry('retry');
  const paused = await h.waitForPhase('retry', 'Paused', (ro) => ro.status?.currentStepIndex === 1);
  expect(paused.status?.abortedAt).toBeUndefined();
  expect(paused.status?.abort).toBeFalsy();
  const second = paused.status?.canary?.currentBackgroundAnalysisRunStatus?.name;
  expect(second).toBe(`${first}.1`);
  await h.waitFor('the fresh run to measure', () => h.run(second)?.status?.phase === 'Running');
  expect(h.counts('retry')).toEqual({ [v1]: 4, [v2]: 1 });
  expect(h.selected('retry-canary')).toBe(v2);

  await h.promote('retry');
  await h.waitForPhase('retry', 'Healthy', (ro) => ro.status?.stableRS === v2);
  expect(h.counts('retry')).toEqual({ [v1]: 0, [v2]: 5 });
  expect(await h.writesWhileIdle()).toEqual([]);
});
