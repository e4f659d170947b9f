/** Deletion semantics through client-node: finalizers, propagation policies, garbage collection, namespaces. */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';
import { ROLLOUT_CRD, readWatch, waitFor } from '../testing/helpers';

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

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

function replicaSet(name: string, owner?: { name: string; uid: string }): V1ReplicaSet {
  return {
    metadata: {
      name,
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                name: owner.name,
                uid: owner.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
}

async function deployment(name: string, namespace = 'default'): Promise<{ name: string; uid: string }> {
  const d = await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    },
  });
  return { name, uid: d.metadata?.uid ?? '' };
}

test('finalizers hold an object until the last one is removed', async () => {
  await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] } },
  });
  const deleted = await core.deleteNamespacedConfigMap({ name: 'fin', namespace: 'default' });
  expect(deleted).toBeDefined();
  const held = await core.readNamespacedConfigMap({ name: 'fin', namespace: 'default' });
  expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
  held.metadata!.finalizers = [...(held.metadata?.finalizers ?? []), 'example.com/more'];
  await expect(
    core.replaceNamespacedConfigMap({ name: 'fin', namespace: 'default', body: held }),
  ).rejects.toMatchObject({ code: 422 });
  const watching = readWatch(
    cluster,
    `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${held.metadata?.resourceVersion}`,
    (events) => events.some((e) => e.type === 'DELETED'),
  );
  held.metadata!.finalizers = [];
  await core.replaceNamespacedConfigMap({ name: 'fin', namespace: 'default', body: held });
  expect(await exists(() => core.readNamespacedConfigMap({ name: 'fin', namespace: 'default' }))).toBe(false);
  const events = await watching;
  expect(events.map((e) => e.type)).toEqual(['DELETED']);
});

test('Background deletion: the garbage collector deletes dependents whose owners are gone', async () => {
  const owner = await deployment('bg');
  await apps.createNamespacedReplicaSet({ namespace: 'default', body: replicaSet('bg-rs', owner) });
  await apps.deleteNamespacedDeployment({ name: 'bg', namespace: 'default' });
  expect(await exists(() => apps.readNamespacedDeployment({ name: 'bg', namespace: 'default' }))).toBe(false);
  await waitFor(
    'the replicaset to be collected',
    async () => !(await exists(() => apps.readNamespacedReplicaSet({ name: 'bg-rs', namespace: 'default' }))),
  );
});

test('Foreground deletion: the owner waits for its dependents', async () => {
  const owner = await deployment('fg');
  await apps.createNamespacedReplicaSet({
    namespace: 'default',
    body: {
      ...replicaSet('fg-rs', owner),
      metadata: { ...replicaSet('fg-rs', owner).metadata, finalizers: ['example.com/slow'] },
    },
  });
  await apps.deleteNamespacedDeployment({
    name: 'fg',
    namespace: 'default',
    propagationPolicy: 'Foreground',
  });
  const pending = await apps.readNamespacedDeployment({ name: 'fg', namespace: 'default' });
  expect(pending.metadata?.finalizers).toContain('foregroundDeletion');
  expect(pending.metadata?.deletionTimestamp).toBeInstanceOf(Date);
  const rs = await waitFor('the dependent to be marked for deletion', async () => {
    const r = await apps.readNamespacedReplicaSet({ name: 'fg-rs', namespace: 'default' });
    return r.metadata?.deletionTimestamp ? r : undefined;
  });
  await cluster.settled();
  expect(await exists(() => apps.readNamespacedDeployment({ name: 'fg', namespace: 'default' }))).toBe(true);
  rs.metadata!.finalizers = (rs.metadata?.finalizers ?? []).filter((f) => f !== 'example.com/slow');
  await apps.replaceNamespacedReplicaSet({ name: 'fg-rs', namespace: 'default', body: rs });
  await waitFor(
    'the owner to go',
    async () => !(await exists(() => apps.readNamespacedDeployment({ name: 'fg', namespace: 'default' }))),
  );
  expect(await exists(() => apps.readNamespacedReplicaSet({ name: 'fg-rs', namespace: 'default' }))).toBe(
    false,
  );
});

test('Orphan deletion: dependents stay, without the owner reference', async () => {
  const owner = await deployment('or');
  await apps.createNamespacedReplicaSet({ namespace: 'default', body: replicaSet('or-rs', owner) });
  await apps.deleteNamespacedDeployment({ name: 'or', namespace: 'default', propagationPolicy: 'Orphan' });
  await waitFor(
    'the owner to go',
    async () => !(await exists(() => apps.readNamespacedDeployment({ name: 'or', namespace: 'default' }))),
  );
  await cluster.settled();
  const rs = await apps.readNamespacedReplicaSet({ name: 'or-rs', namespace: 'default' });
  expect(rs.metadata?.ownerReferences).toBeUndefined();
});

test('an object keeps the owners that still exist', async () => {
  const a = await deployment('two-a');
  const b = await deployment('two-b');
  const rs = replicaSet('two-rs', a);
  rs.metadata!.ownerReferences!.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: b.name, uid: b.uid });
  await apps.createNamespacedReplicaSet({ namespace: 'default', body: rs });
  await apps.deleteNamespacedDeployment({ name: 'two-a', namespace: 'default' });
  const kept = await waitFor('the dangling reference to go', async () => {
    const r = await apps.readNamespacedReplicaSet({ name: 'two-rs', namespace: 'default' });
    return r.metadata?.ownerReferences?.length === 1 ? r : undefined;
  });
  expect(kept.metadata?.ownerReferences?.[0]?.uid).toBe(b.uid);
});

test('deleting a namespace deletes everything in it, then the namespace', async () => {
  await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
  await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'cm' } } });
  await custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    namespace: 'doomed',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: { selector: {} },
    },
  });
  // The real server answers a namespace DELETE with the Namespace (client-node types it as a V1Status).
  const ns = (await core.deleteNamespace({ name: 'doomed' })) as unknown as { status?: { phase?: string } };
  expect(ns.status?.phase).toBe('Terminating');
  await waitFor(
    'the namespace to go',
    async () => !(await exists(() => core.readNamespace({ name: 'doomed' }))),
  );
  expect(cluster.store.list('v1', 'ConfigMap', { namespace: 'doomed' })).toEqual([]);
  expect(cluster.store.list('argoproj.io/v1alpha1', 'Rollout', { namespace: 'doomed' })).toEqual([]);
  await expect(core.deleteNamespace({ name: 'default' })).rejects.toMatchObject({ code: 403 });
});

test('a CRD created through the API is served; deleting it removes its objects', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
      ],
    },
  };
  const res = await fetch(`${cluster.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(crd),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { status: { conditions: { type: string; status: string }[] } };
  expect(created.status.conditions).toEqual(
    expect.arrayContaining([expect.objectContaining({ type: 'Established', status: 'True' })]),
  );
  await custom.createClusterCustomObject({
    group: 'example.com',
    version: 'v1',
    plural: 'widgets',
    body: {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      size: 3,
      color: 'pruned',
    },
  });
  const w = (await custom.getClusterCustomObject({
    group: 'example.com',
    version: 'v1',
    plural: 'widgets',
    name: 'w1',
  })) as Record<string, unknown>;
  expect(w.size).toBe(3);
  expect(w.color).toBeUndefined();
  const deleted = await fetch(
    `${cluster.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com`,
    { method: 'DELETE' },
  );
  expect(deleted.status).toBe(200);
  await waitFor(
    'the widgets resource to stop being served',
    async () => (await fetch(`${cluster.url}/apis/example.com/v1/widgets`)).status === 404,
  );
});
