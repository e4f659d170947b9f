// The CRD bundles testkit ships: each installs, its kinds are served at the versions Argo Rollouts
// writes, and their objects are checked against the upstream schema (Istio, APISIX) or stored as
// written (the schemaless Traefik and Ambassador CRDs). Istio's YAML, which the `yaml` package refuses
// (multi-line quoted descriptions less indented than their key), is read as kubectl reads it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCrdSources } from '../crd-bundles';
import { readCrdFile } from '../crds-loader';
import { startTestCluster, type TestCluster } from '../index';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ crds: ['istio', 'apisix', 'traefik', 'ambassador'] });
});
afterAll(() => cluster.stop());

const names = (docs: Record<string, unknown>[]) =>
  docs.map((d) => (d.metadata as { name: string }).name).sort();

test('the Istio bundle: all 14 CRDs read, VirtualService and DestinationRule at v1alpha3 and v1beta1', () => {
  const docs = readCrdSources(['istio']);
  expect(docs).toHaveLength(14);
  expect(names(docs)).toContain('virtualservices.networking.istio.io');
  const vs = docs.find(
    (d) => (d.metadata as { name: string }).name === 'virtualservices.networking.istio.io',
  );
  expect((vs?.spec as { versions: { name: string }[] } | undefined)?.versions.map((v) => v.name)).toEqual([
    'v1alpha3',
    'v1beta1',
  ]);
});

test('Istio objects are checked against the upstream schema; Traefik and Ambassador ones are stored as written', () => {
  const vs = (spec: unknown) => ({
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name: `vs-${Math.random().toString(36).slice(2, 8)}`, namespace: 'default' },
    spec,
  });
  expect(() =>
    cluster.store.create(
      vs({
        hosts: ['web'],
        http: [{ name: 'primary', route: [{ destination: { host: 'web' }, weight: 100 }] }],
      }),
    ),
  ).not.toThrow();
  expect(() => cluster.store.create(vs({ http: [{ route: [{ weight: 'heavy' }] }] }))).toThrow(/weight/);
  const traefik = cluster.store.create({
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TraefikService',
    metadata: { name: 'web', namespace: 'default' },
    spec: { weighted: { services: [{ name: 'web-stable', weight: 'anything' }] } },
  });
  expect((traefik.spec as { weighted: unknown }).weighted).toEqual({
    services: [{ name: 'web-stable', weight: 'anything' }],
  });
  expect(
    cluster.store.create({
      apiVersion: 'getambassador.io/v3alpha1',
      kind: 'Mapping',
      metadata: { name: 'web', namespace: 'default' },
      spec: { prefix: '/', service: 'web:80' },
    }).metadata.name,
  ).toBe('web');
});

test('a CRD file neither parser reads is an error naming the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crds-'));
  const file = path.join(dir, 'broken.yaml');
  writeFileSync(file, 'kind: CustomResourceDefinition\nmetadata: {name: [unclosed\n');
  expect(() => readCrdFile(file)).toThrow(file);
});
