/**
 * CEL rules of any CRD through the HTTP API: a CRD whose rules do not compile is refused when it is
 * created, and a rule that would run for hours is cut off by the cost limit while the server keeps serving.
 */
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';
import { rootWithSpec, widget, widgetCrd, withRules } from '../testing/crd-schemas';
import { request } from '../testing/helpers';

// CRDs go over raw HTTP: client-node's typed CRD model renames x-kubernetes-validations on the way.
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

const WIDGETS = { group: 'example.com', version: 'v1', plural: 'widgets', namespace: 'default' };

async function failure(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body };
  }
  throw new Error('expected the call to fail');
}

let cluster: TestCluster;

/** Deletes the Widget CRD and waits until it is gone (its cleanup runs after the answer). */
async function deleteWidgets(): Promise<void> {
  expect((await request(cluster, 'DELETE', `${CRDS}/widgets.example.com`)).status).toBe(200);
  await cluster.settled();
}
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await startTestCluster({ crdsDir: [] });
  custom = cluster.kubeConfig().makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await cluster.stop();
});

test('a CRD with a rule calling an unknown function is refused at creation, with the compiler error', async () => {
  const schema = rootWithSpec(
    withRules(
      { type: 'object', properties: { host: { type: 'string' } } },
      { rule: 'isHostname(self.host)' },
    ),
  );
  const res = (await request(cluster, 'POST', CRDS, widgetCrd(schema))) as {
    status: number;
    body: Record<string, unknown>;
  };
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({
    reason: 'Invalid',
    details: {
      name: 'widgets.example.com',
      group: 'apiextensions.k8s.io',
      kind: 'CustomResourceDefinition',
      causes: [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
        },
      ],
    },
  });
  expect(res.body.message).toBe(
    'CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: ' +
      'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ' +
      'apiextensions.ValidationRule{Rule:"isHostname(self.host)", Message:"", MessageExpression:"", ' +
      'Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: ' +
      "compilation failed: ERROR: <input>:1:11: undeclared reference to 'isHostname' (in container '')\n" +
      ' | isHostname(self.host)\n' +
      ' | ..........^',
  );
});

test('a rule that would run for hours is stopped by the cost limit; the server answers and keeps serving', async () => {
  const schema = rootWithSpec({
    type: 'object',
    properties: {
      l: withRules(
        { type: 'array', items: { type: 'integer' } },
        {
          rule: 'self.all(a, self.all(b, self.all(c, self.all(d, a + b + c + d >= 0))))',
          message: 'quartic',
        },
      ),
    },
  });
  expect((await request(cluster, 'POST', CRDS, widgetCrd(schema))).status).toBe(201);
  const started = Date.now();
  const res = await failure(
    custom.createNamespacedCustomObject({
      ...WIDGETS,
      body: widget('slow', { l: Array.from({ length: 300 }, (_, i) => i) }),
    }),
  );
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(res.body.message).toBe(
    `Widget.example.com "slow" is invalid: spec.l: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: quartic`,
  );
  await custom.createNamespacedCustomObject({ ...WIDGETS, body: widget('fast', { l: [1, 2, 3] }) });
  await deleteWidgets();
});

test('a schema error that blocks the rules: they are not run, and the 422 says so', async () => {
  const schema = rootWithSpec(
    withRules(
      { type: 'object', properties: { replicas: { type: 'integer' } } },
      { rule: 'self.replicas < 10', message: 'too many' },
    ),
  );
  expect((await request(cluster, 'POST', CRDS, widgetCrd(schema))).status).toBe(201);
  const res = await request(
    cluster,
    'POST',
    '/apis/example.com/v1/namespaces/default/widgets',
    widget('typo', { replicas: 'x' }),
  );
  expect(res.status).toBe(422);
  expect((res.body as { message: string }).message).toBe(
    'Widget.example.com "typo" is invalid: [spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
  );
  await deleteWidgets();
});

test('ratcheting: a rule added later fails an unchanged value with a Warning header, a changed one with a 422', async () => {
  const crd = (rules: Parameters<typeof withRules>[1][]) =>
    widgetCrd(
      rootWithSpec({
        type: 'object',
        properties: { size: withRules({ type: 'integer' }, ...rules), note: { type: 'string' } },
      }),
    );
  expect((await request(cluster, 'POST', CRDS, crd([]))).status).toBe(201);
  const widgets = '/apis/example.com/v1/namespaces/default/widgets';
  expect((await request(cluster, 'POST', widgets, widget('old', { size: 50 }))).status).toBe(201);
  const current = await request(cluster, 'GET', `${CRDS}/widgets.example.com`);
  const updated = crd([{ rule: 'self <= 10', message: 'at most 10' }]);
  (updated.metadata as Record<string, unknown>).resourceVersion = (
    current.body as { metadata: { resourceVersion: string } }
  ).metadata.resourceVersion;
  expect((await request(cluster, 'PUT', `${CRDS}/widgets.example.com`, updated)).status).toBe(200);
  const patch = (spec: unknown) =>
    request(cluster, 'PATCH', `${widgets}/old`, { spec }, { 'Content-Type': 'application/merge-patch+json' });
  const unchanged = await patch({ note: 'hello' });
  expect(unchanged.status).toBe(200);
  expect(unchanged.headers.get('warning')).toBe(
    '299 - "spec.size: Invalid value: \\"integer\\": at most 10"',
  );
  const changed = await patch({ size: 40 });
  expect(changed.status).toBe(422);
  expect((changed.body as { message: string }).message).toBe(
    'Widget.example.com "old" is invalid: spec.size: Invalid value: "integer": at most 10',
  );
  await deleteWidgets();
});
