/** Fidelity with @kubernetes/client-node 1.x: CRUD, errors, conflicts, patches, subresources, selectors. */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';
import { ROLLOUT_CRD } from '../testing/helpers';

const RO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };

function rollout(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels: { app: name } },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: {}, ...extra },
  };
}

/** The error client-node threw, with its Status body parsed. */
async function failure(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    return { code: err.code, body };
  }
  throw new Error('expected the call to fail');
}

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: ROLLOUT_CRD });
  const kc = cluster.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await cluster.stop();
});

test('create, get, list, replace and delete a ConfigMap', async () => {
  const created = await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'cfg', labels: { app: 'a' } }, data: { k: 'v' } },
  });
  expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
  expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
  expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
  const got = await core.readNamespacedConfigMap({ name: 'cfg', namespace: 'default' });
  expect(got.data).toEqual({ k: 'v' });
  const list = await core.listNamespacedConfigMap({ namespace: 'default' });
  expect(list.items.map((i) => i.metadata?.name)).toContain('cfg');
  expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
    Number(created.metadata?.resourceVersion),
  );
  got.data = { k: 'v2' };
  const replaced = await core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'default', body: got });
  expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(got.metadata?.resourceVersion));
  await core.deleteNamespacedConfigMap({ name: 'cfg', namespace: 'default' });
  const gone = await failure(core.readNamespacedConfigMap({ name: 'cfg', namespace: 'default' }));
  expect(gone.code).toBe(404);
  expect(gone.body).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'configmaps "cfg" not found',
    reason: 'NotFound',
    details: { name: 'cfg', kind: 'configmaps' },
    code: 404,
  });
});

test('generateName gives a name with a 5-character suffix', async () => {
  const a = await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { generateName: 'gen-' } },
  });
  const b = await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { generateName: 'gen-' } },
  });
  expect(a.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  expect(a.metadata?.name).not.toBe(b.metadata?.name);
});

test('404, 409 AlreadyExists and missing namespace have the real Status shapes', async () => {
  const missing = await failure(
    custom.getNamespacedCustomObject({ ...RO, namespace: 'default', name: 'nope' }),
  );
  expect(missing.code).toBe(404);
  expect(missing.body).toMatchObject({
    message: 'rollouts.argoproj.io "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', group: 'argoproj.io', kind: 'rollouts' },
  });
  await custom.createNamespacedCustomObject({ ...RO, namespace: 'default', body: rollout('dup') });
  const dup = await failure(
    custom.createNamespacedCustomObject({ ...RO, namespace: 'default', body: rollout('dup') }),
  );
  expect(dup).toEqual({
    code: 409,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'rollouts.argoproj.io "dup" already exists',
      reason: 'AlreadyExists',
      details: { name: 'dup', group: 'argoproj.io', kind: 'rollouts' },
      code: 409,
    },
  });
  const noNs = await failure(
    core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }),
  );
  expect(noNs.code).toBe(404);
  expect(noNs.body).toMatchObject({
    message: 'namespaces "nowhere" not found',
    details: { name: 'nowhere', kind: 'namespaces' },
  });
});

test('422 Invalid carries causes with field paths', async () => {
  const bad = rollout('bad', { replicas: -1, strategy: { canary: { steps: [{ setWeight: 150 }] } } });
  const res = await failure(custom.createNamespacedCustomObject({ ...RO, namespace: 'default', body: bad }));
  expect(res.code).toBe(422);
  expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
  expect(res.body.details).toEqual({
    name: 'bad',
    group: 'argoproj.io',
    kind: 'Rollout',
    causes: [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
        field: 'spec.replicas',
      },
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 150: spec.strategy.canary.steps[0].setWeight in body should be less than or equal to 100',
        field: 'spec.strategy.canary.steps[0].setWeight',
      },
    ],
  });
  expect(res.body.message).toBe(
    'Rollout.argoproj.io "bad" is invalid: [spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0, spec.strategy.canary.steps[0].setWeight: Invalid value: 150: spec.strategy.canary.steps[0].setWeight in body should be less than or equal to 100]',
  );
});

test('a stale resourceVersion is a 409 Conflict; a custom resource PUT needs one', async () => {
  const first = (await custom.createNamespacedCustomObject({
    ...RO,
    namespace: 'default',
    body: rollout('cas'),
  })) as ReturnType<typeof rollout> & { metadata: { resourceVersion: string } };
  await custom.patchNamespacedCustomObject(
    { ...RO, namespace: 'default', name: 'cas', body: { spec: { paused: true } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const stale = await failure(
    custom.replaceNamespacedCustomObject({ ...RO, namespace: 'default', name: 'cas', body: first }),
  );
  expect(stale.code).toBe(409);
  expect(stale.body).toMatchObject({
    reason: 'Conflict',
    message:
      'Operation cannot be fulfilled on rollouts.argoproj.io "cas": the object has been modified; please apply your changes to the latest version and try again',
    details: { name: 'cas', group: 'argoproj.io', kind: 'rollouts' },
  });
  const stalePatch = await failure(
    custom.patchNamespacedCustomObject(
      {
        ...RO,
        namespace: 'default',
        name: 'cas',
        body: { metadata: { resourceVersion: first.metadata.resourceVersion }, spec: { replicas: 9 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
  );
  expect(stalePatch.code).toBe(409);
  const { resourceVersion: _, ...noVersion } = first.metadata;
  const unconditional = await failure(
    custom.replaceNamespacedCustomObject({
      ...RO,
      namespace: 'default',
      name: 'cas',
      body: { ...first, metadata: noVersion },
    }),
  );
  expect(unconditional.code).toBe(422);
  expect(unconditional.body.message).toBe(
    'Rollout.argoproj.io "cas" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
  );
});

test('merge and JSON patches on the status subresource change only status', async () => {
  await custom.createNamespacedCustomObject({ ...RO, namespace: 'default', body: rollout('st') });
  const merged = (await custom.patchNamespacedCustomObjectStatus(
    {
      ...RO,
      namespace: 'default',
      name: 'st',
      body: {
        spec: { replicas: 7 },
        metadata: { labels: { x: 'y' } },
        status: { phase: 'Healthy', replicas: 2 },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  )) as {
    metadata: { generation: number; labels: Record<string, string> };
    spec: { replicas: number };
    status: unknown;
  };
  expect(merged.status).toEqual({ phase: 'Healthy', replicas: 2 });
  expect(merged.spec.replicas).toBe(2);
  expect(merged.metadata.labels).toEqual({ app: 'st' });
  expect(merged.metadata.generation).toBe(1);
  const patched = (await custom.patchNamespacedCustomObjectStatus(
    {
      ...RO,
      namespace: 'default',
      name: 'st',
      body: [
        { op: 'test', path: '/status/phase', value: 'Healthy' },
        { op: 'replace', path: '/status/phase', value: 'Progressing' },
      ],
    },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  )) as { status: { phase: string } };
  expect(patched.status.phase).toBe('Progressing');
  const failedTest = await failure(
    custom.patchNamespacedCustomObjectStatus(
      {
        ...RO,
        namespace: 'default',
        name: 'st',
        body: [{ op: 'test', path: '/status/phase', value: 'Healthy' }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    ),
  );
  expect(failedTest.code).toBe(422);
  expect(failedTest.body).toMatchObject({
    reason: 'Invalid',
    details: { causes: [{ reason: 'UnexpectedServerResponse' }] },
  });
  const badEnum = await failure(
    custom.patchNamespacedCustomObjectStatus(
      { ...RO, namespace: 'default', name: 'st', body: { status: { phase: 'Sideways' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
  );
  expect(badEnum.code).toBe(422);
  expect(badEnum.body.message).toContain(
    'status.phase: Unsupported value: "Sideways": supported values: "Progressing", "Paused", "Healthy", "Degraded"',
  );
  const strategic = await failure(
    custom.patchNamespacedCustomObject(
      { ...RO, namespace: 'default', name: 'st', body: { spec: { paused: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    ),
  );
  expect(strategic.code).toBe(415);
  const ssa = await failure(
    custom.patchNamespacedCustomObject(
      { ...RO, namespace: 'default', name: 'st', body: { spec: { paused: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    ),
  );
  expect(ssa.code).toBe(415);
  expect(ssa.body.message).toContain('server-side apply');
});

test('generation: bumped by spec changes only; main writes ignore status', async () => {
  await custom.createNamespacedCustomObject({
    ...RO,
    namespace: 'default',
    body: { ...rollout('gen'), status: { phase: 'Healthy' } },
  });
  type R = { metadata: { generation: number; resourceVersion: string }; status?: unknown };
  const created = (await custom.getNamespacedCustomObject({ ...RO, namespace: 'default', name: 'gen' })) as R;
  expect(created.status).toBeUndefined();
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const labelled = (await custom.patchNamespacedCustomObject(
    { ...RO, namespace: 'default', name: 'gen', body: { metadata: { labels: { a: 'b' } } } },
    merge,
  )) as R;
  expect(labelled.metadata.generation).toBe(1);
  const noop = (await custom.patchNamespacedCustomObject(
    { ...RO, namespace: 'default', name: 'gen', body: { metadata: { labels: { a: 'b' } } } },
    merge,
  )) as R;
  expect(noop.metadata.resourceVersion).toBe(labelled.metadata.resourceVersion);
  const respec = (await custom.patchNamespacedCustomObject(
    {
      ...RO,
      namespace: 'default',
      name: 'gen',
      body: { spec: { replicas: 5 }, status: { phase: 'Degraded' } },
    },
    merge,
  )) as R;
  expect(respec.metadata.generation).toBe(2);
  expect(respec.status).toBeUndefined();
});

test('scale subresource on a custom resource and a Deployment', async () => {
  await custom.createNamespacedCustomObject({ ...RO, namespace: 'default', body: rollout('sc') });
  await custom.patchNamespacedCustomObjectStatus(
    { ...RO, namespace: 'default', name: 'sc', body: { status: { HPAReplicas: 2, selector: 'app=sc' } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const scale = (await custom.getNamespacedCustomObjectScale({
    ...RO,
    namespace: 'default',
    name: 'sc',
  })) as Record<string, unknown>;
  expect(scale).toMatchObject({
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    spec: { replicas: 2 },
    status: { replicas: 2, selector: 'app=sc' },
  });
  await custom.patchNamespacedCustomObjectScale(
    { ...RO, namespace: 'default', name: 'sc', body: { spec: { replicas: 4 } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const after = (await custom.getNamespacedCustomObject({ ...RO, namespace: 'default', name: 'sc' })) as {
    spec: { replicas: number };
    metadata: { generation: number };
  };
  expect(after.spec.replicas).toBe(4);
  expect(after.metadata.generation).toBe(2);
  await apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name: 'dep' },
      spec: {
        selector: { matchLabels: { app: 'dep' } },
        template: {
          metadata: { labels: { app: 'dep' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    },
  });
  const depScale = await apps.readNamespacedDeploymentScale({ name: 'dep', namespace: 'default' });
  expect(depScale.spec?.replicas).toBe(1);
  expect(depScale.status?.selector).toBe('app=dep');
  depScale.spec = { replicas: 3 };
  await apps.replaceNamespacedDeploymentScale({ name: 'dep', namespace: 'default', body: depScale });
  expect((await apps.readNamespacedDeployment({ name: 'dep', namespace: 'default' })).spec?.replicas).toBe(3);
});

test('strategic merge patch merges containers by name', async () => {
  const dep = await apps.patchNamespacedDeployment(
    {
      name: 'dep',
      namespace: 'default',
      body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  expect(dep.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['c', 'sidecar']);
  const removed = await apps.patchNamespacedDeployment(
    {
      name: 'dep',
      namespace: 'default',
      body: { spec: { template: { spec: { containers: [{ name: 'c', $patch: 'delete' }] } } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  expect(removed.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['sidecar']);
});

test('label and field selectors; pagination with limit and continue', async () => {
  const mk = (name: string, labels: Record<string, string>) =>
    core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name, labels } } });
  await mk('sel-a', { app: 'web', tier: 'front' });
  await mk('sel-b', { app: 'web', tier: 'back', canary: 'true' });
  await mk('sel-c', { app: 'db' });
  const names = async (labelSelector: string) =>
    (await core.listNamespacedConfigMap({ namespace: 'default', labelSelector })).items
      .map((i) => i.metadata?.name)
      .filter((n) => n?.startsWith('sel-'));
  expect(await names('app=web')).toEqual(['sel-a', 'sel-b']);
  expect(await names('app==web,!canary')).toEqual(['sel-a']);
  expect(await names('tier in (back, front),app!=db')).toEqual(['sel-a', 'sel-b']);
  expect(await names('tier notin (front)')).toEqual(['sel-b', 'sel-c']);
  expect(await names('canary')).toEqual(['sel-b']);
  const byName = await core.listNamespacedConfigMap({
    namespace: 'default',
    fieldSelector: 'metadata.name=sel-c',
  });
  expect(byName.items.map((i) => i.metadata?.name)).toEqual(['sel-c']);
  const badField = await failure(
    core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'data.x=1' }),
  );
  expect(badField.code).toBe(400);
  expect(badField.body.message).toBe('field label not supported: data.x');
  const page1 = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app', limit: 2 });
  expect(page1.items).toHaveLength(2);
  expect(page1.metadata?._continue).toBeTruthy();
  const page2 = await core.listNamespacedConfigMap({
    namespace: 'default',
    labelSelector: 'app',
    limit: 2,
    _continue: page1.metadata?._continue,
  });
  expect(page2.items.map((i) => i.metadata?.name)).toEqual(['sel-c']);
  expect(page2.metadata?._continue).toBeFalsy();
  await core.deleteCollectionNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=web' });
  expect(await names('app')).toEqual(['sel-c']);
});
