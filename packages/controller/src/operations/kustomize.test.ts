import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../runtime/flags';
import { parseAllYaml, REPO_ROOT } from '../testing/operations/yaml';
import { grants, grantsOfRules, type PolicyRule, permissionsFor } from './rbac';

const DIR = join(REPO_ROOT, 'deploy/kustomize');
/** kubectl from $KUBECTL, else the PATH (its `kustomize` is built in). */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  subjects?: { kind: string; name: string; namespace?: string }[];
  spec?: Record<string, unknown>;
}

let docs: Doc[] = [];

beforeAll(() => {
  const out = execFileSync(KUBECTL, ['kustomize', DIR], { encoding: 'utf8', timeout: 20_000 });
  docs = parseAllYaml(out) as Doc[];
});

const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);

test('kubectl kustomize renders the install: namespace, CRDs, ServiceAccount, RBAC, Deployment, Service', () => {
  expect(docs.map((d) => d.kind).sort()).toEqual([
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'Deployment',
    'Namespace',
    'Role',
    'RoleBinding',
    'Service',
    'ServiceAccount',
  ]);
  for (const d of docs.filter(
    (x) => !['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind),
  )) {
    expect([d.kind, d.metadata.namespace]).toEqual([d.kind, 'ramp-system']);
  }
  for (const binding of [...ofKind('ClusterRoleBinding'), ...ofKind('RoleBinding')]) {
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ramp-controller', namespace: 'ramp-system' },
    ]);
  }
});

test('its CRDs are identical copies of crds/', () => {
  const repo = readdirSync(join(REPO_ROOT, 'crds'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  expect(readdirSync(join(DIR, 'crds')).sort()).toEqual(repo);
  for (const f of repo) {
    expect(readFileSync(join(DIR, 'crds', f), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'crds', f), 'utf8'));
  }
  expect(
    ofKind('CustomResourceDefinition')
      .map((d) => d.metadata.name)
      .sort(),
  ).toEqual([
    'analysisruns.argoproj.io',
    'analysistemplates.argoproj.io',
    'clusteranalysistemplates.argoproj.io',
    'rollouts.argoproj.io',
  ]);
});

test('its RBAC is the controller permission table, exactly', () => {
  const [clusterRole] = ofKind('ClusterRole');
  expect(grantsOfRules(clusterRole?.rules ?? [])).toEqual(grants(permissionsFor('controller', false)));
  const [lease] = ofKind('Role');
  expect(grantsOfRules(lease?.rules ?? [])).toEqual(grants(permissionsFor('leader-election', false)));
});

test('its Deployment: hardened, probed, with resources, and flags the controller accepts', () => {
  const [deployment] = ofKind('Deployment') as unknown as {
    spec: {
      replicas: number;
      template: {
        spec: {
          securityContext: Record<string, unknown>;
          containers: {
            image: string;
            args: string[];
            securityContext: Record<string, unknown>;
            resources: Record<string, unknown>;
          }[];
        };
      };
    };
  }[];
  const pod = deployment!.spec.template.spec;
  const c = pod.containers[0]!;
  expect(deployment!.spec.replicas).toBe(2);
  expect(c.image).toBe('ghcr.io/ramp-dev/ramp-controller:0.1.0');
  expect(pod.securityContext).toMatchObject({
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(c.securityContext).toMatchObject({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  expect(Object.keys(c.resources).sort()).toEqual(['limits', 'requests']);
  const parsed = parseFlags(c.args, {});
  expect(parsed.kind === 'run' && parsed.flags).toMatchObject({
    leaderElect: true,
    metricsPort: 8090,
    healthPort: 8080,
  });
});
