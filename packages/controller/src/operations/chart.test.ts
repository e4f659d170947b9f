import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../runtime/flags';
import { lookup, render, type Values, valuePaths } from '../testing/operations/helm-lite';
import { parseAllYaml, parseYaml, REPO_ROOT } from '../testing/operations/yaml';
import { grants, grantsOfRules, type PolicyRule, permissionsFor } from './rbac';

const ROOT = REPO_ROOT;
const CHART = join(ROOT, 'charts/ramp');
const read = (path: string) => readFileSync(join(CHART, path), 'utf8');
const templateFiles = readdirSync(join(CHART, 'templates')).sort();
const values = parseYaml(read('values.yaml')) as Values;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  [key: string]: unknown;
}

/** The chart rendered with `overrides` on top of values.yaml (deep merge of plain objects). */
function renderChart(overrides: Values = {}): K8sObject[] {
  const merge = (a: Values, b: Values): Values => {
    const out: Values = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const cur = out[k];
      const plain = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
      out[k] = plain(cur) && plain(v) ? merge(cur as Values, v as Values) : v;
    }
    return out;
  };
  const ctx = {
    values: merge(values, overrides),
    chart: { Name: 'ramp', Version: '0.1.0', AppVersion: '0.1.0' },
  };
  const text = templateFiles
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => render(read(`templates/${f}`), ctx))
    .join('\n---\n');
  return parseAllYaml(text) as K8sObject[];
}

const one = (docs: K8sObject[], kind: string, name?: string) => {
  const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0]!;
};

test('Chart.yaml: apiVersion v2, name, version, appVersion, description, kubeVersion', () => {
  const chart = parseYaml(read('Chart.yaml')) as Record<string, unknown>;
  expect(chart).toMatchObject({ apiVersion: 'v2', name: 'ramp', type: 'application' });
  expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(chart.appVersion).toMatch(/^\d+\.\d+\.\d+$/);
  expect(String(chart.description).length).toBeGreaterThan(20);
  expect(chart.kubeVersion).toMatch(/^>=\s*1\.\d+/);
});

test('every .Values path a template uses exists in values.yaml, and README.md documents every value', () => {
  const used = new Set(templateFiles.flatMap((f) => valuePaths(read(`templates/${f}`))));
  expect(used.size).toBeGreaterThan(20);
  expect([...used].filter((p) => lookup(values, p) === undefined)).toEqual([]);
  const leaves: string[] = [];
  // a leaf is a scalar, a list, an empty map, or a map of free-form entries (resources.requests...)
  const freeForm = new Set(['resources.requests', 'resources.limits']);
  const walk = (v: unknown, path: string) => {
    const group = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
    if (!group || freeForm.has(path)) return void leaves.push(path);
    for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
  };
  walk(values, '');
  const readme = read('README.md');
  expect(leaves.filter((p) => !readme.includes(`\`${p}\``))).toEqual([]);
  // and every value is used somewhere
  const unused = leaves.filter(
    (p) => ![...used].some((u) => u === p || u.startsWith(`${p}.`) || p.startsWith(`${u}.`)),
  );
  expect(unused).toEqual([]);
});

test("the chart's CRDs are identical copies of the repository's crds/", () => {
  const repo = readdirSync(join(ROOT, 'crds'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  expect(readdirSync(join(CHART, 'crds')).sort()).toEqual(repo);
  for (const f of repo) {
    expect(readFileSync(join(CHART, 'crds', f), 'utf8')).toBe(readFileSync(join(ROOT, 'crds', f), 'utf8'));
  }
});

test('default install: the objects, and RBAC equal to the controller permission table (ClusterRole)', () => {
  const docs = renderChart();
  expect(docs.map((d) => d.kind).sort()).toEqual([
    'ClusterRole',
    'ClusterRoleBinding',
    'Deployment',
    'Role',
    'RoleBinding',
    'Service',
    'ServiceAccount',
  ]);
  expect(grantsOfRules(one(docs, 'ClusterRole').rules ?? [])).toEqual(
    grants(permissionsFor('controller', false)),
  );
  const lease = one(docs, 'Role');
  expect(lease.metadata.namespace).toBe('ramp-system');
  expect(grantsOfRules(lease.rules ?? [])).toEqual(grants(permissionsFor('leader-election', false)));
  const binding = one(docs, 'ClusterRoleBinding') as unknown as {
    roleRef: { kind: string; name: string };
    subjects: { name: string }[];
  };
  expect(binding.roleRef).toMatchObject({
    kind: 'ClusterRole',
    name: one(docs, 'ClusterRole').metadata.name,
  });
  expect(binding.subjects[0]?.name).toBe(one(docs, 'ServiceAccount').metadata.name);
});

test('namespaced: a Role and RoleBinding instead, without cluster-scoped templates', () => {
  const docs = renderChart({ namespaced: true });
  expect(docs.filter((d) => d.kind.startsWith('Cluster'))).toEqual([]);
  const roles = docs.filter((d) => d.kind === 'Role');
  expect(roles).toHaveLength(2);
  const controller = roles.find((r) => !r.metadata.name.endsWith('-leader-election'))!;
  expect(controller.metadata.namespace).toBe('ramp-system');
  expect(grantsOfRules(controller.rules ?? [])).toEqual(grants(permissionsFor('controller', true)));
  const args = container(docs).args;
  expect(args).toContain('--namespaced');
  expect(docs.filter((d) => d.kind === 'RoleBinding')).toHaveLength(2);
});

interface Container {
  args: string[];
  env: { name: string; valueFrom?: unknown }[];
  securityContext: Record<string, unknown>;
  resources: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
}

function container(docs: K8sObject[]): Container {
  const deployment = one(docs, 'Deployment') as unknown as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  return deployment.spec.template.spec.containers[0]!;
}

test('the Deployment: 2 replicas with leader election, hardened, probed, with resources and valid flags', () => {
  const docs = renderChart({ instanceID: 'blue', controller: { extraArgs: ['--qps=50'] } });
  const deployment = one(docs, 'Deployment') as unknown as {
    spec: {
      replicas: number;
      template: { spec: { securityContext: Record<string, unknown>; serviceAccountName: string } };
    };
  };
  expect(deployment.spec.replicas).toBe(2);
  const pod = deployment.spec.template.spec;
  expect(pod.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(pod.serviceAccountName).toBe(one(docs, 'ServiceAccount').metadata.name);
  const c = container(docs);
  expect(c.securityContext).toEqual({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  expect(c.resources.limits).toEqual({ cpu: '1', memory: '512Mi' });
  expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
  expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
  expect(c.ports).toEqual([
    { name: 'metrics', containerPort: 8090, protocol: 'TCP' },
    { name: 'health', containerPort: 8080, protocol: 'TCP' },
  ]);
  expect(c.env[0]).toEqual({
    name: 'POD_NAMESPACE',
    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
  });
  expect(c.args).toEqual(expect.arrayContaining(['--leader-elect=true', '--instance-id=blue', '--qps=50']));
  // the rendered command line is one the controller accepts, with the chart's values in it
  const parsed = parseFlags(c.args, { POD_NAMESPACE: 'ramp-system' });
  expect(parsed.kind === 'run' && parsed.flags).toMatchObject({
    metricsPort: 8090,
    healthPort: 8080,
    leaderElect: true,
    instanceId: 'blue',
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
  });
});

test('the metrics Service, and the optional ServiceMonitor', () => {
  const svc = one(renderChart(), 'Service') as unknown as {
    spec: { ports: { port: number; targetPort: string }[] };
  };
  expect(svc.spec.ports[0]).toMatchObject({ port: 8090, targetPort: 'metrics' });
  const docs = renderChart({ serviceMonitor: { enabled: true, additionalLabels: { release: 'prom' } } });
  const monitor = one(docs, 'ServiceMonitor') as unknown as {
    metadata: { labels: Record<string, string> };
    spec: { endpoints: { port: string; path: string }[] };
  };
  expect(monitor.metadata.labels.release).toBe('prom');
  expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
  expect(
    renderChart({ rbac: { create: false }, serviceAccount: { create: false } })
      .map((d) => d.kind)
      .sort(),
  ).toEqual(['Deployment', 'Service']);
});
