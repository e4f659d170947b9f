/** Discovery documents: /api, /apis, /apis/GROUP, /api/v1 and /apis/GROUP/VERSION, /version. */
import type { ResourceRegistry } from '../crd-registry';
import { compareKubeVersions, groupVersion, type ResourceType } from '../resources/resource-type';
import type { JsonObject } from '../types';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-testkit',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(registry: ResourceRegistry, group: string): JsonObject | undefined {
  const versions = [
    ...new Set(
      registry
        .all()
        .filter((t) => t.group === group)
        .flatMap((t) => t.versions.map((v) => v.name)),
    ),
  ].sort(compareKubeVersions);
  if (versions.length === 0) return undefined;
  const entries = versions.map((version) => ({ groupVersion: groupVersion(group, version), version }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(registry: ResourceRegistry): JsonObject {
  const groups = [...new Set(registry.all().map((t) => t.group))].filter((g) => g !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((g) => groupEntry(registry, g)).filter((g) => g !== undefined),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string): JsonObject | undefined {
  const entry = groupEntry(registry, group);
  return entry ? { kind: 'APIGroup', apiVersion: 'v1', ...entry } : undefined;
}

function resourceEntries(type: ResourceType, version: string): JsonObject[] {
  const v = type.versions.find((x) => x.name === version);
  const main: JsonObject = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: VERBS,
  };
  if (type.shortNames.length > 0) main.shortNames = type.shortNames;
  if (type.categories.length > 0) main.categories = type.categories;
  const out = [main];
  if (v?.scale) {
    out.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: SUB_VERBS,
    });
  }
  if (v?.status) {
    out.push({
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: SUB_VERBS,
    });
  }
  return out;
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.all().filter((t) => t.group === group && t.versions.some((v) => v.name === version));
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: types.flatMap((t) => resourceEntries(t, version)),
  };
}
