import { checkReferences, validateObject } from '@ramp/api';
import { GATEWAY_API_MODE, type Judge, SEED_MODE } from './demo-mode';

const judges: Judge[] = [{ prometheus: 'http://127.0.0.1:9090' }, { web: 'http://127.0.0.1:8080' }];

test.each(judges)(
  '--gateway-api: the route, its Services, the template and the Rollout pass lint (%o)',
  (judge) => {
    const docs = [...(GATEWAY_API_MODE.setup?.objects ?? []), ...GATEWAY_API_MODE.objects(judge)].map(
      (c) => c.object,
    );
    for (const doc of docs)
      expect({ doc, findings: validateObject(doc).findings }).toEqual({ doc, findings: [] });
    expect(
      checkReferences(docs.map((doc, index) => ({ index, doc: doc as Record<string, unknown> }))),
    ).toEqual([]);
  },
);

test('--gateway-api: the canary is judged alone, by its pod-template hash', () => {
  const [template, rollout] = GATEWAY_API_MODE.objects({ prometheus: 'http://127.0.0.1:9090' }).map(
    (c) => c.object,
  );
  expect(JSON.stringify(template)).toContain('rollouts_pod_template_hash=\\"{{args.canary-hash}}\\"');
  expect(JSON.stringify(rollout)).toContain('"podTemplateHashValue":"Latest"');
  const [web] = GATEWAY_API_MODE.objects({ web: 'http://127.0.0.1:8080' }).map((c) => c.object);
  expect(JSON.stringify(web)).toContain('/ratio?version={{args.canary-hash}}');
});

test('the default demo applies the seed files, with no route and no other CRDs', () => {
  expect(SEED_MODE.crds).toEqual([]);
  expect(SEED_MODE.route).toBeUndefined();
  expect(SEED_MODE.setup).toBeUndefined();
  expect(SEED_MODE.objects({ web: 'http://127.0.0.1:8080' }).map((c) => c.object.metadata?.name)).toEqual([
    'analyse-request',
    'sgdecoding-online-scaled',
  ]);
});
