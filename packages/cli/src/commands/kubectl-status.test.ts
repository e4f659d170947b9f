// `status`: its exit codes (Healthy 0, Degraded 1, timeout 1, paused for a person N), the phase changes
// it prints, --watch=false and -o json; and the errors every cluster verb gives about the connection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@ramp/testkit';
import {
  canary,
  getRollout,
  type Harness,
  kubectlRamp,
  phaseIs,
  rolloutObject,
  setImage,
  startHarness,
  within,
} from '../testing/kube';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

/** A canary updated to nginx:1.28, paused at its `pause: {}` step. */
async function pausedCanary(name: string) {
  h.cluster.store.create(canary(name));
  await phaseIs(h, name, 'Healthy');
  setImage(h, name, 'nginx:1.28');
  await phaseIs(h, name, 'Paused');
}

test('Healthy: exit 0, and --watch=false prints the status once', async () => {
  h.cluster.store.create(canary('calm'));
  await phaseIs(h, 'calm', 'Healthy');
  expect(await kubectlRamp(h, ['status', 'calm'])).toEqual({ code: 0, out: 'Healthy\n', err: '' });
  expect(await kubectlRamp(h, ['status', 'calm', '--watch=false', '-o', 'json'])).toEqual({
    code: 0,
    out: `${JSON.stringify({ name: 'calm', namespace: 'default', phase: 'Healthy', message: '' }, null, 2)}\n`,
    err: '',
  });
});

test('paused for a person: waits (timeout, exit 1) unless --paused-exit-code says what to exit with', async () => {
  await pausedCanary('held');
  const timedOut = await kubectlRamp(h, ['status', 'held', '--timeout', '300ms']);
  expect(timedOut).toEqual({
    code: 1,
    out: 'Paused - CanaryPauseStep\n',
    err: 'error: timed out after 300ms waiting for rollout "held" (it is Paused: CanaryPauseStep)\n',
  });
  const paused = await kubectlRamp(h, ['status', 'held', '--paused-exit-code', '3']);
  expect(paused).toEqual({
    code: 3,
    out: 'Paused - CanaryPauseStep\n',
    err:
      'rollout "held" is paused and waits for a person: step 2 is a pause without a duration ' +
      '(kubectl ramp promote held, or abort)\n',
  });
  // --watch=false on a paused rollout: the status, exit 0 (as Argo), or N when asked
  expect((await kubectlRamp(h, ['status', 'held', '--watch=false'])).code).toBe(0);
  expect((await kubectlRamp(h, ['status', 'held', '--watch', 'false', '--paused-exit-code', '7'])).code).toBe(
    7,
  );
});

test('a timed pause does not count as waiting for a person; the watch prints each change until Healthy', async () => {
  h.cluster.store.create(canary('timed', [{ setWeight: 50 }, { pause: { duration: '1s' } }]));
  await phaseIs(h, 'timed', 'Healthy');
  setImage(h, 'timed', 'nginx:1.28');
  const run = await within(
    kubectlRamp(h, ['status', 'timed', '--paused-exit-code', '3', '-t', '20s']),
    15_000,
    'status',
  );
  expect(run.code).toBe(0);
  const lines = run.out.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^Progressing - /);
  expect(lines).toContain('Paused - CanaryPauseStep');
  expect(lines.at(-1)).toBe('Healthy');
  expect(lines.every((line, i) => i === 0 || line !== lines[i - 1])).toBe(true);
});

test('Degraded: exit 1 with the message (an aborted update)', async () => {
  await pausedCanary('doomed');
  expect((await kubectlRamp(h, ['abort', 'doomed'])).out).toBe("rollout 'doomed' aborted\n");
  await phaseIs(h, 'doomed', 'Degraded');
  const run = await kubectlRamp(h, ['status', 'doomed']);
  expect(run.code).toBe(1);
  expect(run.out).toBe('Degraded - RolloutAborted: Rollout aborted update to revision 2\n');
  expect(run.err).toBe(
    'error: rollout "doomed" is Degraded: RolloutAborted: Rollout aborted update to revision 2\n',
  );
});

test('a watch ends with Healthy once a person promotes; blue-green waits for promotion too', async () => {
  await pausedCanary('later');
  const watching = kubectlRamp(h, ['status', 'later', '-t', '10s']);
  await new Promise((r) => setTimeout(r, 200));
  await kubectlRamp(h, ['promote', 'later']);
  const run = await within(watching, 10_000, 'status after promote');
  expect(run.code).toBe(0);
  expect(run.out.split('\n')[0]).toBe('Paused - CanaryPauseStep');
  expect(run.out.endsWith('Healthy\n')).toBe(true);

  h.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'bg-active', namespace: 'default' },
    spec: { selector: { app: 'bg' }, ports: [{ port: 80 }] },
  } as KubeObject);
  h.cluster.store.create(
    rolloutObject('bg', { blueGreen: { activeService: 'bg-active', autoPromotionEnabled: false } }),
  );
  await phaseIs(h, 'bg', 'Healthy');
  setImage(h, 'bg', 'nginx:1.28');
  const bg = await within(
    kubectlRamp(h, ['status', 'bg', '--paused-exit-code', '4']),
    10_000,
    'blue-green status',
  );
  expect(bg.code).toBe(4);
  expect(bg.err).toContain(
    'waits for a person: the new version waits for promotion (autoPromotionEnabled: false)',
  );
  expect(getRollout(h, 'bg')?.status?.pauseConditions?.[0]?.reason).toBe('BlueGreenPause');
});

test('usage and connection errors: a message and exit 1, never a stack trace', async () => {
  const missing = await kubectlRamp(h, ['status', 'ghost']);
  expect(missing).toEqual({
    code: 1,
    out: '',
    err: 'error: rollout "ghost" not found in namespace "default"\n',
  });
  expect((await kubectlRamp(h, ['status', 'calm', '--timeout', 'soon'])).err).toBe(
    'error: --timeout soon is not a duration (e.g. 30s, 5m)\n',
  );
  expect((await kubectlRamp(h, ['get', 'rollout', 'calm', '-o', 'xml'])).err).toBe(
    'error: -o xml is not an output format; use json or yaml (or leave -o out for text)\n',
  );
  const noConfig = await kubectlRamp(undefined, ['list', 'rollouts'], { env: { HOME: '/nowhere' } });
  expect(noConfig.err).toBe(
    'error: no kubeconfig: looked for --kubeconfig (not given), $KUBECONFIG (not set) and ' +
      '/nowhere/.kube/config (does not exist). Pass --kubeconfig FILE or set KUBECONFIG\n',
  );
  const badEnv = await kubectlRamp(undefined, ['list', 'rollouts'], {
    env: { KUBECONFIG: '/nope/a:/nope/b' },
  });
  expect(badEnv.err).toBe(
    'error: no kubeconfig: KUBECONFIG is /nope/a:/nope/b, and none of its files exist\n',
  );
  // KUBECONFIG honoured: the harness' file through the environment, -n over the context's namespace
  const viaEnv = await kubectlRamp(undefined, ['get', 'rollout', 'calm', '-n', 'elsewhere'], {
    env: { KUBECONFIG: `/nope/first:${h.kubeconfig}` },
  });
  expect(viaEnv.err).toBe('error: rollout "calm" not found in namespace "elsewhere"\n');
  const dead = join(h.dir, 'dead.kubeconfig');
  writeFileSync(dead, h.cluster.kubeconfigYaml().replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'));
  const unreachable = await kubectlRamp(undefined, ['promote', 'calm', '--kubeconfig', dead]);
  expect(unreachable).toEqual({
    code: 1,
    out: '',
    err: 'error: cannot reach the cluster at http://127.0.0.1:1 (context "testkit"): connect ECONNREFUSED 127.0.0.1:1\n',
  });
  expect((await kubectlRamp(h, ['get', 'rollout', 'calm', '--context', 'prod'])).err).toBe(
    `error: context "prod" is not in the kubeconfig ${h.kubeconfig} (contexts: testkit)\n`,
  );
});
