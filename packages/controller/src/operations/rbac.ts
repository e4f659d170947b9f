// The Kubernetes API permissions the controller needs, exactly: each resource it calls and the verbs it
// uses on it. The Helm chart's and the kustomize folder's RBAC rules are checked against this table, and
// the table against the code (the calls in the source and the requests of a full run), by the tests.
import { RESOURCES, type ResourceType } from '@ramp/kube';
import { routeResourceVersions } from '../routing/route-resources';
import { LEASES } from './lease';

/** The routing resources, at any of their versions (RBAC names group and plural only). */
const ROUTES = Object.fromEntries(
  Object.entries(routeResourceVersions()).map(([name, versions]) => [name, versions[0]!]),
);

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/**
 * Where a permission is needed: `watched` in the namespaces the controller watches (a ClusterRole, or
 * a Role in its namespace with --namespaced); `cluster` for cluster-scoped resources (not needed, nor
 * read, with --namespaced); `own` in the controller's own namespace only (its Lease: a Role).
 */
export type Scope = 'watched' | 'cluster' | 'own';

export interface Permission {
  group: string;
  /** The resource's plural, or `plural/subresource`. */
  resource: string;
  verbs: readonly Verb[];
  scope: Scope;
  why: string;
}

function perm(res: ResourceType, verbs: Verb[], why: string, subresource?: string): Permission {
  const scope: Scope = res === LEASES ? 'own' : res.namespaced ? 'watched' : 'cluster';
  const resource = subresource ? `${res.plural}/${subresource}` : res.plural;
  return { group: res.group, resource, verbs, scope, why };
}

export const CONTROLLER_PERMISSIONS: readonly Permission[] = [
  perm(
    RESOURCES.rollouts,
    ['list', 'watch', 'patch'],
    'the Rollout informer; patch: its rollout.argoproj.io/revision annotation, as Argo keeps it',
  ),
  perm(RESOURCES.rollouts, ['patch'], 'one status write per reconcile', 'status'),
  perm(
    RESOURCES.analysisRuns,
    ['list', 'watch', 'create', 'patch', 'delete'],
    'runs: created for gates, status, terminate, history and ttl',
  ),
  perm(RESOURCES.analysisTemplates, ['list', 'watch'], 'templates of analysis steps'),
  perm(RESOURCES.clusterAnalysisTemplates, ['list', 'watch'], 'cluster-scoped templates'),
  perm(
    RESOURCES.replicaSets,
    ['list', 'watch', 'create', 'patch', 'delete'],
    'the ReplicaSets of each revision',
  ),
  perm(RESOURCES.services, ['list', 'watch', 'patch'], 'stable/canary/active/preview selectors'),
  perm(RESOURCES.pods, ['list', 'delete'], 'spec.restartAt: old pods listed and replaced one at a time'),
  perm(RESOURCES.jobs, ['list', 'watch', 'create', 'delete'], 'the job metric provider'),
  perm(RESOURCES.events, ['create', 'patch'], 'Events about Rollouts and AnalysisRuns (patch: repeats)'),
  perm(RESOURCES.secrets, ['get'], 'AnalysisRun args from secretKeyRef, read when needed'),
  perm(LEASES, ['get', 'create', 'update'], 'leader election'),
  ...['httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes'].map((name) =>
    perm(
      ROUTES[name]!,
      ['list', 'watch', 'patch'],
      'Gateway API routes: the canary weights, managed routes, in-progress label',
    ),
  ),
  perm(
    ROUTES.ingresses!,
    ['list', 'watch', 'create', 'patch', 'delete'],
    'NGINX: the canary Ingress beside the stable one (the stable is only read)',
  ),
  perm(
    ROUTES.trafficsplits!,
    ['list', 'watch', 'create', 'patch'],
    'SMI: the TrafficSplit of the canary and stable Services',
  ),
  ...['virtualservices', 'destinationrules'].map((name) =>
    perm(
      ROUTES[name]!,
      ['list', 'watch', 'patch'],
      'Istio: VirtualService weights, header and mirror routes; DestinationRule subset labels',
    ),
  ),
  perm(
    ROUTES.apisixroutes!,
    ['list', 'watch', 'create', 'patch', 'delete'],
    'APISIX: the ApisixRoute weights, and the header routes Ramp adds',
  ),
  ...routeResourceVersions().traefikservices.map((version) =>
    perm(version, ['list', 'watch', 'patch'], "Traefik: the TraefikService's weighted services"),
  ),
  perm(
    ROUTES.mappings!,
    ['list', 'watch', 'create', 'patch', 'delete'],
    'Ambassador: the canary Mapping copies beside the stable ones (those only read)',
  ),
];

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** A permission as `group resource verb` strings, for set comparisons. */
export function grants(permissions: readonly Permission[]): Set<string> {
  return new Set(permissions.flatMap((p) => p.verbs.map((v) => `${p.group} ${p.resource} ${v}`)));
}

/** RBAC rules (`apiGroups`, `resources`, `verbs`) as `group resource verb` strings; `*` is not allowed. */
export function grantsOfRules(rules: readonly PolicyRule[]): Set<string> {
  const out = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        for (const verb of rule.verbs) out.add(`${group} ${resource} ${verb}`);
      }
    }
  }
  return out;
}

/** The permissions a Role or ClusterRole of the install must grant: `namespaced` installs have no cluster part. */
export function permissionsFor(role: 'controller' | 'leader-election', namespaced: boolean): Permission[] {
  if (role === 'leader-election') return CONTROLLER_PERMISSIONS.filter((p) => p.scope === 'own');
  return CONTROLLER_PERMISSIONS.filter(
    (p) => p.scope === 'watched' || (p.scope === 'cluster' && !namespaced),
  );
}

/** The resource type a REST path addresses, with its subresource: `group plural[/sub]` (for request checks). */
export function grantOfRequest(method: string, path: string, watch: boolean): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const group = parts[0] === 'api' ? '' : (parts[1] ?? '');
  let rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [plural = '', name, sub] = rest;
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const verb =
    method === 'GET' ? (watch ? 'watch' : name === undefined ? 'list' : 'get') : (verbs[method] ?? method);
  return `${group} ${sub ? `${plural}/${sub}` : plural} ${verb}`;
}
