// Every verb once through the real kubectl plugin dispatch: `kubectl ramp VERB ... --kubeconfig FILE`
// with the repository's bin/ on PATH (bin/kubectl-ramp runs packages/cli/dist; `tsc -b` is assumed to
// have run). Spawns are few: read-only verbs in one parallel batch, the verbs that change objects (each on
// its own rollout) in another; the effects are checked on the objects.
import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { KubeObject } from '@ramp/testkit';
import {
  type CliRun,
  canary,
  getRollout,
  type Harness,
  phaseIs,
  RO,
  setImage,
  startHarness,
  waitFor,
} from '../testing/kube';

const bin = resolve(__dirname, '..', '..', '..', '..', 'bin');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

let h: Harness;

/** `kubectl ramp ARGS` (with --kubeconfig unless `cluster` is false). */
function kubectl(args: string[], cluster = true): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      'kubectl',
      ['ramp', ...args, ...(cluster ? ['--kubeconfig', h.kubeconfig] : [])],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: '' }, timeout: 60_000 },
      (error, out, err) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, out: String(out), err: String(err) });
      },
    );
  });
}

async function pausedCanary(name: string): Promise<void> {
  h.cluster.store.create(canary(name));
  await phaseIs(h, name, 'Healthy');
  setImage(h, name, 'nginx:1.28');
  await phaseIs(h, name, 'Paused');
}

async function healthy(name: string, steps?: unknown[]): Promise<void> {
  h.cluster.store.create(canary(name, steps));
  await phaseIs(h, name, 'Healthy');
}

const run = () =>
  h.cluster.store.get(RO, 'AnalysisRun', 'k-run', 'default') as unknown as {
    spec: { terminate?: boolean };
    status?: { phase?: string };
  };

(hasKubectl ? describe : describe.skip)('kubectl ramp (plugin dispatch)', () => {
  beforeAll(async () => {
    h = await startHarness();
    const job = {
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    h.cluster.store.create({
      apiVersion: RO,
      kind: 'AnalysisRun',
      metadata: { name: 'k-run', namespace: 'default' },
      spec: { metrics: [{ name: 'probe', interval: '1s', count: 100, provider: { job } }] },
    } as KubeObject);
    await Promise.all([
      pausedCanary('k-promote'),
      pausedCanary('k-abort'),
      pausedCanary('k-retry'),
      healthy('k-pause'),
      healthy('k-resume'),
      healthy('k-undo', []),
      healthy('k-image'),
      healthy('k-restart'),
    ]);
    h.cluster.store.patchStatus(RO, 'Rollout', 'k-retry', 'default', { status: { abort: true } });
    h.cluster.store.patch(RO, 'Rollout', 'k-resume', 'default', { spec: { paused: true } });
    setImage(h, 'k-undo', 'nginx:1.28');
    await Promise.all([
      phaseIs(h, 'k-retry', 'Degraded'),
      phaseIs(h, 'k-resume', 'Paused'),
      phaseIs(h, 'k-undo', 'Healthy'),
      waitFor('k-run running', () => run()?.status?.phase === 'Running'),
    ]);
  }, 30_000);
  afterAll(() => h?.stop());

  test('the read-only verbs: get, list, status, version, completion', async () => {
    // first alone: should the launcher have to build, it builds once
    const version = await kubectl(['version'], false);
    const [get, getRun, list, status, completion] = await Promise.all([
      kubectl(['get', 'rollout', 'k-promote']),
      kubectl(['get', 'analysisrun', 'k-run']),
      kubectl(['list', 'rollouts']),
      kubectl(['status', 'k-image', '--timeout', '10s']),
      kubectl(['completion', 'bash'], false),
    ]);
    expect(get).toMatchObject({ code: 0, err: '' });
    expect(get.out).toContain('Status:          ॥ Paused\nMessage:         CanaryPauseStep\n');
    expect(get.out).not.toContain('\u001b['); // not a terminal: no colour
    expect(get.out).toMatch(/└──# revision:1\n {3}└──⧉ k-promote-\w+ +ReplicaSet +✔ Healthy/);
    expect(getRun).toMatchObject({ code: 0, err: '' });
    expect(getRun.out).toContain('Status:          ◌ Running\n');
    expect(list.out).toMatch(/\nk-promote +Canary +Paused +1\/2 +50 +2\/2 +2 +1 +2\n/);
    expect(status).toEqual({ code: 0, out: 'Healthy\n', err: '' });
    expect(version.out).toMatch(/^kubectl-ramp: v\d/);
    expect(completion.out).toContain('complete -o default -F _kubectl_ramp kubectl-ramp');
  }, 60_000);

  test('the verbs that change objects, each on its own rollout, and their effects', async () => {
    const [promote, abort, retry, pause, resume, undo, image, restart, terminate] = await Promise.all([
      kubectl(['promote', 'k-promote']),
      kubectl(['abort', 'k-abort']),
      kubectl(['retry', 'rollout', 'k-retry']),
      kubectl(['pause', 'k-pause']),
      kubectl(['resume', 'k-resume']),
      kubectl(['undo', 'k-undo']),
      kubectl(['set', 'image', 'k-image', 'app=nginx:1.29']),
      kubectl(['restart', 'k-restart', '--in', '1h']),
      kubectl(['terminate', 'analysisrun', 'k-run']),
    ]);
    expect(promote).toEqual({ code: 0, out: "rollout 'k-promote' promoted\n", err: '' });
    expect(abort).toEqual({ code: 0, out: "rollout 'k-abort' aborted\n", err: '' });
    expect(retry).toEqual({ code: 0, out: "rollout 'k-retry' retried\n", err: '' });
    expect(pause).toEqual({ code: 0, out: "rollout 'k-pause' paused\n", err: '' });
    expect(resume).toEqual({ code: 0, out: "rollout 'k-resume' resumed\n", err: '' });
    expect(undo).toEqual({ code: 0, out: "rollout 'k-undo' rolled back to revision 1\n", err: '' });
    expect(image).toEqual({ code: 0, out: 'rollout "k-image" image updated\n', err: '' });
    expect(restart).toEqual({ code: 0, out: "rollout 'k-restart' restarts in 1h\n", err: '' });
    expect(terminate).toEqual({ code: 0, out: "analysisRun 'k-run' terminated\n", err: '' });

    await phaseIs(h, 'k-promote', 'Healthy');
    expect(getRollout(h, 'k-abort')?.status?.abort).toBe(true);
    await phaseIs(h, 'k-abort', 'Degraded');
    expect(getRollout(h, 'k-retry')?.status?.abort).toBe(false);
    await phaseIs(h, 'k-retry', 'Paused');
    expect(getRollout(h, 'k-pause')?.spec.paused).toBe(true);
    expect(getRollout(h, 'k-resume')?.spec.paused).toBe(false);
    await phaseIs(h, 'k-resume', 'Healthy');
    expect(getRollout(h, 'k-undo')?.spec.template?.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(getRollout(h, 'k-image')?.spec.template?.spec?.containers[0]?.image).toBe('nginx:1.29');
    const restartAt = Date.parse(getRollout(h, 'k-restart')?.spec.restartAt ?? '');
    expect(Math.abs(restartAt - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    expect(run().spec.terminate).toBe(true);
    await waitFor('k-run to end', () => run().status?.phase === 'Successful');

    const refused = await kubectl(['promote', 'k-promote']);
    expect(refused).toEqual({
      code: 1,
      out: '',
      err: 'error: rollout "k-promote" is not paused or progressing: nothing to promote\n',
    });
  }, 60_000);
});
