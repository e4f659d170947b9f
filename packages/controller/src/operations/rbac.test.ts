import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RESOURCES, type ResourceType } from '@ramp/kube';
import { routeResourceVersions } from '../routing/route-resources';
import type { RouteResourceName } from '../routing/router';
import { LEASES } from './lease';
import { CONTROLLER_PERMISSIONS, grantOfRequest, grants, grantsOfRules, permissionsFor } from './rbac';

const SRC = join(__dirname, '..');

/** The controller's product sources, as its build has them: no tests, nothing under testing/. */
function productSources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : productSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const CLIENT_VERBS: Record<string, string> = {
  get: 'get',
  list: 'list',
  listAll: 'list',
  watch: 'watch',
  create: 'create',
  replace: 'update',
  patch: 'patch',
  patchStatus: 'patch',
  delete: 'delete',
};

function resourceOf(ref: string): ResourceType {
  if (ref === 'LEASES') return LEASES;
  const res = (RESOURCES as Record<string, ResourceType>)[ref.replace(/^RESOURCES\./, '')];
  if (!res) throw new Error(`unknown resource ${ref}`);
  return res;
}

/** The (group, resource, verb) triples the code asks for, read from its calls. */
function grantsInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (res: ResourceType, verb: string, where: string, sub?: string) => {
    const key = `${res.group} ${sub ? `${res.plural}/${sub}` : res.plural} ${verb}`;
    found.set(key, [...(found.get(key) ?? []), where]);
  };
  for (const file of productSources()) {
    const text = readFileSync(file, 'utf8');
    const where = relative(SRC, file);
    // client.verb(RESOURCES.x, ...) and client.verb<T>(LEASES, ...), also across lines
    for (const m of text.matchAll(/\.(\w+)(?:<[^>()]*>)?\(\s*(RESOURCES\.\w+|LEASES)\b/g)) {
      const verb = CLIENT_VERBS[m[1]!];
      if (verb) add(resourceOf(m[2]!), verb, where, m[1] === 'patchStatus' ? 'status' : undefined);
    }
    // informers list and watch their resource
    for (const m of text.matchAll(/new Informer<\w+>\(\s*client,\s*\{[^}]*?resource:\s*(RESOURCES\.\w+)/g)) {
      add(resourceOf(m[1]!), 'list', where);
      add(resourceOf(m[1]!), 'watch', where);
    }
    // the routing caches list and watch every routing resource
    if (/class RoutingCaches/.test(text)) {
      // every version it may fall back to (route-resources.ts), whose group may differ (Traefik's)
      for (const version of Object.values(routeResourceVersions()).flat()) {
        add(version, 'list', where);
        add(version, 'watch', where);
      }
    }
    // the routers plan their writes as { action, resource } (runtime/apply-routes.ts sends them)
    for (const m of text.matchAll(/action: '(create|update|delete)',\s*resource: '(\w+)'/g)) {
      // written at the version its cache read it at: any of the resource's versions
      for (const res of routeResourceVersions()[m[2] as RouteResourceName])
        add(res, { create: 'create', update: 'patch', delete: 'delete' }[m[1] as 'create'], where);
    }
    // the Gateway API router updates the route of each entry of its kind table
    if (/action: 'update',\s*resource: entry\.info\.resource/.test(text)) {
      for (const m of text.matchAll(/resource: '(\w+routes)'/g))
        add(routeResourceVersions()[m[1] as RouteResourceName][0]!, 'patch', where);
    }
    // deletions collected as { resource: RESOURCES.x, name } and sent by client.delete(resource, ...)
    if (/client\.delete\(resource\b/.test(text)) {
      for (const m of text.matchAll(/\{\s*resource:\s*(RESOURCES\.\w+),\s*name/g))
        add(resourceOf(m[1]!), 'delete', where);
    }
  }
  return found;
}

test('the permission table is exactly what the code calls', () => {
  const inCode = grantsInCode();
  const table = grants(CONTROLLER_PERMISSIONS);
  expect(
    [...inCode.keys()].filter((g) => !table.has(g)).map((g) => `${g} (${inCode.get(g)?.join(', ')})`),
  ).toEqual([]);
  expect([...table].filter((g) => !inCode.has(g))).toEqual([]);
});

test('every resource the client knows is in the table (or the controller does not use it)', () => {
  const used = new Set(CONTROLLER_PERMISSIONS.map((p) => `${p.group} ${p.resource.split('/')[0]}`));
  for (const res of [...Object.values(RESOURCES), LEASES])
    expect(used).toContain(`${res.group} ${res.plural}`);
});

test('scopes: cluster-scoped templates only for cluster installs, the Lease in the own namespace only', () => {
  const clusterWide = grants(permissionsFor('controller', false));
  const namespaced = grants(permissionsFor('controller', true));
  expect([...clusterWide].filter((g) => !namespaced.has(g)).sort()).toEqual([
    'argoproj.io clusteranalysistemplates list',
    'argoproj.io clusteranalysistemplates watch',
  ]);
  expect([...grants(permissionsFor('leader-election', false))].sort()).toEqual([
    'coordination.k8s.io leases create',
    'coordination.k8s.io leases get',
    'coordination.k8s.io leases update',
  ]);
  expect([...clusterWide].some((g) => g.includes('leases'))).toBe(false);
});

test('request paths map to grants; rules expand to grants', () => {
  expect(grantOfRequest('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/a/rollouts/r/status', false)).toBe(
    'argoproj.io rollouts/status patch',
  );
  expect(grantOfRequest('GET', '/api/v1/namespaces/a/secrets/s', false)).toBe(' secrets get');
  expect(grantOfRequest('GET', '/apis/apps/v1/replicasets', true)).toBe('apps replicasets watch');
  expect(grantOfRequest('PUT', '/apis/coordination.k8s.io/v1/namespaces/a/leases/l', false)).toBe(
    'coordination.k8s.io leases update',
  );
  expect(grantsOfRules([{ apiGroups: ['', 'apps'], resources: ['x'], verbs: ['get'] }])).toEqual(
    new Set([' x get', 'apps x get']),
  );
});
