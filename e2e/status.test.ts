// `kubectl ramp status` against the real processes, and its exit codes: 0 Healthy, 1 Degraded,
// 1 on --timeout, and --paused-exit-code N on a rollout paused for a person.
import { stackPerTest } from './support/harness';

jest.setTimeout(120_000);

const startStack = stackPerTest();

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'status-canary' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'status' } },
    template: {
      metadata: { labels: { app: 'status' } },
      spec: { containers: [{ name: 'app', image: 'app:v1' }] },
    },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
  },
};

test('kubectl ramp status: 0 Healthy, --paused-exit-code on a pause, 1 on --timeout, 1 Degraded', async () => {
  const s = await startStack();
  await s.scenario('status-canary', async () => {
    await s.apply([rollout]);
    // Waits through the first deploy and exits 0 once Healthy.
    const healthy = await s.ramp(['status', 'status-canary', '--timeout', '30s'], 45_000);
    expect({ code: healthy.code, err: healthy.stderr }).toEqual({ code: 0, err: '' });
    expect(healthy.stdout).toMatch(/Healthy/);

    await s.rampOk(['set', 'image', 'status-canary', 'app=app:v2']);
    // Paused for a person (a pause without duration): --paused-exit-code says what to exit with.
    const paused = await s.ramp(
      ['status', 'status-canary', '--paused-exit-code', '3', '--timeout', '30s'],
      45_000,
    );
    expect(paused.code).toBe(3);
    expect(paused.stdout).toMatch(/Paused/);
    // Without it, status keeps waiting for Healthy or Degraded, and gives up on --timeout: exit 1.
    const timedOut = await s.ramp(['status', 'status-canary', '--timeout', '2s'], 20_000);
    expect(timedOut.code).toBe(1);
    expect(timedOut.ms).toBeLessThan(15_000);

    // Aborted: Degraded, exit 1.
    await s.rampOk(['abort', 'status-canary']);
    await s.waitRollout('status-canary', 'Degraded', (r) => r.status?.phase === 'Degraded', 30_000);
    const degraded = await s.ramp(['status', 'status-canary', '--timeout', '30s'], 45_000);
    expect(degraded.code).toBe(1);
    expect(degraded.stdout).toMatch(/Degraded/);
  });
});
