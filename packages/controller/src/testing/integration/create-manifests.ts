// Creates manifests through the API server as `kubectl apply -f` would on a fresh cluster, at the
// apiVersion written: namespaced objects without a namespace in the context's (`default`), each
// namespace created first when missing (testkit, as kube-apiserver, refuses objects in a missing
// one), a Namespace that exists already (`default`) updated with the labels and annotations written,
// cluster-scoped kinds as such.
import { isNotFound, type KubeClient, type ResourceType } from '@ramp/kube';
import type { CREATED_KINDS, Manifest } from './corpus-example';

const CONTEXT_NAMESPACE = 'default';

const RESOURCES: Record<(typeof CREATED_KINDS)[number], { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  GatewayClass: { plural: 'gatewayclasses', namespaced: false },
  Gateway: { plural: 'gateways', namespaced: true },
  Service: { plural: 'services', namespaced: true },
  HTTPRoute: { plural: 'httproutes', namespaced: true },
  GRPCRoute: { plural: 'grpcroutes', namespaced: true },
  TCPRoute: { plural: 'tcproutes', namespaced: true },
  Ingress: { plural: 'ingresses', namespaced: true },
  VirtualService: { plural: 'virtualservices', namespaced: true },
  DestinationRule: { plural: 'destinationrules', namespaced: true },
  ApisixRoute: { plural: 'apisixroutes', namespaced: true },
  TraefikService: { plural: 'traefikservices', namespaced: true },
  Mapping: { plural: 'mappings', namespaced: true },
  Rollout: { plural: 'rollouts', namespaced: true },
};

function resourceOf(m: Manifest): ResourceType {
  const r = RESOURCES[m.kind as keyof typeof RESOURCES];
  if (!r) throw new Error(`cannot create a ${m.kind}`);
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
  return { group: group!, version: version!, plural: r.plural, namespaced: r.namespaced, kind: m.kind };
}

/** The namespace `m` lands in (undefined for a cluster-scoped kind). */
export const namespaceOf = (m: Manifest): string | undefined =>
  resourceOf(m).namespaced ? (m.metadata.namespace ?? CONTEXT_NAMESPACE) : undefined;

const NAMESPACE: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  namespaced: false,
  kind: 'Namespace',
};

async function exists(client: KubeClient, res: ResourceType, name: string): Promise<boolean> {
  try {
    await client.get(res, name);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Creates `manifests` in order; returns the namespaces created for them. */
export async function createManifests(client: KubeClient, manifests: Manifest[]): Promise<string[]> {
  const created: string[] = [];
  for (const m of manifests) {
    const res = resourceOf(m);
    if (m.kind === 'Namespace') {
      if (await exists(client, NAMESPACE, m.metadata.name)) {
        const { labels, annotations } = m.metadata as { labels?: unknown; annotations?: unknown };
        await client.patch(
          NAMESPACE,
          m.metadata.name,
          { metadata: { labels, annotations } },
          { type: 'merge' },
        );
      } else await client.create(NAMESPACE, m);
      continue;
    }
    const namespace = namespaceOf(m);
    if (namespace !== undefined && !(await exists(client, NAMESPACE, namespace))) {
      const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
      await client.create(NAMESPACE, ns);
      created.push(namespace);
    }
    await client.create(res, m, namespace);
  }
  return created;
}
