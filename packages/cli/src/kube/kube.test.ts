// Finding the cluster as kubectl does (flags, KUBECONFIG merging, contexts and namespaces), and the
// errors of the connection: a cluster without Ramp's CRDs, API errors, unreachable servers.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster } from '@ramp/testkit';
import YAML from 'yaml';
import { CliError } from '../errors';
import { loadKubeconfig } from './kubeconfig';
import { RES } from './model';
import { explain, getObject, openSession } from './session';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ramp-kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(
  file: string,
  contexts: { name: string; server: string; namespace?: string }[],
  current?: string,
) {
  const path = join(dir, file);
  writeFileSync(
    path,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server } })),
      users: contexts.map((c) => ({ name: c.name, user: { token: 't' } })),
      contexts: contexts.map((c) => ({
        name: c.name,
        context: { cluster: c.name, user: c.name, namespace: c.namespace },
      })),
      'current-context': current,
    }),
  );
  return path;
}

test('--kubeconfig, then KUBECONFIG (files merged, the first one winning), then ~/.kube/config', async () => {
  const a = config('a', [{ name: 'dev', server: 'https://dev:6443', namespace: 'team' }], 'dev');
  const b = config(
    'b',
    [
      { name: 'dev', server: 'https://other:6443' },
      { name: 'prod', server: 'https://prod:6443' },
    ],
    'prod',
  );
  const fromFlag = await loadKubeconfig({ kubeconfig: b }, {});
  expect(fromFlag).toMatchObject({
    context: 'prod',
    namespace: 'default',
    server: 'https://prod:6443',
    source: b,
  });
  const merged = await loadKubeconfig({}, { KUBECONFIG: `${join(dir, 'missing')}:${a}:${b}` });
  expect(merged).toMatchObject({ context: 'dev', namespace: 'team', server: 'https://dev:6443' });
  const prod = await loadKubeconfig({ context: 'prod', namespace: 'ops' }, { KUBECONFIG: `${a}:${b}` });
  expect(prod).toMatchObject({ context: 'prod', namespace: 'ops', server: 'https://prod:6443' });
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  copyFileSync(b, join(home, '.kube', 'config'));
  expect(await loadKubeconfig({}, { HOME: home })).toMatchObject({
    context: 'prod',
    source: join(home, '.kube', 'config'),
  });
  await expect(loadKubeconfig({}, { HOME: join(dir, 'nobody') })).rejects.toThrow(
    `no kubeconfig: looked for --kubeconfig (not given), $KUBECONFIG (not set) and ${dir}/nobody/.kube/config`,
  );
});

test('kubeconfig problems a person can fix', async () => {
  const none = config('none', [{ name: 'c', server: 'https://c:6443' }]);
  await expect(loadKubeconfig({ kubeconfig: none }, {})).rejects.toThrow(
    `the kubeconfig ${none} has no current context: pass --context NAME`,
  );
  const broken = join(dir, 'broken');
  writeFileSync(broken, 'clusters: [');
  await expect(loadKubeconfig({ kubeconfig: broken }, {})).rejects.toThrow(
    `cannot read the kubeconfig ${broken}:`,
  );
  await expect(loadKubeconfig({ kubeconfig: none, context: 'x' }, {})).rejects.toThrow(
    `context "x" is not in the kubeconfig ${none} (contexts: c)`,
  );
});

test('a cluster without the CRDs, and API and network errors explained', async () => {
  const cluster = await startTestCluster({ crdsDir: [] });
  try {
    const file = join(dir, 'bare');
    cluster.writeKubeconfig(file);
    const s = await openSession({ kubeconfig: file }, {});
    try {
      await expect(getObject(s, RES.rollouts, 'app')).rejects.toThrow(
        `the cluster at ${cluster.url} does not serve rollouts.argoproj.io/v1alpha1: are Ramp's CRDs installed? (kubectl apply -f crds/)`,
      );
      await expect(getObject(s, RES.pods, 'web')).rejects.toThrow(
        'pod "web" not found in namespace "default"',
      );
    } finally {
      s.close();
    }
  } finally {
    await cluster.stop();
  }
  const where = { server: 'https://k:6443', context: 'prod' };
  const api = (code: number, message: string) =>
    Object.assign(new Error(message), { name: 'KubeApiError', code, reason: 'x' });
  expect(explain(api(401, 'Unauthorized'), where).message).toBe(
    'the cluster at https://k:6443 does not accept the credentials of context "prod": Unauthorized',
  );
  expect(explain(api(403, 'rollouts is forbidden'), where).message).toBe(
    'not allowed: rollouts is forbidden',
  );
  const timeout = new Error('GET /apis: no answer in 30000 ms');
  expect(explain(timeout, where)).toEqual(
    new CliError(
      'cannot reach the cluster at https://k:6443 (context "prod"): GET /apis: no answer in 30000 ms',
    ),
  );
  const bug = new TypeError('x is undefined');
  expect(explain(bug, where)).toBe(bug);
});
