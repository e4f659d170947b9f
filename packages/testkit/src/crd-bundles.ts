/**
 * Installing real upstream CRDs into a test cluster: the Gateway API (standard or experimental channel) and
 * SMI TrafficSplit, shipped in src/fixtures/crds (see its NOTICE.md), or any CRD files or folders. With the
 * CRDs installed, their objects are checked against the upstream schemas and CEL rules.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readCrdFile, readCrds } from './crds-loader';
import type { ClusterStore } from './store/cluster-store';
import type { KubeObject } from './types';

export type CrdBundle =
  | 'gateway-api-standard'
  | 'gateway-api-experimental'
  | 'smi'
  | 'istio'
  | 'apisix'
  | 'traefik'
  | 'ambassador';

/** Where the bundles are, from src/ (jest) and from dist/ (the built package) alike. */
export const UPSTREAM_CRDS_DIR = path.resolve(__dirname, '..', 'src', 'fixtures', 'crds');

const BUNDLES: Record<CrdBundle, string> = {
  'gateway-api-standard': path.join(UPSTREAM_CRDS_DIR, 'gateway-api', 'standard'),
  'gateway-api-experimental': path.join(UPSTREAM_CRDS_DIR, 'gateway-api', 'experimental'),
  smi: path.join(UPSTREAM_CRDS_DIR, 'smi'),
  istio: path.join(UPSTREAM_CRDS_DIR, 'istio'),
  apisix: path.join(UPSTREAM_CRDS_DIR, 'apisix'),
  // schemaless: their objects' fields are not checked (fixtures/crds/NOTICE.md)
  traefik: path.join(UPSTREAM_CRDS_DIR, 'ramp-schemaless', 'traefik'),
  ambassador: path.join(UPSTREAM_CRDS_DIR, 'ramp-schemaless', 'ambassador'),
};

export function isCrdBundle(name: string): name is CrdBundle {
  return Object.hasOwn(BUNDLES, name);
}

/** Parsed bundles, kept for the process: parsing the Gateway API's YAML takes most of a second. */
const bundleCache = new Map<CrdBundle, Record<string, unknown>[]>();

/** The CRD documents of bundles, files and folders (`*.yaml`, multi-document files too); copies. */
export function readCrdSources(sources: (CrdBundle | string)[]): Record<string, unknown>[] {
  return sources.flatMap((source) => {
    if (isCrdBundle(source)) {
      let docs = bundleCache.get(source);
      if (!docs) {
        docs = readCrds([BUNDLES[source]]).map((c) => c.crd);
        bundleCache.set(source, docs);
      }
      return structuredClone(docs);
    }
    const where = source;
    if (statSync(where, { throwIfNoEntry: false })?.isFile()) return readCrdFile(where);
    return readCrds([where]).map((c) => c.crd);
  });
}

/**
 * Installs (creates, or replaces when they exist) the CRDs of bundles, files and folders in a test cluster;
 * returns their names. Installing `gateway-api-experimental` after `gateway-api-standard` switches channel.
 */
export function installCrds(
  target: ClusterStore | { store: ClusterStore },
  ...sources: (CrdBundle | string)[]
): string[] {
  const store = 'store' in target ? target.store : target;
  return readCrdSources(sources).map((doc) => {
    const { status: _status, ...crd } = doc;
    return store.put(crd as unknown as KubeObject).metadata.name ?? '';
  });
}
