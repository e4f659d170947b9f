// get rollout, get analysisrun and list rollouts against the in-memory cluster with the real controller:
// goldens of the tree and the table (ages and hashes normalised), and the frames of `get -w`.
import type { KubeObject } from '@ramp/testkit';
import {
  canary,
  ensureNamespace,
  getRollout,
  type Harness,
  kubectlRamp,
  normalise,
  phaseIs,
  RO,
  rolloutObject,
  setImage,
  startHarness,
  waitFor,
  within,
} from '../testing/kube';

let h: Harness;

const jobMetric = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...extra,
  provider: {
    job: {
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'check', image: 'busybox', command: ['true'] }],
          },
        },
      },
    },
  },
});

beforeAll(async () => {
  h = await startHarness();
  h.cluster.store.create({
    apiVersion: RO,
    kind: 'AnalysisTemplate',
    metadata: { name: 'smoke', namespace: 'default' },
    spec: { metrics: [jobMetric('smoke-test')] },
  } as KubeObject);
});
afterAll(() => h.stop());

test('get rollout: header and tree of a canary paused after its analysis step (golden)', async () => {
  h.cluster.store.create(
    canary('tree', [
      { setWeight: 50 },
      { analysis: { templates: [{ templateName: 'smoke' }] } },
      { pause: {} },
    ]),
  );
  await phaseIs(h, 'tree', 'Healthy');
  setImage(h, 'tree', 'nginx:1.28');
  await phaseIs(h, 'tree', 'Paused');
  await waitFor('pods settled', () => getRollout(h, 'tree')?.status?.availableReplicas === 2);
  const run = await kubectlRamp(h, ['get', 'rollout', 'tree']);
  expect(run).toMatchObject({ code: 0, err: '' });
  expect(normalise(h, 'tree', run.out)).toBe(`Name:  tree
Namespace:  default
Status:  ॥ Paused
Message:  CanaryPauseStep
Strategy:  Canary
  Step:  2/3
  SetWeight:  50
  ActualWeight:  50
Images:  nginx:1.27 (stable)
                 nginx:1.28 (canary)
Replicas:
  Desired:  2
  Current:  2
  Updated:  1
  Ready:  2
  Available:  2

NAME  KIND  STATUS  AGE  INFO
⟳ tree  Rollout  ॥ Paused  AGE
├──# revision:2
│  ├──⧉ tree-h2  ReplicaSet  ✔ Healthy  AGE  canary
│  │  └──□ tree-h2-xxxxx  Pod  ✔ Running  AGE  ready:1/1
│  └──α tree-h2-2-1  AnalysisRun  ✔ Successful  AGE  ✔ 1
└──# revision:1
   └──⧉ tree-h1  ReplicaSet  ✔ Healthy  AGE  stable
      └──□ tree-h1-xxxxx  Pod  ✔ Running  AGE  ready:1/1
`);
  // columns line up in the real output
  const tree = run.out.split('\n\n')[1]!.split('\n').filter(Boolean);
  const kindColumn = tree[0]!.indexOf('KIND');
  expect(tree.slice(1).every((line) => line.length < kindColumn || line[kindColumn - 1] === ' ')).toBe(true);

  const json = JSON.parse((await kubectlRamp(h, ['get', 'rollout', 'tree', '-o', 'json'])).out);
  expect(json).toMatchObject({
    name: 'tree',
    status: 'Paused',
    step: '2/3',
    setWeight: 50,
    actualWeight: 50,
  });
  expect(json.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);

  const runName = json.revisions[0].analysisRuns[0].name as string;
  const ar = await kubectlRamp(h, ['get', 'analysisrun', runName]);
  expect(ar.code).toBe(0);
  expect(ar.out).toContain('Status:          ✔ Successful');
  expect(ar.out).toContain('Rollout:         tree (revision 2, step analysis at step index 1)');
  expect(ar.out).toContain(
    '\nsmoke-test  ✔ Successful  1/1       -           1           0/0     0/0           0/4     -\n',
  );
  expect((await kubectlRamp(h, ['get', 'ar', 'missing'])).err).toBe(
    'error: analysisrun "missing" not found in namespace "default"\n',
  );
});

test('list rollouts: the table of a namespace, -A, -o yaml (golden)', async () => {
  ensureNamespace(h, 'team-a');
  h.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'blue-active', namespace: 'team-a' },
    spec: { selector: { app: 'blue' }, ports: [{ port: 80 }] },
  } as KubeObject);
  h.cluster.store.create(canary('alpha', undefined, 'team-a'));
  h.cluster.store.create(
    rolloutObject('blue', { blueGreen: { activeService: 'blue-active' } }, { replicas: 3 }, 'team-a'),
  );
  await phaseIs(h, 'alpha', 'Healthy', 5000, 'team-a');
  await phaseIs(h, 'blue', 'Healthy', 5000, 'team-a');
  const table = await kubectlRamp(h, ['list', 'rollouts', '-n', 'team-a']);
  expect(table).toEqual({
    code: 0,
    err: '',
    out: `NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
alpha       Canary     Healthy       2/2   100         2/2    2        2           2
blue        BlueGreen  Healthy       -     -           3/3    3        3           3
`,
  });
  const all = await kubectlRamp(h, ['list', 'ro', '-A']);
  expect(all.out.split('\n')[0]).toMatch(/^NAMESPACE {2}NAME {8}STRATEGY/);
  expect(all.out).toMatch(/\nteam-a {5}alpha {7}Canary/);
  expect(all.out).toMatch(/\ndefault {4}tree {8}Canary/);
  const yaml = await kubectlRamp(h, ['list', 'rollouts', '-n', 'team-a', '-o', 'yaml']);
  expect(yaml.out).toContain('- namespace: team-a\n  name: alpha\n  strategy: Canary\n  status: Healthy\n');
  expect(await kubectlRamp(h, ['list', 'rollouts', '-n', 'empty'])).toEqual({
    code: 0,
    out: '',
    err: 'No resources found in empty namespace.\n',
  });
});

test('get rollout -w: a frame per change as the rollout progresses, then it ends when the rollout is deleted', async () => {
  h.cluster.store.create(canary('watched'));
  await phaseIs(h, 'watched', 'Healthy');
  setImage(h, 'watched', 'nginx:1.28');
  await phaseIs(h, 'watched', 'Paused');
  const watching = kubectlRamp(h, ['get', 'rollout', 'watched', '-w'], { redrawMs: 20 });
  await new Promise((r) => setTimeout(r, 300));
  expect((await kubectlRamp(h, ['promote', 'watched'])).out).toBe("rollout 'watched' promoted\n");
  await phaseIs(h, 'watched', 'Healthy');
  await new Promise((r) => setTimeout(r, 300));
  h.cluster.store.delete(RO, 'Rollout', 'watched', 'default');
  const result = await within(watching, 5000, 'get -w after the deletion');
  const out = result.out;
  expect(result.code).toBe(0);
  expect(result.err).toBe('rollout "watched" was deleted\n');
  expect(out).not.toContain('\u001b');
  const frames = out.split(/\n\n(?=Name:)/);
  expect(frames.length).toBeGreaterThanOrEqual(2);
  expect(frames[0]).toContain('Status:          ॥ Paused');
  expect(frames.at(-1)).toContain('Status:          ✔ Healthy');
  expect(frames.every((f, i) => i === 0 || f !== frames[i - 1])).toBe(true);
});

test('list rollouts -w: a line per changed row; Ctrl-C ends it with exit 0', async () => {
  ensureNamespace(h, 'team-a');
  h.cluster.store.create(canary('listed', undefined, 'team-a'));
  const ctrlC = new AbortController();
  const watching = kubectlRamp(h, ['list', 'rollouts', '-n', 'team-a', '-w'], { signal: ctrlC.signal });
  await phaseIs(h, 'listed', 'Healthy', 5000, 'team-a');
  await new Promise((r) => setTimeout(r, 200));
  ctrlC.abort();
  const result = await watching;
  expect(result.code).toBe(0);
  const lines = result.out.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^NAME/);
  expect(lines.filter((l) => l.startsWith('listed')).length).toBeGreaterThanOrEqual(2);
  expect(lines.at(-1)).toMatch(/^listed {6}Canary {5}Healthy {7}2\/2 {3}100 {9}2\/2 {4}2 {8}2 {11}2$/);
});
