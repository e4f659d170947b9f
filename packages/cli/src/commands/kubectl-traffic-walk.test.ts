// `get rollout` agrees with the real controller: for each router, a canary walked by the controller on
// testkit with the upstream Gateway API and SMI CRDs shows its routing object Synced at every pause
// (0, 20, 50) with the weight verified, so the plugin reads the objects the controller writes.
import type { KubeObject } from '@ramp/testkit';
import {
  getRollout,
  type Harness,
  kubectlRamp,
  phaseIs,
  setImage,
  startHarness,
  waitFor,
} from '../testing/kube';
import { httpRoute, type RouterName, routedRollout, stableIngress } from '../testing/routing';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ crds: ['gateway-api-experimental', 'smi'] });
}, 30_000);
afterAll(() => h.stop());

const service = (name: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  }) as unknown as KubeObject;

function deploy(name: string, router: RouterName): void {
  const { store } = h.cluster;
  const services = { canary: `${name}-canary`, stable: `${name}-stable` };
  store.create(service(services.canary));
  store.create(service(services.stable));
  const routing =
    router === 'gateway'
      ? { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: `${name}-route` } } }
      : router === 'nginx'
        ? { nginx: { stableIngress: `${name}-ingress` } }
        : { smi: {} };
  if (router === 'gateway') store.create(httpRoute(`${name}-route`, services));
  if (router === 'nginx') store.create(stableIngress(`${name}-ingress`, services.stable));
  const ro = routedRollout(name, router, routing);
  ro.spec.template!.spec!.containers[0]!.image = 'nginx:1.27';
  store.create(ro as unknown as KubeObject);
}

/** The routing object's row of `get rollout`, and the Verified line, once the controller verified the weight. */
async function shown(name: string): Promise<{ row: string; verified: string }> {
  await waitFor(`${name} verified`, () => getRollout(h, name)?.status?.canary?.weights?.verified === true);
  const { out } = await kubectlRamp(h, ['get', 'rollout', name]);
  const row = /⇄ \S+ +\S+ +(\S+ \S+) +\S+ +(.*)\n/.exec(out)?.slice(1).join(' | ') ?? out;
  return { row, verified: /\n {2}Verified: +(.*)\n/.exec(out)?.[1] ?? out };
}

test.each<RouterName>(['gateway', 'nginx', 'smi'])(
  '%s: Synced at 0, 20 and 50 as the controller walks',
  async (router) => {
    const name = `walk-${router}`;
    deploy(name, router);
    await phaseIs(h, name, 'Healthy', 10_000);
    expect(await shown(name)).toEqual({ row: '✔ Synced | canary 0 / stable 100', verified: 'yes' });

    setImage(h, name, 'nginx:1.28');
    await phaseIs(h, name, 'Paused', 10_000);
    expect(await shown(name)).toEqual({ row: '✔ Synced | canary 20 / stable 80', verified: 'yes' });

    expect((await kubectlRamp(h, ['promote', name])).code).toBe(0);
    await waitFor(`${name} at 50`, () => getRollout(h, name)?.status?.currentStepIndex === 3, 10_000);
    await waitFor(
      `${name} weight 50`,
      () => getRollout(h, name)?.status?.canary?.weights?.canary.weight === 50,
      10_000,
    );
    expect(await shown(name)).toEqual({ row: '✔ Synced | canary 50 / stable 50', verified: 'yes' });
  },
  60_000,
);
