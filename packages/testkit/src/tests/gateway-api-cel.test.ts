/**
 * The real Gateway API CRDs (experimental channel) installed in testkit, through the HTTP API with
 * @kubernetes/client-node and with the real kubectl: their CEL rules accept valid routes and refuse the
 * others with the API server's 422, on create, update, merge and JSON patches; transition rules too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';
import { hasKubectl, runKubectl } from '../testing/kubectl';

const GW = { group: 'gateway.networking.k8s.io', version: 'v1' };
const ROUTES = { ...GW, plural: 'httproutes', namespace: 'default' };

function httpRoute(name: string, rules: unknown[]) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: { parentRefs: [{ name: 'gateway' }], rules },
  };
}

const weighted = [
  {
    name: 'split',
    backendRefs: [
      { name: 'stable', port: 80, weight: 80 },
      { name: 'canary', port: 80, weight: 20 },
    ],
  },
];

/** The error client-node threw, with its Status body parsed. */
async function failure(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body };
  }
  throw new Error('expected the call to fail');
}

function invalid(kind: string, name: string, causes: { field: string; message: string }[]) {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind}.gateway.networking.k8s.io "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`,
    reason: 'Invalid',
    details: {
      name,
      group: 'gateway.networking.k8s.io',
      kind,
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })),
    },
    code: 422,
  };
}

let cluster: TestCluster;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: [], crds: ['gateway-api-experimental'] });
  custom = cluster.kubeConfig().makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await cluster.stop();
});

describe('HTTPRoute with the real Gateway API CRDs', () => {
  test('a route whose backendRef weights are valid is accepted, defaults filled in', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...ROUTES,
      body: httpRoute('good', weighted),
    })) as {
      spec: { rules: { backendRefs: { group: string; kind: string; weight: number }[] }[] };
    };
    expect(created.spec.rules[0]?.backendRefs.map((b) => [b.group, b.kind, b.weight])).toEqual([
      ['', 'Service', 80],
      ['', 'Service', 20],
    ]);
  });

  test('rules that break CEL rules: a 422 with every failed rule at its path', async () => {
    const res = await failure(
      custom.createNamespacedCustomObject({
        ...ROUTES,
        body: httpRoute('bad', [
          { name: 'same', backendRefs: [{ name: 'stable', port: 80 }] },
          {
            name: 'same',
            filters: [{ type: 'RequestMirror' }],
            backendRefs: [
              { name: 'canary' },
              {
                name: 'stable',
                port: 80,
                filters: [
                  {
                    type: 'RequestMirror',
                    requestMirror: {
                      backendRef: { name: 'mirror', port: 80 },
                      percent: 10,
                      fraction: { numerator: 1, denominator: 10 },
                    },
                  },
                ],
              },
            ],
          },
        ]),
      }),
    );
    expect(res.code).toBe(422);
    expect(res.body).toEqual(
      invalid('HTTPRoute', 'bad', [
        { field: 'spec.rules', message: 'Invalid value: "array": Rule name must be unique within the route' },
        {
          field: 'spec.rules[1].filters[0]',
          message:
            'Invalid value: "object": filter.requestMirror must be specified for RequestMirror filter.type',
        },
        {
          field: 'spec.rules[1].backendRefs[0]',
          message: 'Invalid value: "object": Must have port for Service reference',
        },
        {
          field: 'spec.rules[1].backendRefs[1].filters[0].requestMirror',
          message:
            'Invalid value: "object": Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
        },
      ]),
    );
  });

  test('a merge patch and a JSON patch are checked too, and leave the route as it was', async () => {
    const merge = await failure(
      custom.patchNamespacedCustomObject(
        {
          ...ROUTES,
          name: 'good',
          body: { spec: { rules: [{ ...weighted[0], filters: [{ type: 'URLRewrite' }] }] } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(merge.code).toBe(422);
    expect(merge.body.message).toBe(
      'HTTPRoute.gateway.networking.k8s.io "good" is invalid: spec.rules[0].filters[0]: Invalid value: "object": filter.urlRewrite must be specified for URLRewrite filter.type',
    );
    const json = await failure(
      custom.patchNamespacedCustomObject(
        {
          ...ROUTES,
          name: 'good',
          body: [{ op: 'remove', path: '/spec/rules/0/backendRefs/0/port' }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(json.code).toBe(422);
    expect(json.body).toEqual(
      invalid('HTTPRoute', 'good', [
        {
          field: 'spec.rules[0].backendRefs[0]',
          message: 'Invalid value: "object": Must have port for Service reference',
        },
      ]),
    );
    const path0 = await failure(
      custom.patchNamespacedCustomObject(
        {
          ...ROUTES,
          name: 'good',
          body: [
            {
              op: 'add',
              path: '/spec/rules/0/matches',
              value: [{ path: { type: 'Exact', value: 'no-slash' } }],
            },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(path0.body.message).toBe(
      `HTTPRoute.gateway.networking.k8s.io "good" is invalid: spec.rules[0].matches[0].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`,
    );
    const route = (await custom.getNamespacedCustomObject({ ...ROUTES, name: 'good' })) as {
      metadata: { generation: number };
    };
    expect(route.metadata.generation).toBe(1);
  });

  test('a transition rule: the GatewayClass controllerName is set on create, immutable on update and patch', async () => {
    const classes = { ...GW, plural: 'gatewayclasses' };
    await custom.createClusterCustomObject({
      ...classes,
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'shop' },
        spec: { controllerName: 'example.com/gateway-controller' },
      },
    });
    const current = (await custom.getClusterCustomObject({ ...classes, name: 'shop' })) as {
      spec: Record<string, unknown>;
    };
    const immutable = invalid('GatewayClass', 'shop', [
      { field: 'spec.controllerName', message: 'Invalid value: "string": Value is immutable' },
    ]);
    const put = await failure(
      custom.replaceClusterCustomObject({
        ...classes,
        name: 'shop',
        body: { ...current, spec: { ...current.spec, controllerName: 'example.com/other' } },
      }),
    );
    expect(put).toEqual({ code: 422, body: immutable });
    const patched = await failure(
      custom.patchClusterCustomObject(
        { ...classes, name: 'shop', body: { spec: { controllerName: 'example.com/other' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(patched).toEqual({ code: 422, body: immutable });
    const described = await custom.patchClusterCustomObject(
      { ...classes, name: 'shop', body: { spec: { description: 'the shop' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(described).toMatchObject({
      spec: { controllerName: 'example.com/gateway-controller', description: 'the shop' },
    });
  });
});

describe('the other bundled CRDs', () => {
  test('TLSRoute v1 (isIP in a rule), v1alpha2 (no such rule), TCPRoute v1alpha2 of the experimental channel', async () => {
    const tls = (version: string, name: string, hostnames: string[]) => ({
      apiVersion: `gateway.networking.k8s.io/${version}`,
      kind: 'TLSRoute',
      metadata: { name, namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'gateway' }],
        hostnames,
        rules: [{ backendRefs: [{ name: 'tls', port: 443 }] }],
      },
    });
    const target = (version: string) => ({ ...GW, version, plural: 'tlsroutes', namespace: 'default' });
    await custom.createNamespacedCustomObject({
      ...target('v1'),
      body: tls('v1', 'tls-good', ['shop.example.com', '*.example.com']),
    });
    const res = await failure(
      custom.createNamespacedCustomObject({
        ...target('v1'),
        body: tls('v1', 'tls-ip', ['shop.example.com', '10.0.0.1']),
      }),
    );
    expect(res.body.message).toBe(
      'TLSRoute.gateway.networking.k8s.io "tls-ip" is invalid: spec.hostnames: Invalid value: "array": Hostnames cannot contain an IP',
    );
    await custom.createNamespacedCustomObject({
      ...target('v1alpha2'),
      body: tls('v1alpha2', 'tls-ip', ['shop.example.com', '10.0.0.1']),
    });
    await custom.createNamespacedCustomObject({
      ...GW,
      version: 'v1alpha2',
      plural: 'tcproutes',
      namespace: 'default',
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind: 'TCPRoute',
        metadata: { name: 'tcp', namespace: 'default' },
        spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] },
      },
    });
  });

  test('the standard channel and SMI TrafficSplit install beside it', async () => {
    const other = await startTestCluster({ crdsDir: [], crds: ['gateway-api-standard', 'smi'] });
    try {
      const api = other.kubeConfig().makeApiClient(CustomObjectsApi);
      // The standard channel has no rule on rule names: two rules with one name pass.
      await api.createNamespacedCustomObject({
        ...ROUTES,
        body: httpRoute('twins', [
          { name: 'a', backendRefs: [{ name: 'x', port: 80 }] },
          { name: 'a', backendRefs: [{ name: 'y', port: 80 }] },
        ]),
      });
      const split = await api.createNamespacedCustomObject({
        group: 'split.smi-spec.io',
        version: 'v1alpha4',
        plural: 'trafficsplits',
        namespace: 'default',
        body: {
          apiVersion: 'split.smi-spec.io/v1alpha4',
          kind: 'TrafficSplit',
          metadata: { name: 'shop', namespace: 'default' },
          spec: {
            service: 'shop',
            backends: [
              { service: 'shop-stable', weight: 90 },
              { service: 'shop-canary', weight: 10 },
            ],
          },
        },
      });
      expect(split).toMatchObject({ spec: { service: 'shop' } });
    } finally {
      await other.stop();
    }
  });
});

const describeKubectl = hasKubectl() ? describe : describe.skip;
if (!hasKubectl()) console.warn('kubectl is not installed: the kubectl CEL tests are SKIPPED');

describeKubectl('kubectl gets the same errors', () => {
  let dir: string;
  const badRoute = JSON.stringify(httpRoute('kubectl-bad', [{ filters: [{ type: 'RequestMirror' }] }]));
  // kubectl words a 422 from its causes: `The <Kind> "<name>" is invalid: <field>: <message>`.
  const expected =
    'The HTTPRoute "kubectl-bad" is invalid: spec.rules[0].filters[0]: Invalid value: "object": filter.requestMirror must be specified for RequestMirror filter.type';

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'testkit-cel-kubectl-'));
    cluster.writeKubeconfig(path.join(dir, 'kubeconfig'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('kubectl create', async () => {
    const run = await runKubectl(dir, ['create', '-f', '-'], badRoute);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(expected);
  });

  test('kubectl apply', async () => {
    const run = await runKubectl(dir, ['apply', '-f', '-'], badRoute);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(expected);
    const missing = await runKubectl(dir, ['get', 'httproute', 'kubectl-bad']);
    expect(missing.stderr).toContain('not found');
  });

  test('kubectl apply of a change a transition rule forbids (a patch of the existing object)', async () => {
    const gatewayClass = (controllerName: string) =>
      JSON.stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'applied' },
        spec: { controllerName },
      });
    expect((await runKubectl(dir, ['apply', '-f', '-'], gatewayClass('example.com/a'))).code).toBe(0);
    const run = await runKubectl(dir, ['apply', '-f', '-'], gatewayClass('example.com/b'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'The GatewayClass "applied" is invalid: spec.controllerName: Invalid value: "string": Value is immutable',
    );
  });
});
