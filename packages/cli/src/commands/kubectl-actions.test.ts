// The verbs that change rollouts, in memory against the cluster and the real controller: each one's
// effect on the objects, its variants, and its refusal when it makes no sense for the rollout as it is.
import type { KubeObject } from '@ramp/testkit';
import {
  canary,
  getRollout,
  type Harness,
  kubectlRamp,
  phaseIs,
  RO,
  setImage,
  startHarness,
  waitFor,
} from '../testing/kube';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const ok = (out: string) => ({ code: 0, out, err: '' });
const refused = (message: string) => ({ code: 1, out: '', err: `error: ${message}\n` });

async function updated(name: string, steps?: unknown[], image = 'nginx:1.28') {
  h.cluster.store.create(canary(name, steps));
  await phaseIs(h, name, 'Healthy');
  setImage(h, name, image);
}

test('promote: ends a pause; refused on a Healthy or aborted rollout; --full skips the remaining steps', async () => {
  await updated('pro', [{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }, { pause: {} }]);
  await phaseIs(h, 'pro', 'Paused');
  expect(await kubectlRamp(h, ['promote', 'pro'])).toEqual(ok("rollout 'pro' promoted\n"));
  await waitFor('step 3', () => (getRollout(h, 'pro')?.status?.currentStepIndex ?? 0) >= 3);
  await phaseIs(h, 'pro', 'Paused');
  expect(await kubectlRamp(h, ['promote', 'pro', '--full'])).toEqual(ok("rollout 'pro' fully promoted\n"));
  await phaseIs(h, 'pro', 'Healthy');
  expect(getRollout(h, 'pro')?.status?.currentStepIndex).toBe(4);
  expect(await kubectlRamp(h, ['promote', 'pro'])).toEqual(
    refused('rollout "pro" is not paused or progressing: nothing to promote'),
  );
  expect(await kubectlRamp(h, ['promote', 'pro', '--full'])).toEqual(
    refused('rollout "pro" is not paused or progressing: nothing to promote'),
  );
});

test('promote skips the current step of a canary that is not paused (Argo: currentStepIndex + 1)', async () => {
  // the new pods never become ready: the canary stays at its first step, progressing
  await updated('stuck', [{ setWeight: 50 }, { pause: {} }], 'nginx:bad');
  await waitFor(
    'the new ReplicaSet',
    () => getRollout(h, 'stuck')?.status?.currentPodHash !== getRollout(h, 'stuck')?.status?.stableRS,
  );
  await phaseIs(h, 'stuck', 'Progressing');
  expect(getRollout(h, 'stuck')?.status?.currentStepIndex).toBe(0);
  // resume, unlike promote, never moves the steps on
  await kubectlRamp(h, ['pause', 'stuck']);
  await phaseIs(h, 'stuck', 'Paused');
  expect(await kubectlRamp(h, ['resume', 'stuck'])).toEqual(ok("rollout 'stuck' resumed\n"));
  await phaseIs(h, 'stuck', 'Progressing');
  expect(getRollout(h, 'stuck')?.status?.currentStepIndex).toBe(0);
  expect(await kubectlRamp(h, ['promote', 'stuck'])).toEqual(ok("rollout 'stuck' promoted\n"));
  await waitFor('step 1', () => getRollout(h, 'stuck')?.status?.currentStepIndex === 1);
});

test('abort and retry rollout: status.abort set and cleared; refused when there is nothing to abort or retry', async () => {
  await updated('ab');
  await phaseIs(h, 'ab', 'Paused');
  expect(await kubectlRamp(h, ['retry', 'rollout', 'ab'])).toEqual(
    refused('rollout "ab" is not aborted: nothing to retry'),
  );
  expect(await kubectlRamp(h, ['abort', 'ab'])).toEqual(ok("rollout 'ab' aborted\n"));
  expect(getRollout(h, 'ab')?.status?.abort).toBe(true);
  await phaseIs(h, 'ab', 'Degraded');
  expect(await kubectlRamp(h, ['abort', 'ab'])).toEqual(refused('rollout "ab" is already aborted'));
  expect(await kubectlRamp(h, ['promote', 'ab'])).toEqual(
    refused(
      'rollout "ab" is aborted: nothing to promote (run "kubectl ramp retry rollout ab" to try the update again, or "kubectl ramp promote ab --full" to skip to the new version)',
    ),
  );
  expect(await kubectlRamp(h, ['retry', 'ro', 'ab'])).toEqual(ok("rollout 'ab' retried\n"));
  expect(getRollout(h, 'ab')?.status?.abort).toBeFalsy();
  await phaseIs(h, 'ab', 'Paused');
  h.cluster.store.create(canary('settled'));
  await phaseIs(h, 'settled', 'Healthy');
  expect(await kubectlRamp(h, ['abort', 'settled'])).toEqual(
    refused('rollout "settled" is not progressing: nothing to abort'),
  );
});

test('promote --full on an aborted rollout lifts the abort and promotes (as Argo CD promote-full)', async () => {
  await updated('abfull');
  await phaseIs(h, 'abfull', 'Paused');
  expect(await kubectlRamp(h, ['abort', 'abfull'])).toEqual(ok("rollout 'abfull' aborted\n"));
  await phaseIs(h, 'abfull', 'Degraded');
  expect(await kubectlRamp(h, ['promote', 'abfull', '--full'])).toEqual(
    ok("rollout 'abfull' fully promoted (the abort is lifted)\n"),
  );
  await phaseIs(h, 'abfull', 'Healthy');
  const status = getRollout(h, 'abfull')?.status;
  expect(status?.abort).toBeFalsy();
  expect(status?.promoteFull).toBeFalsy();
  expect(status?.stableRS).toBe(status?.currentPodHash);
  // nothing is left to fire on a later retry
  expect(await kubectlRamp(h, ['retry', 'rollout', 'abfull'])).toEqual(
    refused('rollout "abfull" is not aborted: nothing to retry'),
  );
});

test('pause and resume: spec.paused set, then cleared with the pause conditions, without skipping a step', async () => {
  await updated('pr', [{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }, { pause: {} }]);
  await phaseIs(h, 'pr', 'Paused');
  expect(await kubectlRamp(h, ['pause', 'pr'])).toEqual(ok("rollout 'pr' paused\n"));
  expect(getRollout(h, 'pr')?.spec.paused).toBe(true);
  expect(await kubectlRamp(h, ['pause', 'pr'])).toEqual(
    refused('rollout "pr" is already paused (kubectl ramp resume pr)'),
  );
  expect(await kubectlRamp(h, ['resume', 'pr'])).toEqual(ok("rollout 'pr' resumed\n"));
  expect(getRollout(h, 'pr')?.spec.paused).toBe(false);
  // the pause step ends; the canary goes on to its next pause, not past it
  await waitFor('the next pause', () => getRollout(h, 'pr')?.status?.currentStepIndex === 3);
  await phaseIs(h, 'pr', 'Paused');
  h.cluster.store.create(canary('idle'));
  await phaseIs(h, 'idle', 'Healthy');
  expect(await kubectlRamp(h, ['resume', 'idle'])).toEqual(
    refused('rollout "idle" is not paused: nothing to resume'),
  );
});

test('undo: the previous revision, or --to-revision, back into spec.template; refusals', async () => {
  h.cluster.store.create(canary('un', []));
  await phaseIs(h, 'un', 'Healthy');
  expect(await kubectlRamp(h, ['undo', 'un'])).toEqual(
    refused('rollout "un" has no earlier revision to go back to'),
  );
  setImage(h, 'un', 'nginx:1.28');
  await phaseIs(h, 'un', 'Healthy');
  expect(await kubectlRamp(h, ['undo', 'un', '--to-revision', '7'])).toEqual(
    refused('rollout "un" has no revision 7 (its revisions: 2, 1)'),
  );
  expect(await kubectlRamp(h, ['undo', 'un', '--to-revision', '2'])).toEqual(
    ok('skipped rollback (current template already matches revision 2)\n'),
  );
  expect(await kubectlRamp(h, ['undo', 'un'])).toEqual(ok("rollout 'un' rolled back to revision 1\n"));
  const template = getRollout(h, 'un')?.spec.template;
  expect(template?.spec?.containers[0]?.image).toBe('nginx:1.27');
  expect(template?.metadata?.labels).toEqual({ app: 'un' });
});

test('set image: by container name or *, a JSON patch of the template; refusals', async () => {
  h.cluster.store.create(canary('img', []));
  await phaseIs(h, 'img', 'Healthy');
  expect(await kubectlRamp(h, ['set', 'image', 'img', 'app=nginx:1.29'])).toEqual(
    ok('rollout "img" image updated\n'),
  );
  expect(getRollout(h, 'img')?.spec.template?.spec?.containers[0]?.image).toBe('nginx:1.29');
  expect(await kubectlRamp(h, ['set', 'image', 'img', '*=nginx:1.30'])).toEqual(
    ok('rollout "img" image updated\n'),
  );
  expect(getRollout(h, 'img')?.spec.template?.spec?.containers[0]?.image).toBe('nginx:1.30');
  expect(await kubectlRamp(h, ['set', 'image', 'img', 'web=nginx:1'])).toEqual(
    refused('rollout "img" has no container "web" (its containers: app)'),
  );
  expect(await kubectlRamp(h, ['set', 'image', 'img', 'nginx:1'])).toEqual(
    refused('set image takes CONTAINER=IMAGE pairs, not "nginx:1"'),
  );
});

test('restart: spec.restartAt now or --in later (RFC 3339, whole seconds)', async () => {
  h.cluster.store.create(canary('rs', []));
  const now = () => new Date('2030-01-02T03:04:05.678Z');
  expect(await kubectlRamp(h, ['restart', 'rs', '--in', '90s'], { now })).toEqual(
    ok("rollout 'rs' restarts in 90s\n"),
  );
  expect(getRollout(h, 'rs')?.spec.restartAt).toBe('2030-01-02T03:05:35Z');
  expect(await kubectlRamp(h, ['restart', 'rs'], { now })).toEqual(ok("rollout 'rs' restarts in 0s\n"));
  expect(getRollout(h, 'rs')?.spec.restartAt).toBe('2030-01-02T03:04:05Z');
  expect(await kubectlRamp(h, ['restart', 'rs', '-i', 'later'])).toEqual(
    refused('--in later is not a duration (e.g. 30s, 5m, 1h)'),
  );
});

test('terminate analysisrun: spec.terminate on a running run; refused once it is over', async () => {
  const job = {
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
  h.cluster.store.create({
    apiVersion: RO,
    kind: 'AnalysisRun',
    metadata: { name: 'endless', namespace: 'default' },
    spec: { metrics: [{ name: 'probe', interval: '1s', count: 100, provider: { job } }] },
  } as KubeObject);
  await waitFor(
    'the run to start',
    () => h.cluster.store.get(RO, 'AnalysisRun', 'endless', 'default')?.status,
  );
  expect(await kubectlRamp(h, ['terminate', 'analysisrun', 'endless'])).toEqual(
    ok("analysisRun 'endless' terminated\n"),
  );
  const run = () =>
    h.cluster.store.get(RO, 'AnalysisRun', 'endless', 'default') as unknown as {
      spec: { terminate?: boolean };
      status?: { phase?: string };
    };
  expect(run().spec.terminate).toBe(true);
  await waitFor('the run to end', () => run().status?.phase === 'Successful');
  expect(await kubectlRamp(h, ['terminate', 'ar', 'endless'])).toEqual(
    refused('analysisrun "endless" has already completed (Successful): nothing to terminate'),
  );
  expect(await kubectlRamp(h, ['terminate', 'analysisrun', 'nope'])).toEqual(
    refused('analysisrun "nope" not found in namespace "default"'),
  );
});

test('version and completion need no cluster', async () => {
  const version = await kubectlRamp(undefined, ['version']);
  expect(version.out).toMatch(/^kubectl-ramp: v\d+\.\d+\.\d+\n {2}API: argoproj\.io\/v1alpha1/);
  expect((await kubectlRamp(undefined, ['version', '--short'])).out).toMatch(/^v\d+\.\d+\.\d+\n$/);
  const bash = await kubectlRamp(undefined, ['completion', 'bash']);
  expect(bash.out).toContain(
    '"get rollout"|"get ro"|"get rollouts") echo "--watch -w --output -o --no-color',
  );
  expect(bash.out).toContain('complete -o default -F _kubectl_ramp kubectl-ramp\n');
  expect((await kubectlRamp(undefined, ['completion', 'zsh'])).out).toMatch(/^#compdef kubectl-ramp\n/);
  expect((await kubectlRamp(undefined, ['completion', 'fish'])).out).toContain(
    "complete -c kubectl-ramp -n '__fish_seen_subcommand_from promote' -l full",
  );
  expect(await kubectlRamp(undefined, ['completion', 'tcsh'])).toEqual(
    refused('completion tcsh: the shells are bash, zsh and fish'),
  );
});
