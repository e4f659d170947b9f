import type { Rollout } from '@ramp/api';
import { stored } from '@ramp/kube/testing';
import { waitFor } from '@ramp/testkit';
import { controllerOptions } from '../main';
import { INSTANCE_ID_LABEL } from '../model/names';
import { decideRollout } from '../rollout/decide';
import { parseFlags } from '../runtime/flags';
import { createController, type RunningController } from '../runtime/start-controller';
import {
  canaryRollout,
  createRollout,
  getRollout,
  isDone,
  RO,
  startWorld,
  type World,
  waitDone,
} from '../testing/operations/world';
import { LEASE_NAME, type Lease, leaseName } from './lease';
import { controllerNamespace, instanceIdProblem, instanceSelector } from './scope';

jest.setTimeout(30_000);
let world: World;
const running: RunningController[] = [];

beforeAll(async () => {
  world = await startWorld();
  world.cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop(1000)));
});

afterAll(async () => {
  await world.stop();
});

/** A controller started from command-line flags, as main does it (quiet, any free ports). */
function fromFlags(argv: string[], env: NodeJS.ProcessEnv = {}): RunningController {
  const parsed = parseFlags(argv, env);
  if (parsed.kind !== 'run') throw new Error(`bad flags: ${JSON.stringify(parsed)}`);
  const c = createController({
    ...controllerOptions(parsed.flags, env),
    qps: 1000,
    burst: 1000,
    kubeConfig: world.cluster.kubeConfig(),
    decide: decideRollout,
  });
  running.push(c);
  return c;
}

const lease = (name: string, ns = 'default') =>
  world.cluster.store.get('coordination.k8s.io/v1', 'Lease', name, ns) as unknown as Lease | undefined;

test('scope helpers', () => {
  expect(instanceSelector('blue')).toBe(`${INSTANCE_ID_LABEL}=blue`);
  expect(instanceSelector(undefined)).toBe(`!${INSTANCE_ID_LABEL}`);
  expect(controllerNamespace({ POD_NAMESPACE: 'ramp' })).toBe('ramp');
  expect(controllerNamespace({})).toBe('default');
  expect(instanceIdProblem('blue-1')).toBeUndefined();
  expect(instanceIdProblem('-x')).toMatch(/label value/);
  expect(leaseName('blue')).toBe(`${LEASE_NAME}-blue`);
});

test('--instance-id: each instance manages only its labelled objects; without an id, only unlabelled ones', async () => {
  const blue = fromFlags(['--instance-id', 'blue']);
  const plain = fromFlags([]);
  await Promise.all([blue.ready, plain.ready]);
  expect(lease(`${LEASE_NAME}-blue`)?.spec?.holderIdentity).toBe(blue.elector?.identity);
  expect(lease(LEASE_NAME)?.spec?.holderIdentity).toBe(plain.elector?.identity);
  const labelled = (name: string, id: string) =>
    canaryRollout(name, `${name}:1`, { labels: { [INSTANCE_ID_LABEL]: id } });
  createRollout(world, labelled('for-blue', 'blue'));
  createRollout(world, labelled('for-green', 'green'));
  createRollout(world, canaryRollout('for-none', 'for-none:1'));
  await waitDone(world, 'for-blue', 'for-blue:1');
  await waitDone(world, 'for-none', 'for-none:1');
  expect(blue.caches.rollouts.list().map((r) => r.metadata.name)).toEqual(['for-blue']);
  expect(plain.caches.rollouts.list().map((r) => r.metadata.name)).toEqual(['for-none']);
  // nobody runs green's: it keeps no status and gets no ReplicaSet
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(getRollout(world, 'for-green')?.status).toBeUndefined();
  const rsNames = world.cluster.store
    .list('apps/v1', 'ReplicaSet', { namespace: 'default' })
    .map((r) => r.metadata.name);
  expect(rsNames.filter((n) => n?.startsWith('for-green'))).toEqual([]);
});

test('--instance-id: AnalysisRuns made for an instance carry its id, so the instance runs them', async () => {
  const blue = fromFlags(['--instance-id', 'blue']);
  await blue.ready;
  world.cluster.store.create(
    stored({
      apiVersion: RO,
      kind: 'AnalysisTemplate',
      metadata: { name: 'always', namespace: 'default' },
      spec: {
        metrics: [
          {
            name: 'ok',
            provider: {
              job: {
                spec: {
                  template: {
                    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
                  },
                },
              },
            },
          },
        ],
      },
    }),
  );
  const steps = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'always' }] } }];
  const ro: Rollout = canaryRollout('analysed', 'analysed:1', {
    steps,
    labels: { [INSTANCE_ID_LABEL]: 'blue' },
  });
  createRollout(world, ro);
  await waitDone(world, 'analysed', 'analysed:1');
  const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'analysed:2' }];
  world.cluster.store.patch(RO, 'Rollout', 'analysed', 'default', patch, 'json');
  await waitDone(world, 'analysed', 'analysed:2', 15_000);
  const runs = blue.caches.analysisRuns
    .list('default')
    .filter((r) => r.metadata.name?.startsWith('analysed-'));
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) expect(run.metadata.labels?.[INSTANCE_ID_LABEL]).toBe('blue');
});

test('--namespaced: only the controller namespace, no cluster-scoped templates, the lease there too', async () => {
  const env = { POD_NAMESPACE: 'team-a' };
  const c = fromFlags(['--namespaced', '--instance-id', 'ns'], env);
  await c.ready;
  expect(c.caches.clusterAnalysisTemplates).toBeUndefined();
  expect(lease(`${LEASE_NAME}-ns`, 'team-a')?.spec?.holderIdentity).toBe(c.elector?.identity);
  const label = { [INSTANCE_ID_LABEL]: 'ns' };
  createRollout(world, canaryRollout('inside', 'inside:1', { namespace: 'team-a', labels: label }));
  createRollout(world, canaryRollout('outside', 'outside:1', { labels: label }));
  await waitDone(world, 'inside', 'inside:1', 10_000, 'team-a');
  await waitFor('the caches', () => c.caches.rollouts.list().length === 1);
  expect(c.caches.rollouts.list().map((r) => `${r.metadata.namespace}/${r.metadata.name}`)).toEqual([
    'team-a/inside',
  ]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(isDone(getRollout(world, 'outside'), 'outside:1')).toBe(false);
  expect(getRollout(world, 'outside')?.status).toBeUndefined();
});
