/** The raw store's indexes (owner, namespace, uid), frozen storage, and ClusterStore's reads over them. */
import { startTestCluster, type TestCluster } from '../index';
import type { KubeObject, OwnerReference } from '../types';
import { ObjectStore } from './object-store';

function owner(uid: string, controller = false): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: `rs-${uid}`,
    uid,
    ...(controller ? { controller } : {}),
  };
}

function pod(name: string, namespace: string, owners: OwnerReference[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      ...(owners.length > 0 ? { ownerReferences: owners } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
}

const names = (found: { object: KubeObject }[]) => found.map((d) => d.object.metadata.name).sort();

describe('ObjectStore', () => {
  test('dependentsOf follows ownerReferences through creates, updates and removals', () => {
    const store = new ObjectStore();
    store.write('pods', pod('a', 'ns1', [owner('A')]));
    store.write('pods', pod('b', 'ns1', [owner('A'), owner('B')]));
    store.write('pods', pod('c', 'ns2', [owner('B')]));
    store.write('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'ns1', uid: 'cm', ownerReferences: [owner('A')] },
    });
    expect(names(store.dependentsOf('A'))).toEqual(['a', 'b', 'x']);
    expect(names(store.dependentsOf('B'))).toEqual(['b', 'c']);
    expect(store.dependentsOf('A').find((d) => d.object.metadata.name === 'x')?.key).toBe('configmaps');
    // The owner need not exist; an unknown or missing uid has no dependents.
    expect(store.dependentsOf('nobody')).toEqual([]);
    expect(store.dependentsOf(undefined)).toEqual([]);

    // Update: a moves from A to B; b drops B; status-only writes keep the index as it is.
    store.write('pods', pod('a', 'ns1', [owner('B')]));
    store.write('pods', pod('b', 'ns1', [owner('A')]));
    store.write('pods', { ...pod('b', 'ns1', [owner('A')]), status: { phase: 'Running' } });
    expect(names(store.dependentsOf('A'))).toEqual(['b', 'x']);
    expect(names(store.dependentsOf('B'))).toEqual(['a', 'c']);
    // The objects found are the current ones.
    expect(store.dependentsOf('A').find((d) => d.object.metadata.name === 'b')?.object.status).toEqual({
      phase: 'Running',
    });

    // No owners any more, then removal.
    store.write('pods', pod('a', 'ns1'));
    expect(names(store.dependentsOf('B'))).toEqual(['c']);
    store.remove('pods', pod('c', 'ns2'));
    expect(store.dependentsOf('B')).toEqual([]);
    store.remove('pods', pod('b', 'ns1'));
    store.remove('configmaps', { metadata: { name: 'x', namespace: 'ns1' } });
    expect(store.dependentsOf('A')).toEqual([]);
  });

  test('stored objects are frozen and shared; get and list copy them', () => {
    const store = new ObjectStore();
    const input = pod('a', 'ns1', [owner('A', true)]);
    const stored = store.write('pods', input);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored.metadata.ownerReferences?.[0])).toBe(true);
    expect(Object.isFrozen((stored.spec as { containers: unknown[] }).containers[0])).toBe(true);
    expect(() => {
      (stored.metadata as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(store.peek('pods', 'ns1', 'a')).toBe(stored);
    expect(store.findByUid('uid-ns1-a')?.object).toBe(stored);
    expect(store.peekList('pods', 'ns1')[0]).toBe(stored);

    const copy = store.get('pods', 'ns1', 'a');
    expect(copy).toEqual(stored);
    expect(copy).not.toBe(stored);
    expect(Object.isFrozen(copy)).toBe(false);
    const [listed] = store.list('pods', 'ns1');
    expect(listed).toEqual(stored);
    expect(Object.isFrozen(listed)).toBe(false);

    const last = store.remove('pods', stored);
    expect(Object.isFrozen(last)).toBe(true);
    expect(store.findByUid('uid-ns1-a')).toBeUndefined();
  });

  test('lists by namespace, in etcd key order; counts', () => {
    const store = new ObjectStore();
    for (const [name, ns] of [
      ['b', 'ns2'],
      ['a-2', 'ns1'],
      ['a', 'ns2'],
      ['a10', 'ns1'],
      ['a', 'ns1'],
    ] as const) {
      store.write('pods', pod(name, ns));
    }
    const ids = (objs: KubeObject[]) => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(ids(store.peekList('pods'))).toEqual(['ns1/a', 'ns1/a-2', 'ns1/a10', 'ns2/a', 'ns2/b']);
    expect(ids(store.peekList('pods', 'ns2'))).toEqual(['ns2/a', 'ns2/b']);
    expect(ids(store.list('pods', 'ns1'))).toEqual(['ns1/a', 'ns1/a-2', 'ns1/a10']);
    expect(store.peekList('pods', 'none')).toEqual([]);
    expect(store.peekList('nothing')).toEqual([]);
    expect([store.count('pods'), store.count('pods', 'ns1'), store.count('pods', 'none')]).toEqual([5, 3, 0]);
    store.remove('pods', pod('a', 'ns2'));
    store.remove('pods', pod('b', 'ns2'));
    expect(store.count('pods', 'ns2')).toBe(0);
    expect(ids(store.peekList('pods'))).toEqual(['ns1/a', 'ns1/a-2', 'ns1/a10']);
  });

  test('an object replaced under the same name with another uid is found by its new uid only', () => {
    const store = new ObjectStore();
    store.write('pods', pod('a', 'ns1'));
    store.write('pods', { ...pod('a', 'ns1'), metadata: { ...pod('a', 'ns1').metadata, uid: 'other' } });
    expect(store.findByUid('uid-ns1-a')).toBeUndefined();
    expect(store.findByUid('other')?.object.metadata.name).toBe('a');
  });
});

describe('ClusterStore.peekDependents', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ crdsDir: [] });
    cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  function replicaSet(name: string): KubeObject {
    return cluster.store.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
  }

  function ref(rs: KubeObject): OwnerReference {
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: rs.metadata.name ?? '',
      uid: rs.metadata.uid ?? '',
      controller: true,
    };
  }

  const podNames = (uid: string | undefined, namespace?: string) =>
    cluster.store.peekDependents('v1', 'Pod', uid ?? '', namespace).map((p) => p.metadata.name);

  test("an owner's pods are found after create, update of ownerReferences, and delete", () => {
    const { store } = cluster;
    const one = replicaSet('one');
    const two = replicaSet('two');
    const create = (name: string, namespace: string, owners: OwnerReference[]) =>
      store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, ownerReferences: owners },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      });
    create('p2', 'default', [ref(one)]);
    create('p1', 'default', [ref(one)]);
    create('p3', 'other', [ref(one)]);
    create('q1', 'default', [ref(two)]);
    // A ConfigMap owned by the same ReplicaSet is not a pod.
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'default', ownerReferences: [ref(one)] },
    });
    expect(podNames(one.metadata.uid, 'default')).toEqual(['p1', 'p2']);
    expect(podNames(one.metadata.uid)).toEqual(['p1', 'p2', 'p3']);
    expect(podNames(two.metadata.uid, 'default')).toEqual(['q1']);

    // Moving p1 to `two` (merge patch of ownerReferences), then releasing q1.
    store.patch('v1', 'Pod', 'p1', 'default', { metadata: { ownerReferences: [ref(two)] } });
    expect(podNames(one.metadata.uid, 'default')).toEqual(['p2']);
    expect(podNames(two.metadata.uid, 'default')).toEqual(['p1', 'q1']);
    store.patch('v1', 'Pod', 'q1', 'default', { metadata: { ownerReferences: null } });
    expect(podNames(two.metadata.uid, 'default')).toEqual(['p1']);
    // A status write keeps it; the pods found are the current objects, frozen.
    store.patchStatus('v1', 'Pod', 'p1', 'default', { status: { phase: 'Running' } });
    const [p1] = store.peekDependents('v1', 'Pod', two.metadata.uid ?? '', 'default');
    expect(p1?.status).toMatchObject({ phase: 'Running' });
    expect(Object.isFrozen(p1)).toBe(true);

    store.delete('v1', 'Pod', 'p2', 'default');
    store.delete('v1', 'Pod', 'p1', 'default');
    expect(podNames(one.metadata.uid, 'default')).toEqual([]);
    expect(podNames(two.metadata.uid, 'default')).toEqual([]);
    expect(podNames(one.metadata.uid)).toEqual(['p3']);
  });

  test('peek and peekList share the stored objects; get and list still copy', () => {
    const { store } = cluster;
    store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'default' } });
    const peeked = store.peek('v1', 'ConfigMap', 'shared', 'default');
    expect(Object.isFrozen(peeked)).toBe(true);
    expect(store.peekList('v1', 'ConfigMap', 'default')).toContain(peeked);
    const copy = store.get('v1', 'ConfigMap', 'shared', 'default');
    expect(copy).toEqual(peeked);
    expect(Object.isFrozen(copy)).toBe(false);
    expect(Object.isFrozen(store.list('v1', 'ConfigMap', { namespace: 'default' })[0])).toBe(false);
    expect(store.peek('v1', 'ConfigMap', 'missing', 'default')).toBeUndefined();
  });
});
