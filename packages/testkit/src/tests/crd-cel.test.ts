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
  expect(Date.now() - started).toBeLessThan(3000);
  expect(res.body.message).toBe(
    `Widget.example.com "slow" is invalid: spec.l: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: quartic`,
  );
  await custom.createNamespacedCustomObject({ ...WIDGETS, body: widget('fast', { l: [1, 2, 3] }) });
  expect((await request(cluster, 'DELETE', `${CRDS}/widgets.example.com`)).status).toBe(200);
});
