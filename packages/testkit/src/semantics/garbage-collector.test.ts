/**
 * The garbage collector through the store (no HTTP): cascades with each propagation policy, owners that are
 * missing or partly gone, and that a collection looks only at what a change concerns.
 */
import { startTestCluster, type TestCluster } from '../index';
import { ObjectStore } from '../store/object-store';
import type { KubeObject, OwnerReference } from '../types';

let cluster: TestCluster;
let seq = 0;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: [], gcDelayMs: 0 });
});

afterAll(async () => {
  await cluster.stop();
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** A fresh namespace per test. */
function namespace(): string {
  const name = `gc-${++seq}`;
  cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function ref(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

function configMap(
  ns: string,
  name: string,
  owners: OwnerReference[] = [],
  finalizers?: string[],
): KubeObject {
  return cluster.store.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: ns,
      ...(owners.length > 0 ? { ownerReferences: owners } : {}),
      ...(finalizers ? { finalizers } : {}),
    },
  });
}

/** owner → child → grandchild (ConfigMaps: nothing else acts on them), plus an unrelated one. */
function family(ns: string, opts: { childFinalizer?: string } = {}) {
  const owner = configMap(ns, 'owner');
  const child = configMap(ns, 'child', [ref(owner)], opts.childFinalizer ? [opts.childFinalizer] : undefined);
  const grandchild = configMap(ns, 'grandchild', [ref(child)]);
  configMap(ns, 'bystander');
  return { owner, child, grandchild };
}

const get = (ns: string, name: string) => cluster.store.get('v1', 'ConfigMap', name, ns);
const names = (ns: string) =>
  cluster.store.list('v1', 'ConfigMap', { namespace: ns }).map((o) => o.metadata.name);

test('Background: the owner goes at once, then its dependents and theirs', async () => {
  const ns = namespace();
  family(ns);
  await cluster.settled();
  expect(names(ns)).toEqual(['bystander', 'child', 'grandchild', 'owner']);
  cluster.store.delete('v1', 'ConfigMap', 'owner', ns, { propagationPolicy: 'Background' });
  expect(get(ns, 'owner')).toBeUndefined();
  await cluster.settled();
  expect(names(ns)).toEqual(['bystander']);
});

test('Foreground: the dependents go first (theirs first too), the owner after them', async () => {
  const ns = namespace();
  family(ns, { childFinalizer: 'example.com/hold' });
  const deleted: string[] = [];
  const stop = cluster.store.subscribe((c) => {
    if (c.type === 'DELETED' && c.object.metadata.namespace === ns)
      deleted.push(c.object.metadata.name ?? '');
  });
  cluster.store.delete('v1', 'ConfigMap', 'owner', ns, { propagationPolicy: 'Foreground' });
  await cluster.settled();
  // The grandchild is gone, so the child dropped its foregroundDeletion finalizer; it waits for its own
  // finalizer, and the owner for the child.
  expect(deleted).toEqual(['grandchild']);
  expect(get(ns, 'owner')?.metadata).toMatchObject({ finalizers: ['foregroundDeletion'] });
  expect(get(ns, 'owner')?.metadata.deletionTimestamp).toBeDefined();
  expect(get(ns, 'child')?.metadata.deletionTimestamp).toBeDefined();
  expect(get(ns, 'child')?.metadata.finalizers).toEqual(['example.com/hold']);
  cluster.store.patch(
    'v1',
    'ConfigMap',
    'child',
    ns,
    [{ op: 'remove', path: '/metadata/finalizers/0' }],
    'json',
  );
  await cluster.settled();
  expect(deleted).toEqual(['grandchild', 'child', 'owner']);
  expect(names(ns)).toEqual(['bystander']);
  stop();
});

test('Foreground: a dependent that drops its owner reference releases the owner', async () => {
  const ns = namespace();
  const owner = configMap(ns, 'owner');
  configMap(ns, 'held', [ref(owner)], ['example.com/hold']);
  cluster.store.delete('v1', 'ConfigMap', 'owner', ns, { propagationPolicy: 'Foreground' });
  await cluster.settled();
  expect(get(ns, 'owner')).toBeDefined();
  cluster.store.patch('v1', 'ConfigMap', 'held', ns, { metadata: { ownerReferences: null } });
  await cluster.settled();
  expect(get(ns, 'owner')).toBeUndefined();
  expect(get(ns, 'held')?.metadata.deletionTimestamp).toBeDefined();
});

test('Orphan: the dependents stay, without the reference to the owner (others kept)', async () => {
  const ns = namespace();
  const { owner } = family(ns);
  const other = configMap(ns, 'other');
  const both = configMap(ns, 'both', [ref(owner), ref(other, false)]);
  cluster.store.delete('v1', 'ConfigMap', 'owner', ns, { propagationPolicy: 'Orphan' });
  await cluster.settled();
  expect(get(ns, 'owner')).toBeUndefined();
  expect(get(ns, 'child')?.metadata.ownerReferences).toBeUndefined();
  expect(get(ns, 'child')?.metadata.deletionTimestamp).toBeUndefined();
  expect(get(ns, 'grandchild')?.metadata.ownerReferences).toHaveLength(1);
  expect(get(ns, 'both')?.metadata.ownerReferences).toEqual([ref(other, false)]);
  expect(get(ns, 'both')?.metadata.uid).toBe(both.metadata.uid);
  expect(names(ns)).toEqual(['both', 'bystander', 'child', 'grandchild', 'other']);
});

test('owners missing from the start, or partly gone', async () => {
  const ns = namespace();
  const a = configMap(ns, 'a');
  const ghost: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' };
  configMap(ns, 'dangling', [ghost]);
  configMap(ns, 'half', [ref(a), ghost]);
  await cluster.settled();
  expect(get(ns, 'dangling')).toBeUndefined();
  expect(get(ns, 'half')?.metadata.ownerReferences).toEqual([ref(a)]);
  // An update that points an object at a missing owner is collected too.
  cluster.store.patch('v1', 'ConfigMap', 'a', ns, { metadata: { ownerReferences: [ghost] } });
  await cluster.settled();
  expect(get(ns, 'a')).toBeUndefined();
  await cluster.settled();
  expect(get(ns, 'half')).toBeUndefined();
});

test('a collection looks only at what the change concerns, not at every object', async () => {
  const ns = namespace();
  for (let i = 0; i < 300; i++) configMap(ns, `filler-${i}`);
  const owner = configMap(ns, 'owner');
  configMap(ns, 'dep', [ref(owner)]);
  await cluster.settled();
  const entries = jest.spyOn(ObjectStore.prototype, 'entries');
  const peekList = jest.spyOn(ObjectStore.prototype, 'peekList');
  const peek = jest.spyOn(ObjectStore.prototype, 'peek');
  cluster.store.delete('v1', 'ConfigMap', 'owner', ns);
  await cluster.settled();
  expect(get(ns, 'dep')).toBeUndefined();
  expect(entries).not.toHaveBeenCalled();
  expect(peekList).not.toHaveBeenCalled();
  expect(peek.mock.calls.length).toBeLessThan(20);
  expect(names(ns)).toHaveLength(300);
});

test('a terminating namespace is emptied, then goes', async () => {
  const ns = namespace();
  family(ns, { childFinalizer: 'example.com/hold' });
  cluster.store.delete('v1', 'Namespace', ns);
  await cluster.settled();
  expect(names(ns)).toEqual(['child']);
  expect(cluster.store.get('v1', 'Namespace', ns)?.status).toMatchObject({ phase: 'Terminating' });
  cluster.store.patch('v1', 'ConfigMap', 'child', ns, { metadata: { finalizers: null } });
  await cluster.settled();
  expect(names(ns)).toEqual([]);
  expect(cluster.store.get('v1', 'Namespace', ns)).toBeUndefined();
});
